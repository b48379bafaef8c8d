// A staff member's task inbox: today's and overdue tasks first, then the rest, each part
// grouped by run, most pressing first. Pure: the page passes the tasks and the time.

import type { Task } from '../api/types'
import { urgency, type Urgency } from './countdown'

export type SectionKey = 'now' | 'later'

export interface InboxItem {
  task: Task
  urgency: Urgency
  due: number | null
}

export interface RunGroup {
  runId: number
  runName: string
  items: InboxItem[]
}

export interface InboxSection {
  key: SectionKey
  groups: RunGroup[]
  count: number
}

const dueOf = (task: Task): number | null => (task.due_at ? Date.parse(task.due_at) : null)

/** Soonest due first (the most overdue at the top), undated last, then by id. */
export function compareItems(a: InboxItem, b: InboxItem): number {
  if (a.due !== b.due) {
    if (a.due === null) return 1
    if (b.due === null) return -1
    return a.due - b.due
  }
  return a.task.id - b.task.id
}

/** Which part of the inbox a task belongs in: overdue, soon and today are "now". */
export function sectionOf(item: InboxItem): SectionKey {
  return item.urgency === 'later' || item.urgency === 'undated' ? 'later' : 'now'
}

/** The inbox: sections "now" (overdue and due today) and "later", each with its runs in
 * the order of their most pressing task; empty sections are left out. A run whose tasks
 * fall in both sections appears in both. */
export function arrangeInbox(
  tasks: readonly Task[],
  now: number,
  endOfDay: number,
): InboxSection[] {
  const items = tasks
    .map((task) => {
      const due = dueOf(task)
      return { task, due, urgency: urgency(due, now, endOfDay) }
    })
    .sort(compareItems)
  const sections: InboxSection[] = []
  for (const key of ['now', 'later'] as const) {
    const groups = new Map<number, RunGroup>()
    for (const item of items) {
      if (sectionOf(item) !== key) continue
      const group = groups.get(item.task.run_id)
      if (group) group.items.push(item)
      else
        groups.set(item.task.run_id, {
          runId: item.task.run_id,
          runName: item.task.run_name,
          items: [item],
        })
    }
    // Items were sorted before grouping, so groups come in order of their first item.
    const list = [...groups.values()]
    if (list.length) sections.push({ key, groups: list, count: countItems(list) })
  }
  return sections
}

function countItems(groups: RunGroup[]): number {
  return groups.reduce((sum, g) => sum + g.items.length, 0)
}

/** Tasks due in the past that are still open: the number on the inbox's badge. */
export function overdueCount(tasks: readonly Task[], now: number): number {
  return tasks.filter((t) => t.due_at !== null && Date.parse(t.due_at) < now).length
}
