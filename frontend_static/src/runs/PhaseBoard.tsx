// The three phases of a run side by side, each node with its state (colour and word),
// planned due time and lateness. Finished phases fold their done nodes to a count.

import type { RunDetail } from '../api/types'
import { roleLabel, phaseLabel } from '../editor/labels'
import { useI18n } from '../i18n/react'
import { nodeLateness, nodesByPhase, phaseProgress, NODE_STATES } from '../model/controlRoom'
import { PHASES } from '../model/graph'
import { formatTime } from '../ui/format'
import { lateText, StateBadge } from './words'

export function PhaseBoard({ run, now }: { run: RunDetail; now: number }) {
  const { t, lang, tx } = useI18n()
  const phases = nodesByPhase(run.nodes)
  return (
    <section className="phases" aria-label={t('room.phases')}>
      {PHASES.map((phase) => {
        const nodes = phases[phase]
        const progress = phaseProgress(nodes)
        return (
          <section
            key={phase}
            className={`phase phase--${phase}`}
            aria-labelledby={`phase-${phase}`}
            data-testid={`phase-${phase}`}
          >
            <h2 id={`phase-${phase}`} className="phase__title">
              {phaseLabel(t, phase)}
              <span className="phase__count">
                {t('room.phaseCount', { finished: progress.finished, total: progress.total })}
              </span>
            </h2>
            <ol className="phase__nodes">
              {nodes.map((node) => {
                const late = nodeLateness(node, now)
                return (
                  <li
                    key={node.node_id}
                    className={`node-row node-row--${node.state}${late ? ' is-late' : ''}`}
                    data-testid={`node-${node.node_id}`}
                    data-state={node.state}
                  >
                    <StateBadge kind="node" value={node.state} />
                    <span className="node-row__title">{node.title}</span>
                    <span className="node-row__meta">
                      {node.role && <span>{roleLabel(tx, node.role)}</span>}
                      {node.planned_due && (
                        <span>
                          {t('room.due', { time: formatTime(node.planned_due, lang, run.tz) })}
                        </span>
                      )}
                      {late !== null && <span className="late">{lateText(t, late)}</span>}
                    </span>
                  </li>
                )
              })}
            </ol>
          </section>
        )
      })}
      <Legend />
    </section>
  )
}

function Legend() {
  const { t } = useI18n()
  return (
    <div className="state-legend" aria-label={t('room.legend')}>
      {NODE_STATES.map((state) => (
        <StateBadge key={state} kind="node" value={state} />
      ))}
      <span className="late">{t('room.legendLate')}</span>
    </div>
  )
}
