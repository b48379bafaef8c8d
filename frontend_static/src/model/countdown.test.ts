import { describe, expect, it } from 'vitest'
import { endOfLocalDay, minutesLate, showClock, span, urgency } from './countdown'

const T0 = Date.parse('2026-11-24T12:00:00Z')
const MIN = 60_000

describe('span', () => {
  it('splits the time left into days, hours, minutes and seconds', () => {
    const s = span(T0 + 2 * 86400_000 + 3 * 3600_000 + 4 * MIN + 5000, T0)
    expect(s).toMatchObject({ past: false, days: 2, hours: 3, minutes: 4, secs: 5 })
  })

  it('counts whole seconds towards the moment on both sides', () => {
    expect(span(T0 + 1400, T0)).toMatchObject({ past: false, seconds: 1 })
    expect(span(T0 - 1400, T0)).toMatchObject({ past: true, seconds: 1 })
    expect(span(T0, T0)).toMatchObject({ past: false, seconds: 0 })
  })
})

describe('urgency', () => {
  const endOfDay = T0 + 6 * 3600_000
  it('sorts a due time into overdue, soon, today, later or undated', () => {
    expect(urgency(T0 - 1, T0, endOfDay)).toBe('overdue')
    expect(urgency(T0 + 30 * MIN, T0, endOfDay)).toBe('soon')
    expect(urgency(T0 + 31 * MIN, T0, endOfDay)).toBe('today')
    expect(urgency(endOfDay, T0, endOfDay)).toBe('later')
    expect(urgency(null, T0, endOfDay)).toBe('undated')
  })

  it('takes the reader’s midnight as the end of today', () => {
    const end = endOfLocalDay(T0)
    expect(end).toBeGreaterThan(T0)
    expect(end - T0).toBeLessThanOrEqual(86400_000)
    expect(new Date(end).getHours()).toBe(0)
  })
})

describe('showClock', () => {
  it('counts down to go-live, then up through the show, and stops when the run ends', () => {
    expect(showClock(T0, T0 - 90_000, null)).toMatchObject({
      mode: 'countdown',
      span: { minutes: 1, secs: 30 },
    })
    expect(showClock(T0, T0 + 90_000, null)).toMatchObject({
      mode: 'live',
      span: { minutes: 1, secs: 30 },
    })
    expect(showClock(T0, T0 + 5 * 3600_000, T0 + 3600_000)).toMatchObject({
      mode: 'ended',
      span: { hours: 1, minutes: 0 },
    })
  })

  it('holds an ended run that never reached go-live at zero', () => {
    expect(showClock(T0, T0, T0 - 3600_000).span.seconds).toBe(0)
  })
})

describe('minutesLate', () => {
  it('counts any part of a late minute as one, and nothing before due', () => {
    const due = new Date(T0).toISOString()
    expect(minutesLate(due, T0 + 10_000)).toBe(1)
    expect(minutesLate(due, T0 + 12 * MIN)).toBe(12)
    expect(minutesLate(due, T0)).toBeNull()
    expect(minutesLate(null, T0)).toBeNull()
  })
})
