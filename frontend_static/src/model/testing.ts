// Small builders for the editor's unit tests.

import type { Draft, Task, UpcomingStep } from '../api/types'
import { defaultSettings, type Graph, type GraphNode, type NodeKind, type Phase } from './graph'

export function node(
  id: string,
  kind: NodeKind = 'task',
  phase: Phase = 'pre_event',
  extra: Partial<GraphNode> = {},
): GraphNode {
  return {
    id,
    kind,
    phase,
    title: id,
    description: '',
    role: kind === 'task' ? 'planner' : null,
    offset_minutes: null,
    duration_minutes: null,
    x: 0,
    y: 0,
    settings: defaultSettings(kind) as Record<string, unknown>,
    ...extra,
  }
}

export function graph(nodes: GraphNode[], edges: [string, string][] = []): Graph {
  return {
    format: 1,
    variables: [],
    nodes,
    edges: edges.map(([source, target], i) => ({
      id: `e${i + 1}`,
      source,
      target,
      condition: null,
      is_default: false,
      label: '',
    })),
  }
}

export function draft(g: Graph, revision = 1): Draft {
  return {
    runbook_id: 7,
    revision,
    updated_at: '2026-11-23T10:00:00Z',
    graph: g,
    problems: [],
    counts: { errors: 0, warnings: 0 },
  }
}

export const START_END = graph(
  [node('start', 'start'), node('end', 'end', 'review', { x: 300 })],
  [['start', 'end']],
)

/** "Now" in the run pages' tests. */
export const NOW = Date.parse('2026-11-24T12:00:00Z')

/** A task of the list API (GET .../tasks), open and due at `due` (epoch ms). */
export function task(
  id: number,
  runId: number,
  due: number | null,
  extra: Partial<Task> = {},
): Task {
  return {
    id,
    run_id: runId,
    run_name: `run ${runId}`,
    run_status: 'running',
    run_tz: 'Asia/Shanghai',
    node_id: `n${id}`,
    title: `task ${id}`,
    role: 'host',
    status: 'open',
    blocked: false,
    assignee_id: null,
    due_at: due === null ? null : new Date(due).toISOString(),
    ready_at: new Date(NOW - 3600_000).toISOString(),
    claimed_at: null,
    completed_at: null,
    completed_by_id: null,
    note: '',
    ...extra,
  }
}

/** A coming step (GET .../tasks/upcoming) of run `runId`, planned to start at `start`. */
export function upcomingStep(
  nodeId: string,
  runId: number,
  start: number | null,
  extra: Partial<UpcomingStep> = {},
): UpcomingStep {
  const goLive = Date.parse('2026-11-24T12:00:00Z')
  return {
    run_id: runId,
    run_name: `run ${runId}`,
    run_status: 'scheduled',
    run_tz: 'Asia/Shanghai',
    go_live_at: new Date(goLive).toISOString(),
    node_id: nodeId,
    title: `step ${nodeId}`,
    kind: 'task',
    role: 'host',
    phase: 'pre_event',
    planned_start: start === null ? null : new Date(start).toISOString(),
    planned_due: null,
    offset_minutes: start === null ? null : Math.round((start - goLive) / 60_000),
    ...extra,
  }
}
