// The post-mortem's Gantt chart as numbers: for each step of the run, where its planned bar
// (planned start to planned due) and its actual bar (started to finished) lie in the chart,
// as fractions of its width, with the go-live line and time ticks. The page draws these in
// SVG; keeping the geometry here lets it be tested without a browser.

import type { NodeTiming } from '../api/types'
import { PHASES } from './graph'

export interface Bar {
  /** Fractions of the chart's width, 0..1, clipped to the window. */
  from: number
  to: number
  /** True when the bar runs on past either edge of the window. */
  clipped: boolean
}

export interface GanttRow {
  timing: NodeTiming
  planned: Bar | null
  actual: Bar | null
  /** done on time, late, skipped, or not run (never reached / still open) */
  outcome: 'on_time' | 'late' | 'skipped' | 'not_run'
}

export interface Tick {
  at: number
  x: number
}

export interface GanttLayout {
  start: number
  end: number
  rows: GanttRow[]
  ticks: Tick[]
  goLiveX: number | null
}

/** The whole run, or the hours around go-live (the show itself, minute by minute). */
export type GanttRange = 'all' | 'show'

export const SHOW_BEFORE_MS = 3 * 3600_000
export const SHOW_AFTER_MS = 6 * 3600_000
const MARKERS = new Set(['start', 'end'])
const MINUTE = 60_000
const STEPS = [1, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080].map((m) => m * MINUTE)

const ms = (iso: string | null) => (iso ? Date.parse(iso) : null)

function outcomeOf(timing: NodeTiming): GanttRow['outcome'] {
  if (timing.state === 'skipped') return 'skipped'
  if (timing.state !== 'done' || !timing.finished_at) return 'not_run'
  return timing.on_time === false ? 'late' : 'on_time'
}

function actualSpan(timing: NodeTiming): [number, number] | null {
  const end = ms(timing.finished_at)
  const begin = ms(timing.started_at) ?? ms(timing.ready_at) ?? end
  if (end === null || begin === null) return null
  return [Math.min(begin, end), end]
}

function plannedSpan(timing: NodeTiming): [number, number] | null {
  const begin = ms(timing.planned_start)
  const end = ms(timing.planned_due) ?? begin
  if (begin === null || end === null) return null
  return [Math.min(begin, end), Math.max(begin, end)]
}

/** A tick spacing from 1 minute to a week giving about `target` ticks in the window. */
export function tickStep(span: number, target = 8): number {
  return STEPS.find((step) => span / step <= target) ?? STEPS[STEPS.length - 1]
}

/** `zoneOffsetMs`: the run's time zone's offset from UTC, so ticks fall on whole hours
 * and midnights there. */
export function ganttLayout(
  nodes: readonly NodeTiming[],
  goLive: string,
  range: GanttRange = 'all',
  zoneOffsetMs = 0,
): GanttLayout {
  const goLiveAt = Date.parse(goLive)
  const steps = nodes
    .filter((n) => !MARKERS.has(n.kind))
    .map((timing) => ({ timing, planned: plannedSpan(timing), actual: actualSpan(timing) }))
    .filter((s) => s.planned || s.actual)
  let start: number
  let end: number
  if (range === 'show') {
    start = goLiveAt - SHOW_BEFORE_MS
    end = goLiveAt + SHOW_AFTER_MS
  } else {
    const times = steps.flatMap((s) => [...(s.planned ?? []), ...(s.actual ?? [])])
    times.push(goLiveAt)
    start = Math.min(...times)
    end = Math.max(...times)
    const pad = Math.max((end - start) * 0.02, MINUTE)
    start -= pad
    end += pad
  }
  const width = end - start
  const bar = (span: [number, number] | null): Bar | null => {
    if (!span || span[1] < start || span[0] > end) return null
    return {
      from: (Math.max(span[0], start) - start) / width,
      to: (Math.min(span[1], end) - start) / width,
      clipped: span[0] < start || span[1] > end,
    }
  }
  const phase = (t: NodeTiming) => PHASES.indexOf(t.phase as (typeof PHASES)[number])
  const rows = steps
    .map((s) => ({
      timing: s.timing,
      planned: bar(s.planned),
      actual: bar(s.actual),
      outcome: outcomeOf(s.timing),
      sortAt: s.planned?.[0] ?? s.actual?.[0] ?? 0,
    }))
    .filter((row) => row.planned || row.actual)
    .sort((a, b) => phase(a.timing) - phase(b.timing) || a.sortAt - b.sortAt)
    .map(({ sortAt: _, ...row }) => row)
  const step = tickStep(width)
  const ticks: Tick[] = []
  const first = Math.ceil((start + zoneOffsetMs) / step) * step - zoneOffsetMs
  for (let at = first; at <= end; at += step) {
    ticks.push({ at, x: (at - start) / width })
  }
  const goLiveX = goLiveAt >= start && goLiveAt <= end ? (goLiveAt - start) / width : null
  return { start, end, rows, ticks, goLiveX }
}
