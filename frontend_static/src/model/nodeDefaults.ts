// A new node of a kind, as the palette drops it: sensible defaults a planner then edits.

import { defaultSettings, type Graph, type GraphNode, type NodeKind, type Phase } from './graph'
import { newId } from './ids'

/** The role a new node starts with: approvals go to the manager; other work is assigned
 * by the planner (validation flags a task without a role). */
const DEFAULT_ROLE: Partial<Record<NodeKind, string>> = { approval: 'manager' }

export function newNode(
  graph: Graph,
  kind: NodeKind,
  phase: Phase,
  position: { x: number; y: number },
  title: string,
): GraphNode {
  const id = newId(kind, new Set(graph.nodes.map((n) => n.id)))
  return {
    id,
    kind,
    phase,
    title,
    description: '',
    role: DEFAULT_ROLE[kind] ?? null,
    offset_minutes: null,
    duration_minutes: kind === 'task' || kind === 'approval' ? 30 : null,
    x: Math.round(position.x),
    y: Math.round(position.y),
    settings: defaultSettings(kind) as Record<string, unknown>,
  }
}

/** "任务 3": the kind's name and the next number not yet used as a title. */
export function nextTitle(graph: Graph, base: string): string {
  const titles = new Set(graph.nodes.map((n) => n.title))
  for (let i = 1; ; i++) {
    const title = `${base} ${i}`
    if (!titles.has(title)) return title
  }
}
