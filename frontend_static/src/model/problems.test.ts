import { describe, expect, it } from 'vitest'
import {
  indexProblems,
  problemsFromFieldErrors,
  sortProblems,
  worstSeverity,
  type Problem,
} from './problems'

const p = (
  code: string,
  severity: 'error' | 'warning',
  node_ids: string[] = [],
  edge_ids: string[] = [],
): Problem => ({ code, message: code, severity, node_ids, edge_ids })

describe('problem mapping', () => {
  const problems = [
    p('node.missing_role', 'error', ['t1']),
    p('graph.cycle', 'error', ['t1', 't2'], ['e1', 'e2']),
    p('task.no_duration', 'warning', ['t2']),
    p('graph.no_end', 'error'),
    p('node.unreachable', 'error', ['gone']),
  ]
  const index = indexProblems(problems, new Set(['t1', 't2']), new Set(['e1', 'e2']))

  it('puts each problem on every node and edge it names', () => {
    expect(index.byNode.get('t1')?.map((x) => x.code)).toEqual(['node.missing_role', 'graph.cycle'])
    expect(index.byNode.get('t2')?.map((x) => x.code)).toEqual(['graph.cycle', 'task.no_duration'])
    expect(index.byEdge.get('e2')?.map((x) => x.code)).toEqual(['graph.cycle'])
  })

  it('keeps problems about the whole runbook apart, and drops ids no longer drawn', () => {
    expect(index.general.map((x) => x.code)).toEqual(['graph.no_end'])
    expect(index.byNode.has('gone')).toBe(false)
    expect(index.counts).toEqual({ errors: 4, warnings: 1 })
  })

  it('tells the worst severity for a marker', () => {
    expect(worstSeverity(index.byNode.get('t2'))).toBe('error')
    expect(worstSeverity([p('x', 'warning')])).toBe('warning')
    expect(worstSeverity(undefined)).toBeNull()
  })

  it('sorts errors before warnings', () => {
    expect(sortProblems(problems).map((x) => x.severity)).toEqual([
      'error',
      'error',
      'error',
      'error',
      'warning',
    ])
  })

  it('turns a refused document into problems on the nodes named', () => {
    const refused = problemsFromFieldErrors([
      { field: 'nodes.2.title', message: 'Shorter than minimum length 1.', node_id: 't1' },
      { field: 'format', message: 'Must be 1.' },
    ])
    expect(refused[0]).toMatchObject({ severity: 'error', node_ids: ['t1'] })
    expect(refused[1].node_ids).toEqual([])
  })
})
