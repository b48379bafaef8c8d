// What the live control room shows of one run, derived from the API's answers: nodes by
// phase, tasks by role with their people and lateness, the next cues, the problems raised.
// Pure: the page passes the run, its tasks, cues and events, and the time.

import type {
  Cue,
  Member,
  NodeState,
  RosterEntry,
  RunDetail,
  RunEvent,
  RunNode,
  Task,
} from '../api/types'
import { minutesLate } from './countdown'
import { PHASES, type Phase } from './graph'
import { orderRoles } from './runPlan'

/** Nodes that are markers, not work: left out of the phase columns. */
const MARKERS = new Set(['start', 'end'])

const time = (iso: string | null) => (iso ? Date.parse(iso) : Number.POSITIVE_INFINITY)

/** The run's nodes in their three phases, each in planned order. */
export function nodesByPhase(nodes: readonly RunNode[]): Record<Phase, RunNode[]> {
  const out = { pre_event: [], execution: [], review: [] } as Record<Phase, RunNode[]>
  for (const node of nodes) {
    if (MARKERS.has(node.kind)) continue
    const phase = (PHASES as readonly string[]).includes(node.phase) ? (node.phase as Phase) : null
    if (phase) out[phase].push(node)
  }
  for (const phase of PHASES) {
    out[phase].sort(
      (a, b) =>
        time(a.planned_start) - time(b.planned_start) ||
        time(a.planned_due) - time(b.planned_due) ||
        a.node_id.localeCompare(b.node_id),
    )
  }
  return out
}

export interface PhaseProgress {
  finished: number
  total: number
  open: number
}

export function phaseProgress(nodes: readonly RunNode[]): PhaseProgress {
  const finished = nodes.filter((n) => n.state === 'done' || n.state === 'skipped').length
  const open = nodes.filter((n) => n.state === 'ready' || n.state === 'active').length
  return { finished, total: nodes.length, open }
}

/** Minutes a node is (or was) late against its planned due. */
export function nodeLateness(node: RunNode, now: number): number | null {
  if (node.state === 'skipped' || node.state === 'pending') return null
  const at = node.finished_at ? Date.parse(node.finished_at) : now
  return minutesLate(node.planned_due, at)
}

export interface TaskLine {
  task: Task
  assignee: string | null
  late: number | null
}

export interface RoleGroup {
  role: string
  people: { userId: number; name: string }[]
  lines: TaskLine[]
  /** Open tasks of the role that are past due. */
  lateCount: number
}

const OPEN_FIRST: Record<string, number> = {
  claimed: 0,
  open: 1,
  done: 2,
  skipped: 3,
  cancelled: 4,
}

/** Tasks grouped by the role that does them, in the roster's order: open work first (by
 * due), then finished work (latest first). Every cast role appears, even without tasks. */
export function tasksByRole(
  tasks: readonly Task[],
  roster: readonly RosterEntry[],
  members: readonly Member[],
  now: number,
): RoleGroup[] {
  const names = new Map<number, string>()
  for (const m of members) names.set(m.user_id, m.name)
  for (const r of roster) names.set(r.user_id, r.name)
  const order = orderRoles([...roster.map((r) => r.role), ...tasks.map((t) => t.role)])
  const groups = new Map<string, RoleGroup>()
  for (const role of order) {
    const people = roster
      .filter((r) => r.role === role)
      .map((r) => ({ userId: r.user_id, name: r.name }))
    groups.set(role, { role, people, lines: [], lateCount: 0 })
  }
  for (const task of tasks) {
    const group = groups.get(task.role ?? '')
    if (!group) continue
    const open = task.status === 'open' || task.status === 'claimed'
    const at = open ? now : task.completed_at ? Date.parse(task.completed_at) : now
    const late =
      task.status === 'skipped' || task.status === 'cancelled' ? null : minutesLate(task.due_at, at)
    if (open && late !== null) group.lateCount++
    const assignee = task.assignee_id === null ? null : (names.get(task.assignee_id) ?? null)
    group.lines.push({ task, assignee, late })
  }
  for (const group of groups.values()) {
    group.lines.sort((a, b) => {
      const rank = OPEN_FIRST[a.task.status] - OPEN_FIRST[b.task.status]
      if (rank) return rank
      const open = a.task.status === 'open' || a.task.status === 'claimed'
      return open
        ? time(a.task.due_at) - time(b.task.due_at) || a.task.id - b.task.id
        : time(b.task.completed_at) - time(a.task.completed_at) || b.task.id - a.task.id
    })
  }
  return [...groups.values()]
}

// ----- cues ----------------------------------------------------------------------------

/** A cue as the crew speaks of it: planned, sent or skipped (the server's own words). */
export type CueState = Cue['status']

export interface CueLine {
  cue: Cue
  state: CueState
  title: string
  role: string | null
}

/** The cues still ahead, soonest first (at most `limit`): the planned ones and, marked as
 * such, those skipped before their time came; and the last one sent. */
export function nextCues(
  cues: readonly Cue[],
  nodes: readonly RunNode[],
  now: number,
  limit = 6,
): { upcoming: CueLine[]; lastSent: CueLine | null } {
  const byId = new Map(nodes.map((n) => [n.node_id, n]))
  const line = (cue: Cue): CueLine => ({
    cue,
    state: cue.status,
    title: byId.get(cue.node_id)?.title ?? cue.node_id,
    role: byId.get(cue.node_id)?.role ?? null,
  })
  const ahead = (c: Cue) =>
    c.status === 'planned' || (c.status === 'skipped' && time(c.fire_at) > now)
  const upcoming = cues
    .filter(ahead)
    .sort((a, b) => time(a.fire_at) - time(b.fire_at) || a.id - b.id)
    .slice(0, limit)
    .map(line)
  const sent = cues
    .filter((c) => c.status === 'sent')
    .sort((a, b) => time(b.fired_at ?? b.fire_at) - time(a.fired_at ?? a.fire_at))
  return { upcoming, lastSent: sent.length ? line(sent[0]) : null }
}

// ----- problems ------------------------------------------------------------------------

export interface ProblemLine {
  eventId: number
  taskId: number | null
  nodeId: string | null
  title: string
  note: string
  at: string
  reportedBy: number | null
  blocking: boolean
  resolved: { at: string; by: number | null; note: string } | null
}

/** Problems reported on the run's tasks, newest first, each with its resolution (the
 * first `task.resolve_problem` on the same task after it). */
export function problemsOf(events: readonly RunEvent[], nodes: readonly RunNode[]): ProblemLine[] {
  const titles = new Map(nodes.map((n) => [n.node_id, n.title]))
  const open = new Map<number, ProblemLine[]>()
  const lines: ProblemLine[] = []
  for (const event of [...events].sort((a, b) => a.id - b.id)) {
    if (event.kind === 'task.report_problem') {
      const blocked = (event.after as { blocked?: boolean } | null)?.blocked
      const line: ProblemLine = {
        eventId: event.id,
        taskId: event.task_id,
        nodeId: event.node_id,
        title: (event.node_id && titles.get(event.node_id)) || event.node_id || '',
        note: event.note,
        at: event.at,
        reportedBy: event.actor_id,
        blocking: blocked === true,
        resolved: null,
      }
      lines.push(line)
      if (event.task_id !== null)
        open.set(event.task_id, [...(open.get(event.task_id) ?? []), line])
    } else if (event.kind === 'task.resolve_problem' && event.task_id !== null) {
      for (const line of open.get(event.task_id) ?? []) {
        line.resolved = { at: event.at, by: event.actor_id, note: event.note }
      }
      open.delete(event.task_id)
    }
  }
  return lines.reverse()
}

/** The largest event id seen: where the live stream resumes. */
export function lastEventId(events: readonly RunEvent[]): number | null {
  return events.reduce<number | null>((max, e) => (max === null || e.id > max ? e.id : max), null)
}

// ----- who may do what here ------------------------------------------------------------

/** The live crew (中控 operator, 场控 controller) may skip or shift cues during the show,
 * and the control room offers them one-tap completion (engine LIVE_CREW_ROLES). */
export const LIVE_CREW_ROLES = new Set(['operator', 'controller'])

export function rolesOf(run: RunDetail, userId: number): string[] {
  return run.roster.filter((r) => r.user_id === userId).map((r) => r.role)
}

export function isLiveCrew(run: RunDetail, userId: number): boolean {
  return rolesOf(run, userId).some((role) => LIVE_CREW_ROLES.has(role))
}

/** Node states as the legend lists them. */
export const NODE_STATES: readonly NodeState[] = ['pending', 'ready', 'active', 'done', 'skipped']
