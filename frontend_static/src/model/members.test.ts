import { describe, expect, it } from 'vitest'
import { isLastAdmin, openInvitations } from './members'

describe('openInvitations', () => {
  const now = Date.parse('2026-05-01T12:00:00Z')
  it('keeps the unaccepted, unexpired ones only', () => {
    const list = [
      { id: 1, accepted_at: null, expires_at: '2026-05-02T00:00:00Z' },
      { id: 2, accepted_at: '2026-04-30T00:00:00Z', expires_at: '2026-05-02T00:00:00Z' },
      { id: 3, accepted_at: null, expires_at: '2026-05-01T11:59:00Z' },
    ]
    expect(openInvitations(list, now).map((i) => i.id)).toEqual([1])
  })
})

describe('isLastAdmin', () => {
  it('is true only for the single admin', () => {
    const members = [
      { id: 1, role: 'admin' as const },
      { id: 2, role: 'staff' as const },
    ]
    expect(isLastAdmin(members, 1)).toBe(true)
    expect(isLastAdmin(members, 2)).toBe(false)
    expect(isLastAdmin([...members, { id: 3, role: 'admin' as const }], 1)).toBe(false)
  })
})
