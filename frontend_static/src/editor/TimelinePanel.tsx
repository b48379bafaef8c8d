// The planned schedule for a chosen go-live: one bar per node from planned start to due,
// the critical path highlighted (here and, on request, on the canvas).

import { useMemo, useState, type FormEvent } from 'react'
import type { Plan, PlannedNode } from '../api/types'
import { useI18n } from '../i18n/react'
import type { EditorSession } from '../model/editorSession'
import type { Graph } from '../model/graph'
import { describeMinutes, describeOffset } from '../model/minutes'
import { defaultGoLive, zonedToIso } from '../model/timezone'
import { errorText } from '../ui/errors'
import { formatDateTime } from '../ui/format'
import { phaseLabel, roleLabel, unitWords } from './labels'

const ZONES = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Europe/London',
  'America/Los_Angeles',
  'UTC',
]
type Range = 'all' | 'pre' | 'live'

interface Row {
  plan: PlannedNode
  start: number
  due: number
}

export function TimelinePanel(props: {
  session: EditorSession
  graph: Graph
  onCritical: (ids: Set<string> | null) => void
  onClose: () => void
}) {
  const { t, lang, tx } = useI18n()
  const [tz, setTz] = useState('Asia/Shanghai')
  const [goLive, setGoLive] = useState(() => defaultGoLive(new Date(), 'Asia/Shanghai'))
  const [plan, setPlan] = useState<Plan | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [range, setRange] = useState<Range>('all')
  const [onCanvas, setOnCanvas] = useState(true)

  async function submit(event?: FormEvent) {
    event?.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const result = await props.session.plan(zonedToIso(goLive, tz), tz)
      setPlan(result)
      props.onCritical(onCanvas ? criticalIds(result) : null)
    } catch (failure) {
      setError(errorText(failure, t, tx))
    } finally {
      setBusy(false)
    }
  }

  const byId = useMemo(() => new Map(props.graph.nodes.map((n) => [n.id, n])), [props.graph])
  const rows: Row[] = useMemo(() => {
    if (!plan) return []
    return plan.nodes
      .filter((p) => p.start_offset_minutes !== null)
      .map((p) => ({
        plan: p,
        start: p.start_offset_minutes!,
        due: p.due_offset_minutes ?? p.start_offset_minutes!,
      }))
      .filter((r) => byId.get(r.plan.node_id)?.kind !== 'start')
      .sort((a, b) => a.start - b.start || a.due - b.due)
  }, [plan, byId])

  const [lo, hi] = useMemo(() => window_(rows, range), [rows, range])
  const shown = rows.filter((r) => r.due >= lo && r.start <= hi)
  const span = Math.max(hi - lo, 1)
  const pct = (m: number) => `${(((Math.min(Math.max(m, lo), hi) - lo) / span) * 100).toFixed(3)}%`
  const units = unitWords(t)
  const ticks = tickMarks(lo, hi)

  return (
    <section className="timeline" aria-label={t('timeline.title')} data-testid="timeline">
      <header className="timeline__head">
        <h2 className="panel-title">{t('timeline.title')}</h2>
        <form className="timeline__form" onSubmit={submit}>
          <label>
            <span>{t('timeline.goLive')}</span>
            <input
              type="datetime-local"
              value={goLive}
              required
              onChange={(e) => setGoLive(e.target.value)}
            />
          </label>
          <label>
            <span>{t('timeline.tz')}</span>
            <select value={tz} onChange={(e) => setTz(e.target.value)}>
              {ZONES.map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('timeline.preview')}
          </button>
          {plan && (
            <>
              <label>
                <span>{t('timeline.range')}</span>
                <select value={range} onChange={(e) => setRange(e.target.value as Range)}>
                  <option value="all">{t('timeline.rangeAll')}</option>
                  <option value="pre">{t('timeline.rangePre')}</option>
                  <option value="live">{t('timeline.rangeLive')}</option>
                </select>
              </label>
              <label className="check">
                <input
                  type="checkbox"
                  checked={onCanvas}
                  onChange={(e) => {
                    setOnCanvas(e.target.checked)
                    props.onCritical(e.target.checked ? criticalIds(plan) : null)
                  }}
                />
                <span>{t('timeline.showOnCanvas')}</span>
              </label>
            </>
          )}
        </form>
        <button
          type="button"
          className="icon-button"
          aria-label={t('common.close')}
          onClick={() => {
            props.onCritical(null)
            props.onClose()
          }}
        >
          ×
        </button>
      </header>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {!plan && !error && <p className="muted">{t('timeline.explain')}</p>}
      {plan && (
        <div className="gantt" role="table" aria-label={t('timeline.title')}>
          <div className="gantt__row gantt__axis" role="row">
            <div className="gantt__label" role="columnheader">
              <span className="legend legend--critical">{t('timeline.critical')}</span>
            </div>
            <div className="gantt__track" role="columnheader">
              {ticks.map((m) => (
                <span key={m} className="gantt__tick" style={{ left: pct(m) }}>
                  {describeOffset(m, units)}
                </span>
              ))}
            </div>
          </div>
          {shown.map((row) => {
            const node = byId.get(row.plan.node_id)
            const start = formatDateTime(row.plan.planned_start, lang, plan.tz)
            const due = formatDateTime(row.plan.planned_due, lang, plan.tz)
            const slack = row.plan.slack_minutes
            const detail = [
              `${t('timeline.start')} ${start}`,
              `${t('timeline.due')} ${due}`,
              slack !== null ? `${t('timeline.slack')} ${describeMinutes(slack, units)}` : '',
            ]
              .filter(Boolean)
              .join(' · ')
            return (
              <div
                key={row.plan.node_id}
                className={`gantt__row${row.plan.critical ? ' is-critical' : ''}`}
                role="row"
                data-testid={`plan-${row.plan.node_id}`}
                data-critical={row.plan.critical}
              >
                <div className="gantt__label" role="cell" title={detail}>
                  <span className="gantt__title">{node?.title ?? row.plan.node_id}</span>
                  <small>
                    {node ? phaseLabel(t, node.phase) : ''}
                    {node?.role ? ` · ${roleLabel(tx, node.role)}` : ''}
                  </small>
                </div>
                <div className="gantt__track" role="cell">
                  <span className="gantt__golive" style={{ left: pct(0) }} aria-hidden="true" />
                  <span
                    className={`gantt__bar gantt__bar--${node?.phase ?? 'execution'}${row.plan.critical ? ' gantt__bar--critical' : ''}`}
                    style={{
                      left: pct(row.start),
                      width: `calc(${pct(row.due)} - ${pct(row.start)})`,
                    }}
                    title={detail}
                  />
                </div>
              </div>
            )
          })}
        </div>
      )}
    </section>
  )
}

function criticalIds(plan: Plan): Set<string> {
  return new Set([
    ...plan.nodes.filter((n) => n.critical).map((n) => n.node_id),
    ...plan.critical_path_to_end,
  ])
}

function window_(rows: Row[], range: Range): [number, number] {
  if (rows.length === 0) return [-60, 60]
  const lo = Math.min(...rows.map((r) => r.start), 0)
  const hi = Math.max(...rows.map((r) => r.due), 0)
  if (range === 'pre') return [lo, Math.max(0, lo + 1)]
  if (range === 'live') {
    const live = rows.filter((r) => r.start >= 0)
    const end = live.length ? Math.max(...live.map((r) => r.due)) : 60
    return [-60, Math.max(end, 30)]
  }
  return [lo, Math.max(hi, lo + 1)]
}

/** About six ticks at a round step (minutes, hours or days), always including T0. */
function tickMarks(lo: number, hi: number): number[] {
  const steps = [5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 4320, 10080]
  const step = steps.find((s) => (hi - lo) / s <= 7) ?? 10080
  const out: number[] = []
  for (let m = Math.ceil(lo / step) * step; m <= hi; m += step) out.push(m)
  if (!out.includes(0) && lo <= 0 && hi >= 0) out.push(0)
  return out.sort((a, b) => a - b)
}
