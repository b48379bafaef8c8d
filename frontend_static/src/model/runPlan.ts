// Planning a run of a published version: the roles its nodes need (the roster to fill),
// the targets it carries (its variables that no task fills in), the form's checks and the
// request body of POST /runs. The server judges again and names fields the same way
// (`roster.host`, `variables.gmv_target`), so its refusals land next to the same inputs.

import type { RunInput } from '../api/types'
import { KNOWN_ROLES, settingsOf, type Graph, type Scalar, type Variable } from './graph'
import { readNumber } from './completion'
import { zonedToIso } from './timezone'

/** Every role a node of the graph names: well-known roles in their usual order (主播 first),
 * then the workspace's own roles by name. The server refuses a run leaving one empty. */
export function rolesNeeded(graph: Graph): string[] {
  return orderRoles(graph.nodes.map((n) => n.role))
}

/** Distinct roles, well-known ones first in their usual order, then the rest by name. */
export function orderRoles(roles: Iterable<string | null | undefined>): string[] {
  const used = new Set([...roles].filter((r): r is string => !!r))
  const known = KNOWN_ROLES.filter((r) => used.has(r)) as string[]
  const own = [...used].filter((r) => !known.includes(r)).sort()
  return [...known, ...own]
}

/** Variables that a task field, a metric or an approval fills in during the run. */
export function variablesFilledByNodes(graph: Graph): Set<string> {
  const filled = new Set<string>()
  for (const node of graph.nodes) {
    if (node.kind === 'task') {
      const settings = settingsOf(node, 'task')
      for (const f of [...settings.required_fields, ...settings.metric_fields]) {
        if (f.sets_variable) filled.add(f.sets_variable)
      }
    } else if (node.kind === 'approval') {
      const settings = settingsOf(node, 'approval')
      if (settings.sets_variable) filled.add(settings.sets_variable)
    }
  }
  return filled
}

/** The variables a planner sets when casting a run (targets such as gmv_target). */
export function targetVariables(graph: Graph): Variable[] {
  const filled = variablesFilledByNodes(graph)
  return graph.variables.filter((v) => !filled.has(v.key))
}

export type VariableInput = string | boolean

export interface PlanForm {
  runbookId: number | null
  version: number | null
  name: string
  /** Wall-clock go-live as a datetime-local input holds it ("2026-11-24T20:00"). */
  goLive: string
  tz: string
  roster: Record<string, number[]>
  variables: Record<string, VariableInput>
  start: boolean
}

/** A variable's default as the form shows it. */
export function inputOf(variable: Variable): VariableInput {
  if (variable.type === 'bool') return variable.default === true
  return variable.default === null ? '' : String(variable.default)
}

export function initialVariables(graph: Graph): Record<string, VariableInput> {
  return Object.fromEntries(targetVariables(graph).map((v) => [v.key, inputOf(v)]))
}

/** Why the form cannot be sent yet: an i18n key suffix (`plan.error.<code>`). */
export type PlanErrorCode = 'runbook' | 'version' | 'goLive' | 'tz' | 'roster' | 'number'
export type PlanErrors = Record<string, PlanErrorCode>

function typed(variable: Variable, input: VariableInput): Scalar | null | 'invalid' {
  if (variable.type === 'bool') return input === true
  const text = String(input)
  if (variable.type === 'string') return text.trim() === '' ? null : text
  const value = readNumber(text)
  if (value === null) return null
  return Number.isFinite(value) ? value : 'invalid'
}

/** Every problem the form can see on its own, keyed like the server's fields. */
export function validatePlan(form: PlanForm, graph: Graph | null): PlanErrors {
  const errors: PlanErrors = {}
  if (form.runbookId === null) errors.runbook_id = 'runbook'
  if (form.version === null) errors.version = 'version'
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(form.goLive)) errors.go_live = 'goLive'
  if (!form.tz) errors.tz = 'tz'
  if (!graph) return errors
  for (const role of rolesNeeded(graph)) {
    if (!form.roster[role]?.length) errors[`roster.${role}`] = 'roster'
  }
  for (const variable of targetVariables(graph)) {
    if (typed(variable, form.variables[variable.key] ?? '') === 'invalid') {
      errors[`variables.${variable.key}`] = 'number'
    }
  }
  return errors
}

/** The body of POST /runs. Only the roles the version needs are sent; a target left
 * empty is left out (the runbook's default, if any, applies). */
export function planBody(form: PlanForm, graph: Graph): RunInput {
  const roles = rolesNeeded(graph)
  const variables: Record<string, Scalar> = {}
  for (const variable of targetVariables(graph)) {
    const value = typed(variable, form.variables[variable.key] ?? '')
    if (value !== null && value !== 'invalid') variables[variable.key] = value
  }
  return {
    runbook_id: form.runbookId as number,
    version: form.version,
    name: form.name.trim() || null,
    go_live: zonedToIso(form.goLive, form.tz),
    tz: form.tz,
    roster: Object.fromEntries(roles.map((role) => [role, form.roster[role] ?? []])),
    variables,
    start: form.start,
  }
}

/** Toggle a member in a role. */
export function toggleCast(
  roster: Record<string, number[]>,
  role: string,
  userId: number,
): Record<string, number[]> {
  const now = roster[role] ?? []
  const next = now.includes(userId) ? now.filter((id) => id !== userId) : [...now, userId]
  return { ...roster, [role]: next }
}

/** The last run's roster to start the form from: only people still members, only
 * non-empty roles. */
export function prefilledRoster(
  last: Record<string, number[]>,
  memberIds: ReadonlySet<number>,
): Record<string, number[]> {
  const roster: Record<string, number[]> = {}
  for (const [role, people] of Object.entries(last)) {
    const still = people.filter((id) => memberIds.has(id))
    if (still.length) roster[role] = still
  }
  return roster
}

/** The roles among `roles` a person is cast in. */
export function castRoles(
  roster: Record<string, number[]>,
  roles: readonly string[],
  userId: number,
): string[] {
  return roles.filter((role) => roster[role]?.includes(userId))
}
