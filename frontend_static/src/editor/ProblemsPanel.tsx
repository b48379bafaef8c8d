// Every validation problem of the draft; choosing one selects and shows what it concerns.

import { useReactFlow } from '@xyflow/react'
import { useI18n } from '../i18n/react'
import type { EditorSession } from '../model/editorSession'
import type { Graph } from '../model/graph'
import { sortProblems, type Problem } from '../model/problems'
import { MIN_READABLE_ZOOM } from '../model/viewport'
import { problemTitle } from './labels'

export function useFocusElements(session: EditorSession) {
  const flow = useReactFlow()
  return (nodeIds: string[], edgeIds: string[], graph: Graph) => {
    const ends = graph.edges
      .filter((e) => edgeIds.includes(e.id))
      .flatMap((e) => [e.source, e.target])
    const shown = [...new Set([...nodeIds, ...ends])]
    session.select({ nodeIds, edgeIds: nodeIds.length ? [] : edgeIds })
    if (shown.length)
      void flow.fitView({
        nodes: shown.map((id) => ({ id })),
        duration: 300,
        maxZoom: 1.2,
        minZoom: MIN_READABLE_ZOOM, // two far-apart nodes: centred between them, readable
        padding: 0.4,
      })
  }
}

export function ProblemList(props: {
  problems: Problem[]
  graph: Graph
  onFocus: (nodeIds: string[], edgeIds: string[]) => void
}) {
  const { t, tx } = useI18n()
  const title = (id: string) => props.graph.nodes.find((n) => n.id === id)?.title
  if (props.problems.length === 0) return <p className="ok-message">{t('problems.none')}</p>
  return (
    <ul className="problem-list">
      {sortProblems(props.problems).map((p, i) => {
        const names = p.node_ids.map(title).filter(Boolean)
        const focusable = p.node_ids.length + p.edge_ids.length > 0
        return (
          <li key={i} className={`problem problem--${p.severity}`} data-testid="problem">
            <button
              type="button"
              className="problem__button"
              disabled={!focusable}
              onClick={() => props.onFocus(p.node_ids, p.edge_ids)}
            >
              <span
                className={`problem-dot problem-dot--${p.severity}`}
                aria-label={t(p.severity === 'error' ? 'problems.error' : 'problems.warning')}
                role="img"
              />
              <span>
                <strong>{problemTitle(tx, p)}</strong>
                {names.length > 0 && <span className="problem__nodes">{names.join('、')}</span>}
                <small>{p.message}</small>
              </span>
            </button>
          </li>
        )
      })}
    </ul>
  )
}

export function ProblemsPanel(props: {
  session: EditorSession
  graph: Graph
  problems: Problem[]
}) {
  const { t } = useI18n()
  const focus = useFocusElements(props.session)
  return (
    <section className="side-section" aria-label={t('problems.title')} data-testid="problems-panel">
      <h2 className="panel-title">{t('problems.title')}</h2>
      <p className="muted">{t('problems.hint')}</p>
      <ProblemList
        problems={props.problems}
        graph={props.graph}
        onFocus={(n, e) => focus(n, e, props.graph)}
      />
    </section>
  )
}
