// Put a new node of a kind on the canvas: where it was dropped, or in the middle of the
// view (palette used from the keyboard). Its phase is the lane it lands in.

import { useReactFlow } from '@xyflow/react'
import { useCallback } from 'react'
import { useI18n } from '../i18n/react'
import type { EditorSession } from '../model/editorSession'
import type { NodeKind } from '../model/graph'
import { NODE_HEIGHT, NODE_WIDTH, computeLanes, phaseOfNodeAt } from '../model/lanes'
import { newNode, nextTitle } from '../model/nodeDefaults'
import { kindLabel } from './labels'

export const KIND_MIME = 'application/x-cueflow-kind'

export function useAddNode(session: EditorSession, canvas: () => HTMLElement | null) {
  const flow = useReactFlow()
  const { t } = useI18n()
  return useCallback(
    (kind: NodeKind, client?: { x: number; y: number }) => {
      let point = client
      if (!point) {
        const box = canvas()?.getBoundingClientRect()
        if (!box) return
        point = { x: box.left + box.width / 2, y: box.top + box.height / 2 }
      }
      const centre = flow.screenToFlowPosition(point)
      const graph = session.getState().history.present
      const x = centre.x - NODE_WIDTH / 2
      const y = centre.y - NODE_HEIGHT / 2
      const phase = phaseOfNodeAt(computeLanes(graph), x)
      const node = newNode(graph, kind, phase, { x, y }, nextTitle(graph, kindLabel(t, kind)))
      session.edit({ type: 'addNode', node })
      session.select({ nodeIds: [node.id], edgeIds: [] })
    },
    [flow, session, canvas, t],
  )
}
