// How the audit page shows an event: as a sentence in the reader's language with people's
// names, node titles and translated statuses ("运营总监 把「海报设计」改派给 王芳"), the
// fields it changed as a translated line, and the groups of kinds it filters by.

import type { AuditEvent, EventKindFilter } from '../api/types'

/** The filter's groups of event kinds (engine/model/events.py), in the order shown. */
export const EVENT_GROUPS = [
  { key: 'tasks', kinds: ['task.*'] },
  { key: 'cues', kinds: ['cue.*', 'timer.cue'] },
  { key: 'runs', kinds: ['run.*'] },
  { key: 'nodes', kinds: ['node.*'] },
  { key: 'timers', kinds: ['timer.timer', 'timer.reminder', 'timer.escalation', 'timer.send'] },
  { key: 'notifications', kinds: ['notification.*'] },
  { key: 'runbooks', kinds: ['runbook.*'] },
  { key: 'postmortems', kinds: ['postmortem.sign_off', 'postmortem.reopen'] },
  {
    key: 'improvements',
    kinds: [
      'postmortem.action_add',
      'postmortem.action_change',
      'postmortem.action_delete',
      'postmortem.action_complete',
      'postmortem.action_drop',
      'postmortem.action_reopen',
    ],
  },
] as const satisfies readonly { key: string; kinds: readonly EventKindFilter[] }[]

export type EventGroup = (typeof EVENT_GROUPS)[number]['key']

export function kindsOf(group: EventGroup | ''): EventKindFilter[] {
  return [...(EVENT_GROUPS.find((g) => g.key === group)?.kinds ?? [])]
}

/** The translations a sentence needs: a lookup by key with a fallback, and a date format. */
export interface Words {
  tx: (key: string, fallback: string, vars?: Record<string, string | number>) => string
  when: (iso: string) => string
}

type Event = Pick<
  AuditEvent,
  | 'kind'
  | 'actor'
  | 'before'
  | 'after'
  | 'note'
  | 'node_id'
  | 'node_title'
  | 'run_name'
  | 'runbook_name'
  | 'people'
>

const side = (event: Event, which: 'before' | 'after') => event[which] ?? {}

function person(event: Event, id: unknown, words: Words): string {
  if (typeof id !== 'number') return words.tx('audit.nobody', '—')
  return event.people[String(id)] ?? words.tx('audit.someone', '?')
}

/** The sentence's variant: an approval's completion approves or rejects. */
function variant(event: Event): string {
  const result = side(event, 'after').result as { approved?: boolean } | undefined
  if (event.kind === 'task.complete' && typeof result?.approved === 'boolean')
    return result.approved ? '.approved' : '.rejected'
  if (event.kind === 'task.report_problem' && side(event, 'after').blocking === true)
    return '.blocking'
  return ''
}

/** The event as one sentence, the note after it ("…：理由"). */
export function eventSentence(event: Event, words: Words): string {
  const after = side(event, 'after')
  const before = side(event, 'before')
  const vars = {
    actor: event.actor ?? words.tx('audit.system', 'system'),
    node: event.node_title ?? event.node_id ?? '',
    run: event.run_name ?? '',
    runbook: event.runbook_name ?? '',
    to: person(event, after.assignee_id, words),
    from: person(event, before.assignee_id, words),
    title: typeof after.title === 'string' ? after.title : String(before.title ?? ''),
    version: String(after.version ?? ''),
    old: typeof before.go_live === 'string' ? words.when(before.go_live) : '',
    new: typeof after.go_live === 'string' ? words.when(after.go_live) : '',
  }
  const key = `sentence.${event.kind}`
  const text = words.tx(key + variant(event), '', vars) || words.tx(key, event.kind, vars)
  return event.note ? words.tx('sentence.withNote', '', { text, note: event.note }) : text
}

/** Fields too large for one line: named, not shown. */
const BULKY = new Set(['result', 'graph', 'changes', 'report'])
const PEOPLE = new Set(['assignee_id', 'owner_id', 'completed_by_id', 'closed_by_id'])
const STATE_WORDS: Record<string, string> = {
  task: 'taskState',
  run: 'runState',
  node: 'nodeState',
}

function shown(event: Event, key: string, value: unknown, words: Words): string {
  if (value === null || value === undefined) return '—'
  if (key === 'status' || key === 'state') {
    const family = STATE_WORDS[event.kind.split('.')[0]]
    return family ? words.tx(`${family}.${value}`, String(value)) : String(value)
  }
  if (PEOPLE.has(key)) return person(event, value, words)
  if (typeof value === 'boolean') return words.tx(value ? 'common.yes' : 'common.no', '')
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return words.when(value)
  if (typeof value === 'string' || typeof value === 'number') return String(value)
  return JSON.stringify(value)
}

/** Every field the event changed, "状态：待处理 → 已完成", in the order `after` lists them
 * (then the fields only `before` had); a field that kept its value is left out. */
export function changeSummary(event: Event, words: Words): string {
  const before = side(event, 'before')
  const after = side(event, 'after')
  const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])]
  return keys
    .flatMap((key) => {
      const label = words.tx(`auditField.${key}`, key)
      if (BULKY.has(key)) return []
      const old = key in before ? shown(event, key, before[key], words) : null
      const now = key in after ? shown(event, key, after[key], words) : null
      if (old !== null && now !== null)
        return old === now ? [] : [words.tx('audit.changed', '', { field: label, old, now })]
      return [words.tx('audit.set', '', { field: label, value: now ?? old ?? '' })]
    })
    .join(' · ')
}
