// A connection on the canvas. Decision paths show their condition (or "otherwise"); an
// edge with a problem turns red or amber and carries a marker.

import {
  BaseEdge,
  EdgeLabelRenderer,
  getBezierPath,
  type Edge,
  type EdgeProps,
} from '@xyflow/react'
import { memo } from 'react'
import { useI18n } from '../i18n/react'
import { describeCondition } from '../model/conditions'
import type { GraphEdge } from '../model/graph'
import { worstSeverity, type Problem } from '../model/problems'
import { problemTitle } from './labels'

export interface CueEdgeData extends Record<string, unknown> {
  edge: GraphEdge
  problems: Problem[] | undefined
  critical: boolean
  fromDecision: boolean
  onSelect: (id: string) => void
}

export type CueFlowEdge = Edge<CueEdgeData, 'cue'>

function CueEdgeView(props: EdgeProps<CueFlowEdge>) {
  const { t, tx } = useI18n()
  const data = props.data!
  const { edge, problems } = data
  const [path, labelX, labelY] = getBezierPath(props)
  const severity = worstSeverity(problems)
  const text = [
    edge.label,
    edge.condition ? describeCondition(edge.condition) : '',
    edge.is_default ? t('canvas.otherwise') : '',
  ]
    .filter(Boolean)
    .join(' · ')
  const classes = [
    'cue-edge',
    severity ? `cue-edge--${severity}` : '',
    data.critical ? 'cue-edge--critical' : '',
    props.selected ? 'is-selected' : '',
  ]
  return (
    <>
      <BaseEdge
        id={props.id}
        path={path}
        markerEnd={props.markerEnd}
        className={classes.filter(Boolean).join(' ')}
        interactionWidth={18}
      />
      {(text || severity) && (
        <EdgeLabelRenderer>
          <button
            type="button"
            className={`edge-label nodrag nopan${severity ? ` edge-label--${severity}` : ''}${props.selected ? ' is-selected' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-testid={`edge-label-${edge.id}`}
            title={problems?.map((p) => problemTitle(tx, p)).join('\n')}
            onClick={() => data.onSelect(edge.id)}
          >
            {severity && (
              <span
                className={`problem-marker problem-marker--${severity}`}
                role="img"
                data-testid={`marker-${edge.id}`}
                aria-label={t('canvas.edgeProblems', { count: problems!.length })}
              >
                !
              </span>
            )}
            {text}
          </button>
        </EdgeLabelRenderer>
      )}
    </>
  )
}

export const CueEdgeComponent = memo(CueEdgeView)
