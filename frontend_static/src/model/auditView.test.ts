import { describe, expect, it } from 'vitest'
import { changeSummary } from './auditView'

describe('an event’s change in one line', () => {
  it('shows each field before and after, naming the bulky ones only', () => {
    expect(
      changeSummary({
        before: { status: 'open', blocked: false, assignee_id: 4 },
        after: { status: 'done', blocked: false, assignee_id: 4, result: { metrics: { gmv: 1 } } },
      }),
    ).toBe('status: open → done · blocked: false · assignee_id: 4 · result')
  })

  it('copes with a side missing', () => {
    expect(changeSummary({ before: null, after: { go_live: '2026-11-24T20:00:00+08:00' } })).toBe(
      'go_live: 2026-11-24T20:00:00+08:00',
    )
    expect(changeSummary({ before: { state: 'pending' }, after: null })).toBe('state: pending')
    expect(changeSummary({ before: null, after: null })).toBe('')
  })
})
