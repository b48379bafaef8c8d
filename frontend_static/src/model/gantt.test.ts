import { describe, expect, it } from 'vitest'
import type { NodeTiming } from '../api/types'
import { ganttLayout, tickStep } from './gantt'

const T0 = Date.parse('2026-11-24T12:00:00Z')
const MIN = 60_000
const at = (minutes: number) => new Date(T0 + minutes * MIN).toISOString()

function timing(id: string, extra: Partial<NodeTiming>): NodeTiming {
  return {
    node_id: id,
    title: id,
    kind: 'task',
    phase: 'pre_event',
    role: 'host',
    state: 'done',
    planned_start: null,
    planned_due: null,
    ready_at: null,
    started_at: null,
    finished_at: null,
    planned_minutes: null,
    actual_minutes: null,
    lateness_minutes: null,
    on_time: null,
    judged: false,
    completed_by: null,
    reopened: 0,
    ...extra,
  }
}

const nodes = [
  timing('start', { kind: 'start', planned_start: at(-600), finished_at: at(-600) }),
  timing('show', {
    phase: 'execution',
    planned_start: at(0),
    planned_due: at(60),
    started_at: at(5),
    finished_at: at(80),
    on_time: false,
  }),
  timing('prep', {
    planned_start: at(-60),
    planned_due: at(-30),
    started_at: at(-50),
    finished_at: at(-40),
    on_time: true,
  }),
  timing('never', {
    phase: 'review',
    state: 'pending',
    planned_start: at(120),
    planned_due: at(140),
  }),
  timing('dropped', {
    phase: 'review',
    state: 'skipped',
    planned_start: at(100),
    planned_due: at(110),
  }),
]

describe('the Gantt chart', () => {
  it('draws a planned and an actual bar per step, by phase and planned start', () => {
    const layout = ganttLayout(nodes, at(0))
    expect(layout.rows.map((r) => [r.timing.node_id, r.outcome])).toEqual([
      ['prep', 'on_time'],
      ['show', 'late'],
      ['dropped', 'skipped'],
      ['never', 'not_run'],
    ])
    const [prep, show] = layout.rows
    expect(prep.planned!.from).toBeLessThan(prep.actual!.from)
    expect(show.actual!.to).toBeGreaterThan(show.planned!.to) // finished after its due
    expect(layout.rows[3].actual).toBeNull()
    expect(layout.goLiveX).toBeGreaterThan(0)
    expect(layout.goLiveX).toBeLessThan(1)
  })

  it('keeps every bar inside the chart, padding the window a little', () => {
    const layout = ganttLayout(nodes, at(0))
    for (const row of layout.rows) {
      for (const bar of [row.planned, row.actual]) {
        if (!bar) continue
        expect(bar.from).toBeGreaterThanOrEqual(0)
        expect(bar.to).toBeLessThanOrEqual(1)
        expect(bar.clipped).toBe(false)
      }
    }
    expect(layout.start).toBeLessThan(T0 - 60 * MIN)
    expect(layout.end).toBeGreaterThan(T0 + 140 * MIN)
  })

  it('zooms to the hours around go-live, clipping what runs past the edges', () => {
    const long = timing('warmup', { planned_start: at(-3 * 1440), planned_due: at(-10) })
    const layout = ganttLayout([...nodes, long], at(0), 'show')
    const warmup = layout.rows.find((r) => r.timing.node_id === 'warmup')!
    expect(warmup.planned).toMatchObject({ from: 0, clipped: true })
    expect(layout.goLiveX).toBeCloseTo(3 / 9)
  })

  it('puts ticks on whole hours of the run’s time zone', () => {
    const layout = ganttLayout(nodes, at(0), 'show', 8 * 3600_000)
    expect(tickStep(layout.end - layout.start)).toBe(60 * MIN * 2)
    for (const tick of layout.ticks) expect((tick.at + 8 * 3600_000) % (2 * 3600_000)).toBe(0)
    expect(tickStep(10 * MIN)).toBe(MIN * 5)
  })
})
