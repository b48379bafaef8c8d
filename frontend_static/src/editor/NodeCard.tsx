// One node on the canvas: kind, title, role and time against go-live, with its problem
// marker. Handles: in on the left, out on the right (runbooks flow left to right).

import { Handle, Position, type Node, type NodeProps } from '@xyflow/react'
import { memo } from 'react'
import { useI18n } from '../i18n/react'
import type { GraphNode } from '../model/graph'
import { describeMinutes, describeOffset } from '../model/minutes'
import { worstSeverity, type Problem } from '../model/problems'
import { Icon } from '../ui/icons'
import { kindLabel, problemTitle, roleLabel, unitWords } from './labels'

export interface CueNodeData extends Record<string, unknown> {
  node: GraphNode
  problems: Problem[] | undefined
  critical: boolean
  diff: 'added' | 'changed' | null
}

export type CueFlowNode = Node<CueNodeData, 'cue'>

function CueNodeView({ data, selected }: NodeProps<CueFlowNode>) {
  const { t, tx } = useI18n()
  const { node, problems } = data
  const severity = worstSeverity(problems)
  const units = unitWords(t)
  const problemText = problems?.map((p) => problemTitle(tx, p)).join('\n')
  const classes = [
    'cue-node',
    `cue-node--${node.kind}`,
    `cue-node--${node.phase}`,
    severity ? `cue-node--${severity}` : '',
    data.critical ? 'cue-node--critical' : '',
    data.diff ? `cue-node--diff-${data.diff}` : '',
    selected ? 'is-selected' : '',
  ]
  return (
    <div
      className={classes.filter(Boolean).join(' ')}
      data-testid={`node-${node.id}`}
      data-kind={node.kind}
      data-phase={node.phase}
      data-severity={severity ?? 'none'}
      title={problemText || undefined}
    >
      {node.kind !== 'start' && (
        <Handle
          type="target"
          position={Position.Left}
          data-testid={`handle-in-${node.id}`}
          aria-label={t('canvas.handleIn', { title: node.title })}
        />
      )}
      <div className="cue-node__head">
        <span className="cue-node__icon" aria-hidden="true">
          <Icon name={node.kind} size={12} />
        </span>
        <span className="cue-node__kind">{kindLabel(t, node.kind)}</span>
        {node.role && <span className="cue-node__role">{roleLabel(tx, node.role)}</span>}
        {severity && (
          <span
            className={`problem-marker problem-marker--${severity}`}
            role="img"
            data-testid={`marker-${node.id}`}
            aria-label={t('canvas.nodeProblems', { count: problems!.length })}
          >
            {severity === 'error' ? '!' : '?'}
            {problems!.length > 1 ? problems!.length : ''}
          </span>
        )}
      </div>
      <div className="cue-node__title">{node.title}</div>
      <div className="cue-node__time">
        {node.offset_minutes !== null && <span>{describeOffset(node.offset_minutes, units)}</span>}
        {node.duration_minutes !== null && node.duration_minutes > 0 && (
          <span className="cue-node__duration">
            <Icon name="duration" size={11} />
            {describeMinutes(node.duration_minutes, units)}
          </span>
        )}
      </div>
      {node.kind !== 'end' && (
        <Handle
          type="source"
          position={Position.Right}
          data-testid={`handle-out-${node.id}`}
          aria-label={t('canvas.handleOut', { title: node.title })}
        />
      )}
    </div>
  )
}

export const CueNode = memo(CueNodeView)
