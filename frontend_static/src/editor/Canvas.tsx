// The React Flow canvas bound to the editor session: nodes and edges drawn from the graph,
// gestures (drag, connect, select, delete, drop from the palette) sent back as edits.

import {
  Background,
  BackgroundVariant,
  Controls,
  MarkerType,
  MiniMap,
  Panel,
  ReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type OnNodeDrag,
  useReactFlow,
} from '@xyflow/react'
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react'
import { useI18n } from '../i18n/react'
import type { EditorSession } from '../model/editorSession'
import type { EditorState } from '../model/editorState'
import { NODE_KINDS, type NodeKind } from '../model/graph'
import type { GraphEdit } from '../model/graphReducer'
import { computeLanes, phaseOfNodeAt } from '../model/lanes'
import { openingViewport } from '../model/viewport'
import type { ProblemIndex } from '../model/problems'
import { CueEdgeComponent, type CueFlowEdge } from './CueEdge'
import { Lanes } from './Lanes'
import { CueNode, type CueFlowNode } from './NodeCard'
import { KIND_MIME, useAddNode } from './useAddNode'

const nodeTypes = { cue: CueNode }

const edgeTypes = { cue: CueEdgeComponent }

export interface Highlight {
  critical: ReadonlySet<string> | null
  added: ReadonlySet<string> | null
  changed: ReadonlySet<string> | null
}

export function Canvas(props: {
  session: EditorSession
  state: EditorState
  problems: ProblemIndex
  highlight: Highlight
  /** Bumped to fit the whole runbook in view (after a layout, from the toolbar). */
  fitRequest: number
}) {
  const { session, state, problems, highlight, fitRequest } = props
  const { t } = useI18n()
  const graph = state.history.present
  const readOnly = state.readOnly
  const lanes = useMemo(() => computeLanes(graph), [graph])
  const wrapper = useRef<HTMLDivElement>(null)
  const addNode = useAddNode(session, () => wrapper.current)

  // Measured sizes (React Flow needs them back on every node it is given) and positions
  // of nodes while they are being dragged (committed to the graph when the drag ends).
  const measured = useRef(new Map<string, { width: number; height: number }>())
  const [, setMeasureTick] = useState(0)
  const [dragging, setDragging] = useState<ReadonlyMap<string, { x: number; y: number }>>(new Map())

  const selectedNodes = useMemo(() => new Set(state.selection.nodeIds), [state.selection.nodeIds])
  const selectedEdges = useMemo(() => new Set(state.selection.edgeIds), [state.selection.edgeIds])

  const nodes: CueFlowNode[] = graph.nodes.map((node) => ({
    id: node.id,
    type: 'cue',
    position: dragging.get(node.id) ?? { x: node.x, y: node.y },
    data: {
      node,
      problems: problems.byNode.get(node.id),
      critical: highlight.critical?.has(node.id) ?? false,
      diff: highlight.added?.has(node.id)
        ? 'added'
        : highlight.changed?.has(node.id)
          ? 'changed'
          : null,
    },
    selected: selectedNodes.has(node.id),
    measured: measured.current.get(node.id),
    deletable: !readOnly && node.kind !== 'start',
    draggable: !readOnly,
    connectable: !readOnly,
    ariaLabel: `${t(`kind.${node.kind}`)} ${node.title}`,
  }))

  const selectEdge = useCallback(
    (id: string) => session.select({ nodeIds: [], edgeIds: [id] }),
    [session],
  )
  const kinds = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n.kind])), [graph.nodes])
  const edges: CueFlowEdge[] = graph.edges.map((edge) => {
    const critical =
      (highlight.critical?.has(edge.source) && highlight.critical?.has(edge.target)) ?? false
    return {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      type: 'cue',
      selected: selectedEdges.has(edge.id),
      deletable: !readOnly,
      markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
      data: {
        edge,
        problems: problems.byEdge.get(edge.id),
        critical,
        fromDecision: kinds.get(edge.source) === 'decision',
        onSelect: selectEdge,
      },
    }
  })

  const onNodesChange = useCallback(
    (changes: NodeChange<CueFlowNode>[]) => {
      let measuredChanged = false
      let selectionChanged = false
      const nextSelected = new Set(session.getState().selection.nodeIds)
      const moves = new Map<string, { x: number; y: number }>()
      for (const change of changes) {
        if (change.type === 'dimensions' && change.dimensions) {
          measured.current.set(change.id, change.dimensions)
          measuredChanged = true
        } else if (change.type === 'select') {
          selectionChanged = true
          if (change.selected) nextSelected.add(change.id)
          else nextSelected.delete(change.id)
        } else if (change.type === 'position' && change.position && change.dragging) {
          moves.set(change.id, change.position)
        }
      }
      if (measuredChanged) setMeasureTick((n) => n + 1)
      if (moves.size) setDragging((before) => new Map([...before, ...moves]))
      if (selectionChanged) {
        const edgeIds = nextSelected.size ? [] : session.getState().selection.edgeIds
        session.select({ nodeIds: [...nextSelected], edgeIds })
      }
    },
    [session],
  )

  const onEdgesChange = useCallback(
    (changes: EdgeChange<CueFlowEdge>[]) => {
      const selected = new Set(session.getState().selection.edgeIds)
      let changed = false
      for (const change of changes) {
        if (change.type !== 'select') continue
        changed = true
        if (change.selected) selected.add(change.id)
        else selected.delete(change.id)
      }
      if (changed) {
        const nodeIds = selected.size ? [] : session.getState().selection.nodeIds
        session.select({ nodeIds, edgeIds: [...selected] })
      }
    },
    [session],
  )

  /** The drag ends: commit the positions as one undo step. A node dragged into another
   * lane takes that lane's phase. */
  const onNodeDragStop: OnNodeDrag<CueFlowNode> = useCallback(
    (_event, _node, dragged) => {
      const current = session.getState().history.present
      const laneGeometry = computeLanes(current)
      const byId = new Map(current.nodes.map((n) => [n.id, n]))
      const edits: GraphEdit[] = [
        {
          type: 'moveNodes',
          positions: dragged.map((n) => ({
            id: n.id,
            x: Math.round(n.position.x),
            y: Math.round(n.position.y),
          })),
        },
      ]
      for (const n of dragged) {
        const before = byId.get(n.id)
        if (!before) continue
        const from = phaseOfNodeAt(laneGeometry, before.x)
        const to = phaseOfNodeAt(laneGeometry, n.position.x)
        if (from !== to && to !== before.phase) {
          edits.push({ type: 'updateNode', id: n.id, patch: { phase: to } })
        }
      }
      session.edit({ type: 'batch', edits })
      setDragging(new Map())
    },
    [session],
  )

  // The opening view once React Flow is ready, and again (animated) on every fit request:
  // readable, T0 in view, never blank (model/viewport.ts). Runs after React Flow has taken
  // the new positions (its effects run before ours).
  const flow = useReactFlow()
  const [ready, setReady] = useState(false)
  useEffect(() => {
    const box = wrapper.current?.getBoundingClientRect()
    if (!ready || !box?.width || !box.height) return
    const current = session.getState().history.present
    const view = openingViewport(current, computeLanes(current), box.width, box.height)
    void flow.setViewport(view, fitRequest > 0 ? { duration: 300 } : undefined)
  }, [ready, fitRequest, flow, session])
  const onInit = useCallback(() => setReady(true), [])

  const onConnect = useCallback(
    (connection: Connection) => {
      session.edit({
        type: 'addEdge',
        edge: {
          source: connection.source,
          target: connection.target,
          condition: null,
          is_default: false,
          label: '',
        },
      })
    },
    [session],
  )

  const isValidConnection = useCallback(
    (connection: { source: string | null; target: string | null }) => {
      const { source, target } = connection
      if (!source || !target || source === target) return false
      return !session
        .getState()
        .history.present.edges.some((e) => e.source === source && e.target === target)
    },
    [session],
  )

  /** Dragging the end of a connection to another node moves that end. */
  const onReconnect = useCallback(
    (old: CueFlowEdge, connection: Connection) => {
      if (!isValidConnection(connection)) return
      session.edit({
        type: 'updateEdge',
        id: old.id,
        patch: { source: connection.source, target: connection.target },
      })
    },
    [session, isValidConnection],
  )

  const onDelete = useCallback(
    ({ nodes: gone, edges: goneEdges }: { nodes: CueFlowNode[]; edges: CueFlowEdge[] }) => {
      session.edit({
        type: 'remove',
        nodeIds: gone.map((n) => n.id),
        edgeIds: goneEdges.map((e) => e.id),
      })
    },
    [session],
  )

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(KIND_MIME)) return
    event.preventDefault()
    event.dataTransfer.dropEffect = 'copy'
  }, [])

  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = event.dataTransfer.getData(KIND_MIME) as NodeKind
      if (!(NODE_KINDS as readonly string[]).includes(kind) || readOnly) return
      event.preventDefault()
      addNode(kind, { x: event.clientX, y: event.clientY })
    },
    [addNode, readOnly],
  )

  const ariaLabelConfig = useMemo(
    () => ({
      'controls.ariaLabel': t('canvas.controls'),
      'controls.zoomIn.ariaLabel': t('canvas.zoomIn'),
      'controls.zoomOut.ariaLabel': t('canvas.zoomOut'),
      'controls.fitView.ariaLabel': t('canvas.fit'),
      'controls.interactive.ariaLabel': t('canvas.lock'),
      'minimap.ariaLabel': t('canvas.minimap'),
      'handle.ariaLabel': t('canvas.handle'),
    }),
    [t],
  )

  return (
    <div
      className="canvas"
      ref={wrapper}
      onDragOver={onDragOver}
      onDrop={onDrop}
      data-testid="canvas"
      aria-label={t('canvas.label')}
      role="region"
    >
      <ReactFlow<CueFlowNode, CueFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        onReconnect={readOnly ? undefined : onReconnect}
        edgesReconnectable={!readOnly}
        onDelete={onDelete}
        isValidConnection={isValidConnection}
        onPaneClick={() => session.select({ nodeIds: [], edgeIds: [] })}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
        multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
        onInit={onInit}
        minZoom={0.2}
        maxZoom={2}
        panOnScroll
        zoomOnPinch
        ariaLabelConfig={ariaLabelConfig}
      >
        <Lanes lanes={lanes} />
        {!readOnly && graph.nodes.length <= 2 && (
          <Panel position="top-center" className="canvas-hint">
            {t('canvas.emptyHint')}
          </Panel>
        )}
        <Background variant={BackgroundVariant.Dots} gap={20} size={1} />
        <Controls showInteractive={false} showFitView={false} position="bottom-left" />
        <MiniMap
          pannable
          zoomable
          position="bottom-right"
          nodeStrokeWidth={3}
          style={{ width: 160, height: 100 }}
        />
      </ReactFlow>
    </div>
  )
}
