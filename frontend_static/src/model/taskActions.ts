// What a manager does to a task beyond the staff's actions: reopen a finished one, hand
// it to someone else, skip it with a reason. Which of these the caller may do now comes
// from the task detail's `actions` (the server's rules); this only orders and checks.

import type { Member, RosterEntry, TaskAction } from '../api/types'

export const MANAGER_ACTIONS = ['reopen', 'reassign', 'skip'] as const
export type ManagerAction = (typeof MANAGER_ACTIONS)[number]

/** The manager actions among what the caller may do now, in a fixed order. */
export function managerActions(actions: readonly TaskAction[]): ManagerAction[] {
  return MANAGER_ACTIONS.filter((action) => actions.includes(action))
}

export interface Candidates {
  /** People cast in the task's role in this run. */
  holders: Member[]
  /** Every other member of the workspace. */
  others: Member[]
}

const byName = (a: Member, b: Member) => a.name.localeCompare(b.name, 'zh-CN')

/** Who the task can go to: the role's holders first, then the other members, each by
 * name; the present assignee is left out (and people who are no longer members). */
export function reassignCandidates(
  role: string | null,
  roster: readonly RosterEntry[],
  members: readonly Member[],
  assigneeId: number | null,
): Candidates {
  const holding = new Set(roster.filter((r) => r.role === role).map((r) => r.user_id))
  const open = members.filter((m) => m.user_id !== assigneeId)
  return {
    holders: open.filter((m) => holding.has(m.user_id)).sort(byName),
    others: open.filter((m) => !holding.has(m.user_id)).sort(byName),
  }
}

/** A skip needs its reason, a reassign a person; a reopen can go as it is. */
export function readyToSend(action: ManagerAction, note: string, assigneeId: number | null) {
  if (action === 'skip') return note.trim() !== ''
  if (action === 'reassign') return assigneeId !== null
  return true
}
