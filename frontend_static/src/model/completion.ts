// The completion form of a task or an approval: what the person has ticked and typed, the
// same checks the server makes (engine/model/run_completion.py), and the payload it takes.
// The server stays the judge; checking here first lets the form point at every problem
// before a request, in the reader's language, and explain the server's refusals alike.

import type { CompletePayload } from '../api/types'
import type { FieldError } from './problems'
import {
  settingsOf,
  type GraphNode,
  type MetricField,
  type MetricType,
  type RequiredField,
  type TaskSettings,
} from './graph'

/** Numbers the server accepts (±10^15, where every client still counts exactly). */
export const MAX_NUMBER = 1e15
export const TEXT_MAX = 5000
export const NOTE_MAX = 5000

export type FieldValue = string | boolean | null

/** What the form holds: numbers as typed (text), so "12." survives until it is sent. */
export interface CompletionDraft {
  checklist: Record<string, boolean>
  fields: Record<string, FieldValue>
  metrics: Record<string, string>
  note: string
  approved: boolean | null
}

/** Why a value is refused: an i18n key suffix (`complete.error.<code>`). */
export type CompletionErrorCode =
  | 'tick'
  | 'required'
  | 'number'
  | 'tooLarge'
  | 'integer'
  | 'negativeMoney'
  | 'moneyDecimals'
  | 'percentRange'
  | 'choice'
  | 'bool'
  | 'textTooLong'
  | 'noteTooLong'
  | 'approve'

/** Problems by dotted path, as the server names them: `checklist.c1`, `fields.theme`,
 * `metrics.gmv`, `note`, `approved`. */
export type CompletionErrors = Record<string, CompletionErrorCode>

export interface CompletionSpec {
  kind: 'task' | 'approval'
  settings: TaskSettings
}

export function specOf(node: GraphNode): CompletionSpec {
  if (node.kind === 'approval') {
    return { kind: 'approval', settings: { checklist: [], required_fields: [], metric_fields: [] } }
  }
  return { kind: 'task', settings: settingsOf(node, 'task') }
}

/** True when completing needs nothing but a tap (no fields, no metrics, not an approval). */
export function isOneTap(spec: CompletionSpec): boolean {
  return (
    spec.kind === 'task' &&
    spec.settings.required_fields.length === 0 &&
    spec.settings.metric_fields.length === 0
  )
}

export function emptyDraft(spec: CompletionSpec): CompletionDraft {
  const { checklist, required_fields, metric_fields } = spec.settings
  return {
    checklist: Object.fromEntries(checklist.map((item) => [item.id, false])),
    fields: Object.fromEntries(required_fields.map((f) => [f.key, null])),
    metrics: Object.fromEntries(metric_fields.map((m) => [m.key, ''])),
    note: '',
    approved: null,
  }
}

/** Every checklist item ticked: the one-tap completion of a task without fields. */
export function allTicked(spec: CompletionSpec): CompletionDraft {
  const draft = emptyDraft(spec)
  for (const key of Object.keys(draft.checklist)) draft.checklist[key] = true
  return draft
}

// ----- numbers as people type them -----------------------------------------------------

const FULL_WIDTH = /[\uFF10-\uFF19\uFF0E\uFF0C\uFF0D]/g

/** A number typed on a phone: full-width digits, thousands separators and spaces are
 * forgiven ("１２,３４５.６" is 12345.6). Empty is null; anything else unreadable is NaN. */
export function readNumber(text: string): number | null {
  const plain = text
    .replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s,_]/g, '')
  if (plain === '') return null
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(plain)) return Number.NaN
  return Number(plain)
}

/** Decimals of a number as JSON carries it (12.50 is sent as 12.5: one), which is what
 * the server counts (its shortest form, like JavaScript's). */
export function decimalsOf(value: number): number {
  const [mantissa, exponent = '0'] = String(value).toLowerCase().split('e')
  const dot = mantissa.indexOf('.')
  const fraction = dot < 0 ? 0 : mantissa.length - dot - 1
  return Math.max(0, fraction - Number(exponent))
}

function numberProblem(value: number): CompletionErrorCode | null {
  if (!Number.isFinite(value)) return 'number'
  if (Math.abs(value) > MAX_NUMBER) return 'tooLarge'
  return null
}

/** The metric rule for one value (number, integer, money, percent). */
export function metricProblem(type: MetricType, text: string): CompletionErrorCode | null {
  const value = readNumber(text)
  if (value === null) return 'required'
  const general = numberProblem(value)
  if (general) return general
  if (type === 'integer' && !Number.isInteger(value)) return 'integer'
  if (type === 'money' && value < 0) return 'negativeMoney'
  if (type === 'money' && decimalsOf(value) > 2) return 'moneyDecimals'
  if (type === 'percent' && (value < 0 || value > 100)) return 'percentRange'
  return null
}

export function fieldProblem(spec: RequiredField, value: FieldValue): CompletionErrorCode | null {
  if (value === null || value === '') return 'required'
  switch (spec.type) {
    case 'bool':
      return typeof value === 'boolean' ? null : 'bool'
    case 'choice':
      return typeof value === 'string' && spec.choices.includes(value) ? null : 'choice'
    case 'number': {
      if (typeof value !== 'string') return 'number'
      const number = readNumber(value)
      return number === null ? 'required' : numberProblem(number)
    }
    default:
      if (typeof value !== 'string' || !value.trim()) return 'required'
      return value.length > TEXT_MAX ? 'textTooLong' : null
  }
}

// ----- the whole form ------------------------------------------------------------------

/** Every problem of the form at once, by the server's paths. */
export function validate(spec: CompletionSpec, draft: CompletionDraft): CompletionErrors {
  const errors: CompletionErrors = {}
  if (spec.kind === 'approval') {
    if (draft.approved === null) errors.approved = 'approve'
  } else {
    const { checklist, required_fields, metric_fields } = spec.settings
    for (const item of checklist)
      if (!draft.checklist[item.id]) errors[`checklist.${item.id}`] = 'tick'
    for (const field of required_fields) {
      const problem = fieldProblem(field, draft.fields[field.key] ?? null)
      if (problem) errors[`fields.${field.key}`] = problem
    }
    for (const metric of metric_fields) {
      const problem = metricProblem(metric.type, draft.metrics[metric.key] ?? '')
      if (problem) errors[`metrics.${metric.key}`] = problem
    }
  }
  if (draft.note.length > NOTE_MAX) errors.note = 'noteTooLong'
  return errors
}

function fieldPayload(spec: RequiredField, value: FieldValue): string | number | boolean {
  if (spec.type === 'number') return readNumber(value as string) as number
  if (spec.type === 'text') return (value as string).trim()
  return value as string | boolean
}

function metricPayload(metric: MetricField, text: string): number {
  const value = readNumber(text) as number
  return metric.type === 'integer' ? Math.round(value) : value
}

/** The request body for a valid draft (call `validate` first). */
export function payloadOf(spec: CompletionSpec, draft: CompletionDraft): CompletePayload {
  const note = draft.note.trim()
  if (spec.kind === 'approval') return { approved: draft.approved === true, note }
  const { checklist, required_fields, metric_fields } = spec.settings
  return {
    checklist: Object.fromEntries(checklist.map((item) => [item.id, true])),
    fields: Object.fromEntries(
      required_fields.map((f) => [f.key, fieldPayload(f, draft.fields[f.key] ?? null)]),
    ),
    metrics: Object.fromEntries(
      metric_fields.map((m) => [m.key, metricPayload(m, draft.metrics[m.key] ?? '')]),
    ),
    note,
  }
}

/** What the toast says once it is done: an approval says its outcome. */
export function doneMessageKey(
  spec: CompletionSpec,
  draft: CompletionDraft,
): 'complete.done' | 'complete.approvedDone' | 'complete.rejectedDone' {
  if (spec.kind !== 'approval') return 'complete.done'
  return draft.approved ? 'complete.approvedDone' : 'complete.rejectedDone'
}

export interface ShownError {
  code?: CompletionErrorCode
  /** The server's own words, when the form's checks do not explain its refusal. */
  message?: string
}

/** The server's `task.incomplete` errors by path, each explained in the form's terms
 * where the form's own check agrees, otherwise in the server's words. */
export function explainServerErrors(
  spec: CompletionSpec,
  draft: CompletionDraft,
  errors: readonly FieldError[],
): Record<string, ShownError> {
  const local = validate(spec, draft)
  const shown: Record<string, ShownError> = {}
  for (const error of errors) {
    const code = local[error.field]
    shown[error.field || ''] = code ? { code } : { message: error.message }
  }
  return shown
}
