// A staff member's task inbox: today's and overdue tasks first, then the rest, each part
// grouped by run, most pressing first; then what is coming (steps not open yet) and what
// was done today. Pure: the page passes the tasks, the steps and the time.

import type { Task, UpcomingStep } from '../api/types'
import { urgency, type Urgency } from './countdown'
import { duration, type DurationWords } from './durations'

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

// ----- what is coming, what was done today ---------------------------------------------

export interface UpcomingGroup {
  runId: number
  runName: string
  runTz: string
  steps: UpcomingStep[]
}

const plannedOf = (step: UpcomingStep): number =>
  step.planned_start ? Date.parse(step.planned_start) : Number.POSITIVE_INFINITY

/** Soonest planned first (unplanned last), then by run and node, as the server orders. */
export function compareSteps(a: UpcomingStep, b: UpcomingStep): number {
  return (
    plannedOf(a) - plannedOf(b) ||
    a.run_id - b.run_id ||
    (a.node_id < b.node_id ? -1 : a.node_id > b.node_id ? 1 : 0)
  )
}

/** The coming steps grouped by run, the run with the soonest step first. */
export function arrangeUpcoming(steps: readonly UpcomingStep[]): UpcomingGroup[] {
  const groups = new Map<number, UpcomingGroup>()
  for (const step of [...steps].sort(compareSteps)) {
    const group = groups.get(step.run_id)
    if (group) group.steps.push(step)
    else
      groups.set(step.run_id, {
        runId: step.run_id,
        runName: step.run_name,
        runTz: step.run_tz,
        steps: [step],
      })
  }
  return [...groups.values()]
}

/** The step that comes first of all, or null. */
export function nextStep(steps: readonly UpcomingStep[]): UpcomingStep | null {
  return steps.length ? [...steps].sort(compareSteps)[0] : null
}

/** An offset against go-live as people read it: "T−1小时30分钟", "T+45 分钟", "T0". */
export function offsetText(minutes: number, words: DurationWords): string {
  if (Math.round(minutes) === 0) return 'T0'
  return `T${minutes < 0 ? '\u2212' : '+'}${duration(minutes, words)}`
}

/** Tasks finished today, the latest first. */
export function doneToday(tasks: readonly Task[]): Task[] {
  const at = (task: Task) => (task.completed_at ? Date.parse(task.completed_at) : 0)
  return [...tasks].sort((a, b) => at(b) - at(a) || b.id - a.id)
}

const calendarDay = (instant: number, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(instant))

/** Whether an instant falls today or tomorrow in a zone (as seen at `now`), or neither. */
export function dayIn(iso: string, timeZone: string, now: number): 'today' | 'tomorrow' | null {
  const day = calendarDay(Date.parse(iso), timeZone)
  if (day === calendarDay(now, timeZone)) return 'today'
  // Calendar dates, not 24-hour steps: a day may last 23 or 25 hours.
  const [y, m, d] = calendarDay(now, timeZone).split('-').map(Number)
  const tomorrow = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10)
  return day === tomorrow ? 'tomorrow' : null
}
