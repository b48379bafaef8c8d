// The Gantt chart of planned against actual, drawn in SVG from the post-mortem's figures:
// per step a light planned bar and, over it, the actual bar coloured by outcome (on time,
// late, skipped), with the go-live line. A table below says the same for screen readers
// and for reading exact times.

import { useMemo, useState } from 'react'
import type { NodeTiming } from '../api/types'
import { roleLabel } from '../editor/labels'
import type { MessageKey } from '../i18n'
import { useI18n } from '../i18n/react'
import { ganttLayout, type GanttRange, type GanttRow } from '../model/gantt'
import { zoneOffsetMinutes } from '../model/timezone'
import { durationsOf } from '../ui/durations'
import { formatDayTime, formatTime } from '../ui/format'

const LABEL = 210
const CHART = 760
const RIGHT = 110
const ROW = 26
const AXIS = 24
const BAR = 8

export function GanttChart(props: { nodes: NodeTiming[]; goLive: string; tz: string }) {
  const { t, lang, tx } = useI18n()
  const [range, setRange] = useState<GanttRange>('all')
  const offset = zoneOffsetMinutes(new Date(props.goLive), props.tz) * 60_000
  const layout = useMemo(
    () => ganttLayout(props.nodes, props.goLive, range, offset),
    [props.nodes, props.goLive, range, offset],
  )
  const width = LABEL + CHART + RIGHT
  const height = AXIS + layout.rows.length * ROW + 8
  const x = (fraction: number) => LABEL + fraction * CHART
  const span = layout.end - layout.start
  const withDate = span > 86_400_000

  return (
    <figure className="pmgantt" data-testid="gantt">
      <div className="pmgantt__head">
        <figcaption id="gantt-title">{t('review.gantt')}</figcaption>
        <div className="pmgantt__legend" aria-hidden="true">
          <span className="pmgantt__key pmgantt__key--planned">{t('review.planned')}</span>
          <span className="pmgantt__key pmgantt__key--on_time">{t('review.onTime')}</span>
          <span className="pmgantt__key pmgantt__key--late">{t('review.late')}</span>
          <span className="pmgantt__key pmgantt__key--skipped">{t('nodeState.skipped')}</span>
        </div>
        <div
          className="segmented segmented--small"
          role="radiogroup"
          aria-label={t('timeline.range')}
        >
          {(['all', 'show'] as const).map((value) => (
            <label key={value} className="segmented__option">
              <input
                type="radio"
                name="gantt-range"
                checked={range === value}
                onChange={() => setRange(value)}
              />
              <span>{t(value === 'all' ? 'timeline.rangeAll' : 'review.rangeShow')}</span>
            </label>
          ))}
        </div>
      </div>
      <div className="pmgantt__scroll">
        <svg
          viewBox={`0 0 ${width} ${height}`}
          width="100%"
          role="img"
          aria-labelledby="gantt-title"
          className="pmgantt__svg"
        >
          {layout.ticks.map((tick) => (
            <g key={tick.at}>
              <line
                className="pmgantt__grid"
                x1={x(tick.x)}
                x2={x(tick.x)}
                y1={AXIS - 4}
                y2={height}
              />
              <text className="pmgantt__tick" x={x(tick.x)} y={AXIS - 8} textAnchor="middle">
                {withDate
                  ? formatDayTime(new Date(tick.at).toISOString(), lang, props.tz)
                  : formatTime(new Date(tick.at).toISOString(), lang, props.tz, tick.at)}
              </text>
            </g>
          ))}
          {layout.rows.map((row, index) => (
            <GanttBars
              key={row.timing.node_id}
              row={row}
              y={AXIS + index * ROW}
              x={x}
              roleText={row.timing.role ? roleLabel(tx, row.timing.role) : ''}
            />
          ))}
          {layout.goLiveX !== null && (
            <g className="pmgantt__golive">
              <line x1={x(layout.goLiveX)} x2={x(layout.goLiveX)} y1={AXIS - 4} y2={height} />
              <text x={x(layout.goLiveX) + 4} y={height - 4}>
                T0
              </text>
            </g>
          )}
        </svg>
      </div>
      <details className="pmgantt__table">
        <summary>{t('review.asTable')}</summary>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('goLive.what')}</th>
              <th scope="col">{t('review.plannedDue')}</th>
              <th scope="col">{t('review.finished')}</th>
              <th scope="col">{t('review.lateness')}</th>
              <th scope="col">{t('review.outcome')}</th>
            </tr>
          </thead>
          <tbody>
            {layout.rows.map((row) => (
              <tr key={row.timing.node_id}>
                <th scope="row">{row.timing.title}</th>
                <td>{formatDayTime(row.timing.planned_due, lang, props.tz)}</td>
                <td>{formatDayTime(row.timing.finished_at, lang, props.tz)}</td>
                <td>{durationsOf(t).lateness(row.timing.lateness_minutes)}</td>
                <td>{t(`review.outcome.${row.outcome}` as MessageKey)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  )
}

function GanttBars({
  row,
  y,
  x,
  roleText,
}: {
  row: GanttRow
  y: number
  x: (fraction: number) => number
  roleText: string
}) {
  const { t } = useI18n()
  const said = durationsOf(t)
  const mid = y + ROW / 2
  const late = row.timing.lateness_minutes
  return (
    <g className={`pmgantt__row pmgantt__row--${row.outcome}`} data-node={row.timing.node_id}>
      <title>
        {`${row.timing.title} · ${t(`review.outcome.${row.outcome}` as MessageKey)}${
          late !== null ? ` · ${said.lateness(late)}` : ''
        }`}
      </title>
      <text className="pmgantt__label" x={LABEL - 8} y={mid + 4} textAnchor="end">
        {truncate(row.timing.title, 14)}
        {roleText && <tspan className="pmgantt__role"> · {roleText}</tspan>}
      </text>
      {row.planned && (
        <rect
          className="pmgantt__planned"
          x={x(row.planned.from)}
          y={mid - BAR}
          width={Math.max(2, x(row.planned.to) - x(row.planned.from))}
          height={BAR * 2}
          rx={3}
        />
      )}
      {row.actual && (
        <rect
          className="pmgantt__actual"
          x={x(row.actual.from)}
          y={mid - BAR / 2}
          width={Math.max(3, x(row.actual.to) - x(row.actual.from))}
          height={BAR}
          rx={2}
        />
      )}
      {late !== null && Math.round(late) > 0 && row.actual && (
        <text
          className="pmgantt__late"
          x={Math.min(x(row.actual.to) + 6, LABEL + CHART + 4)}
          y={mid + 4}
        >
          {said.lateness(late)}
        </text>
      )}
    </g>
  )
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
