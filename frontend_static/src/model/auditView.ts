// How the audit page shows an event: the kind families it filters by, and the change an
// event made as one line ("status: open → done").

import type { AuditEvent, EventKindFilter } from '../api/types'

/** The families of event kinds (engine/model/events.py), for the filter. */
export const EVENT_FAMILIES = [
  'run.*',
  'node.*',
  'task.*',
  'cue.*',
  'timer.*',
  'notification.*',
  'runbook.*',
  'postmortem.*',
] as const satisfies readonly EventKindFilter[]

/** Fields too large for one line: named, not shown. */
const BULKY = new Set(['result', 'graph', 'changes', 'report'])

function show(value: unknown): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value)
}

/** Every field the event changed, "key: before → after", in the order `after` lists them
 * (then the fields only `before` had). */
export function changeSummary(event: Pick<AuditEvent, 'before' | 'after'>): string {
  const before = event.before ?? {}
  const after = event.after ?? {}
  const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])]
  return keys
    .map((key) => {
      if (BULKY.has(key)) return key
      const old = key in before ? show(before[key]) : null
      const now = key in after ? show(after[key]) : null
      if (old !== null && now !== null)
        return old === now ? `${key}: ${now}` : `${key}: ${old} → ${now}`
      return `${key}: ${now ?? old}`
    })
    .join(' · ')
}
