// Every edit a planner makes to the graph, as data, and the pure function applying it.
// An edit that changes nothing returns the same document, so it records no undo step.

import type { Graph, GraphEdge, GraphNode, Variable } from './graph'
import { newId } from './ids'

export interface Position {
  id: string
  x: number
  y: number
}

export type GraphEdit =
  | { type: 'addNode'; node: GraphNode }
  | { type: 'updateNode'; id: string; patch: Partial<Omit<GraphNode, 'id'>> }
  | { type: 'moveNodes'; positions: Position[] }
  | { type: 'addEdge'; edge: Omit<GraphEdge, 'id'> & { id?: string } }
  | { type: 'updateEdge'; id: string; patch: Partial<Omit<GraphEdge, 'id'>> }
  | { type: 'remove'; nodeIds?: string[]; edgeIds?: string[] }
  | { type: 'setVariables'; variables: Variable[] }
  | { type: 'replace'; graph: Graph }
  | { type: 'batch'; edits: GraphEdit[] }

export function applyEdit(graph: Graph, edit: GraphEdit): Graph {
  switch (edit.type) {
    case 'addNode':
      if (graph.nodes.some((n) => n.id === edit.node.id)) return graph
      return { ...graph, nodes: [...graph.nodes, edit.node] }
    case 'updateNode':
      return updateNode(graph, edit.id, edit.patch)
    case 'moveNodes':
      return moveNodes(graph, edit.positions)
    case 'addEdge':
      return addEdge(graph, edit.edge)
    case 'updateEdge':
      return updateEdge(graph, edit.id, edit.patch)
    case 'remove':
      return remove(graph, edit.nodeIds ?? [], edit.edgeIds ?? [])
    case 'setVariables':
      return { ...graph, variables: edit.variables }
    case 'replace':
      return edit.graph
    case 'batch':
      return edit.edits.reduce(applyEdit, graph)
  }
}

function changes<T extends object>(item: T, patch: Partial<T>): boolean {
  return Object.entries(patch).some(
    ([key, value]) => JSON.stringify(item[key as keyof T]) !== JSON.stringify(value),
  )
}

function updateNode(graph: Graph, id: string, patch: Partial<GraphNode>): Graph {
  const index = graph.nodes.findIndex((n) => n.id === id)
  if (index < 0 || !changes(graph.nodes[index], patch)) return graph
  const nodes = graph.nodes.slice()
  nodes[index] = { ...nodes[index], ...patch }
  return { ...graph, nodes }
}

function moveNodes(graph: Graph, positions: Position[]): Graph {
  const moved = new Map(positions.map((p) => [p.id, p]))
  let changed = false
  const nodes = graph.nodes.map((node) => {
    const to = moved.get(node.id)
    if (!to || (to.x === node.x && to.y === node.y)) return node
    changed = true
    return { ...node, x: to.x, y: to.y }
  })
  return changed ? { ...graph, nodes } : graph
}

/** Refuses loops on one node, duplicates of an existing connection and unknown ends.
 * The first path out of a decision becomes its default ("otherwise") path. */
function addEdge(graph: Graph, edge: Omit<GraphEdge, 'id'> & { id?: string }): Graph {
  const ids = new Set(graph.nodes.map((n) => n.id))
  if (edge.source === edge.target || !ids.has(edge.source) || !ids.has(edge.target)) return graph
  if (graph.edges.some((e) => e.source === edge.source && e.target === edge.target)) return graph
  const source = graph.nodes.find((n) => n.id === edge.source)
  const firstOutOfDecision =
    source?.kind === 'decision' && !graph.edges.some((e) => e.source === edge.source)
  const id = edge.id ?? newId('e', new Set(graph.edges.map((e) => e.id)))
  if (graph.edges.some((e) => e.id === id)) return graph
  const added: GraphEdge = {
    ...edge,
    id,
    is_default: edge.is_default || (firstOutOfDecision && edge.condition === null),
  }
  return { ...graph, edges: [...graph.edges, added] }
}

function updateEdge(graph: Graph, id: string, patch: Partial<GraphEdge>): Graph {
  const index = graph.edges.findIndex((e) => e.id === id)
  if (index < 0 || !changes(graph.edges[index], patch)) return graph
  const edges = graph.edges.slice()
  edges[index] = { ...edges[index], ...patch }
  return { ...graph, edges }
}

/** Removes the nodes, every edge touching them, and the edges named. Start cannot go. */
function remove(graph: Graph, nodeIds: string[], edgeIds: string[]): Graph {
  const goneNodes = new Set(
    nodeIds.filter((id) => graph.nodes.find((n) => n.id === id)?.kind !== 'start'),
  )
  const goneEdges = new Set(edgeIds)
  const nodes = graph.nodes.filter((n) => !goneNodes.has(n.id))
  const edges = graph.edges.filter(
    (e) => !goneEdges.has(e.id) && !goneNodes.has(e.source) && !goneNodes.has(e.target),
  )
  if (nodes.length === graph.nodes.length && edges.length === graph.edges.length) return graph
  return { ...graph, nodes, edges }
}

/** The same graph with each node at the position given (layout answers). */
export function withPositions(graph: Graph, positions: Record<string, [number, number]>): Graph {
  return moveNodes(
    graph,
    Object.entries(positions).map(([id, [x, y]]) => ({ id, x, y })),
  )
}
