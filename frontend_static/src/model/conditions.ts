// Conditions on decision paths (engine/model/conditions.py) for the editor: recognise the
// simple one-comparison form the form edits, and read any condition as a short sentence.

import type { Condition, Scalar, Variable } from './graph'

export const OPERATORS = ['==', '!=', '<', '<=', '>', '>=', 'in', 'not_in', 'is_set'] as const
export type Operator = (typeof OPERATORS)[number]

export interface Comparison {
  var: string
  op: Operator
  /** A literal, a list (in / not_in), another variable's value, or nothing (is_set). */
  value?: Scalar | Scalar[] | { var: string }
}

export function isComparison(condition: Condition | null): condition is Comparison {
  return (
    condition !== null &&
    'var' in condition &&
    'op' in condition &&
    (OPERATORS as readonly string[]).includes(condition.op)
  )
}

function scalarText(value: unknown): string {
  if (typeof value === 'string') return `“${value}”`
  return String(value)
}

/** `gmv >= 100000`, `reservations >= {reservation_target}`, `all(...)`. */
export function describeCondition(condition: Condition | null): string {
  if (condition === null) return ''
  if ('all' in condition) return condition.all.map(describeCondition).join(' ∧ ')
  if ('any' in condition) return condition.any.map(describeCondition).join(' ∨ ')
  if ('not' in condition) return `¬(${describeCondition(condition.not)})`
  const { var: name, op, value } = condition
  if (op === 'is_set') return `${name} ≠ ∅`
  let text: string
  if (Array.isArray(value)) text = `[${value.map(scalarText).join(', ')}]`
  else if (value !== null && typeof value === 'object') text = `{${value.var}}`
  else text = scalarText(value)
  const symbol: Record<string, string> = {
    '==': '=',
    '!=': '≠',
    '<=': '≤',
    '>=': '≥',
    in: '∈',
    not_in: '∉',
  }
  return `${name} ${symbol[op] ?? op} ${text}`
}

/** A literal typed for a variable: numbers for number variables, true/false for bool. */
export function coerce(text: string, type: Variable['type'] | undefined): Scalar {
  if (type === 'number') {
    const n = Number(text)
    return text.trim() !== '' && Number.isFinite(n) ? n : text
  }
  if (type === 'bool') return text === 'true'
  return text
}

/** Parse the JSON text of an advanced condition; null for empty, Error when malformed. */
export function parseConditionJson(text: string): Condition | null | Error {
  if (!text.trim()) return null
  try {
    const value = JSON.parse(text) as unknown
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return new Error('not an object')
    }
    return value as Condition
  } catch (error) {
    return error as Error
  }
}
