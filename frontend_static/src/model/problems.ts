// Validation problems (the API's `problems`) mapped onto the nodes and edges they concern,
// so the canvas can mark each element and the problem list can point at them.

export type Severity = 'error' | 'warning'

export interface Problem {
  code: string
  message: string
  severity: Severity
  node_ids: string[]
  edge_ids: string[]
}

export interface ProblemCounts {
  errors: number
  warnings: number
}

export interface ProblemIndex {
  byNode: ReadonlyMap<string, Problem[]>
  byEdge: ReadonlyMap<string, Problem[]>
  /** Problems about the whole runbook (no element named). */
  general: Problem[]
  counts: ProblemCounts
}

function push(map: Map<string, Problem[]>, id: string, problem: Problem): void {
  const list = map.get(id)
  if (list) {
    if (!list.includes(problem)) list.push(problem)
  } else map.set(id, [problem])
}

/** Index problems by element. Ids that are no longer on the canvas (the problems are
 * from the last save, the planner has edited since) are left out of the markers. */
export function indexProblems(
  problems: readonly Problem[],
  nodeIds: ReadonlySet<string>,
  edgeIds: ReadonlySet<string>,
): ProblemIndex {
  const byNode = new Map<string, Problem[]>()
  const byEdge = new Map<string, Problem[]>()
  const general: Problem[] = []
  for (const problem of problems) {
    if (problem.node_ids.length === 0 && problem.edge_ids.length === 0) general.push(problem)
    for (const id of problem.node_ids) if (nodeIds.has(id)) push(byNode, id, problem)
    for (const id of problem.edge_ids) if (edgeIds.has(id)) push(byEdge, id, problem)
  }
  return { byNode, byEdge, general, counts: countProblems(problems) }
}

export function countProblems(problems: readonly Problem[]): ProblemCounts {
  let errors = 0
  for (const p of problems) if (p.severity === 'error') errors++
  return { errors, warnings: problems.length - errors }
}

/** The worst severity among problems, or null when there are none. */
export function worstSeverity(problems: readonly Problem[] | undefined): Severity | null {
  if (!problems || problems.length === 0) return null
  return problems.some((p) => p.severity === 'error') ? 'error' : 'warning'
}

/** Errors first, then warnings, keeping the server's order within each. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [
    ...problems.filter((p) => p.severity === 'error'),
    ...problems.filter((p) => p.severity === 'warning'),
  ]
}

export interface FieldError {
  field: string
  message: string
  node_id?: string | null
  edge_id?: string | null
}

/** A refused document's field errors (422 graph.invalid_document) as problems on the
 * elements they name, so they show where the planner can fix them. */
export function problemsFromFieldErrors(errors: readonly FieldError[]): Problem[] {
  return errors.map((e) => ({
    code: 'graph.invalid_document',
    message: e.field ? `${e.field}: ${e.message}` : e.message,
    severity: 'error',
    node_ids: e.node_id ? [e.node_id] : [],
    edge_ids: e.edge_id ? [e.edge_id] : [],
  }))
}

/** The server's field errors by field; several on one field are joined. Errors the form
 * has no input for (an unknown variable, a role the form does not show) keep their path
 * so the page can list them above the button. */
export function messagesByField(errors: readonly FieldError[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const error of errors) {
    const key = error.field || ''
    out[key] = out[key] ? `${out[key]} ${error.message}` : error.message
  }
  return out
}
