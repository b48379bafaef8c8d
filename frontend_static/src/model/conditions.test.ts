import { describe, expect, it } from 'vitest'
import { coerce, describeCondition, isComparison, parseConditionJson } from './conditions'

describe('decision conditions', () => {
  it('reads conditions as short sentences', () => {
    expect(describeCondition({ var: 'gmv', op: '>=', value: 100000 })).toBe('gmv ≥ 100000')
    expect(
      describeCondition({ var: 'warmup', op: '>=', value: { var: 'reservation_target' } }),
    ).toBe('warmup ≥ {reservation_target}')
    expect(
      describeCondition({
        all: [{ var: 'a', op: 'is_set' }, { not: { var: 'b', op: '==', value: 'x' } }],
      }),
    ).toBe('a ≠ ∅ ∧ ¬(b = “x”)')
  })

  it('recognises the one-comparison form the form edits', () => {
    expect(isComparison({ var: 'a', op: '<', value: 1 })).toBe(true)
    expect(isComparison({ any: [] })).toBe(false)
    expect(isComparison(null)).toBe(false)
  })

  it('types literals by the variable type', () => {
    expect(coerce('12', 'number')).toBe(12)
    expect(coerce('true', 'bool')).toBe(true)
    expect(coerce('12', 'string')).toBe('12')
  })

  it('parses advanced JSON', () => {
    expect(parseConditionJson('')).toBeNull()
    expect(parseConditionJson('{"any":[]}')).toEqual({ any: [] })
    expect(parseConditionJson('[1]')).toBeInstanceOf(Error)
    expect(parseConditionJson('{')).toBeInstanceOf(Error)
  })
})
