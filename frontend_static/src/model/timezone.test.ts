import { describe, expect, it } from 'vitest'
import { defaultGoLive, isoToZoned, zonedToIso } from './timezone'

describe('go-live in a time zone', () => {
  it('gives the instant with the zone offset', () => {
    expect(zonedToIso('2026-11-24T20:00', 'Asia/Shanghai')).toBe('2026-11-24T20:00:00+08:00')
    expect(zonedToIso('2026-07-01T09:30', 'Europe/Berlin')).toBe('2026-07-01T09:30:00+02:00')
    expect(zonedToIso('2026-01-01T09:30', 'UTC')).toBe('2026-01-01T09:30:00+00:00')
    expect(zonedToIso('2026-01-15T08:00', 'America/New_York')).toBe('2026-01-15T08:00:00-05:00')
  })

  it('defaults to tonight 20:00, or tomorrow once it has passed', () => {
    expect(defaultGoLive(new Date('2026-11-24T03:00:00Z'), 'Asia/Shanghai')).toBe(
      '2026-11-24T20:00',
    )
    expect(defaultGoLive(new Date('2026-11-24T13:00:00Z'), 'Asia/Shanghai')).toBe(
      '2026-11-25T20:00',
    )
  })

  it('shows an instant as the wall-clock time of a zone, and back', () => {
    expect(isoToZoned('2026-11-24T12:00:00Z', 'Asia/Shanghai')).toBe('2026-11-24T20:00')
    expect(isoToZoned('2026-11-24T20:00:00+08:00', 'UTC')).toBe('2026-11-24T12:00')
    const back = zonedToIso(isoToZoned('2026-07-01T07:30:00Z', 'Europe/Berlin'), 'Europe/Berlin')
    expect(Date.parse(back)).toBe(Date.parse('2026-07-01T07:30:00Z'))
  })
})
