import { describe, expect, it } from 'vitest'
import { describeOffset, formatMinutes, parseMinutes } from './minutes'

describe('minutes as planners type them', () => {
  it.each([
    ['', null],
    ['0', 0],
    ['T0', 0],
    ['90', 90],
    ['-7d', -10080],
    ['-3h30m', -210],
    ['+15m', 15],
    ['T-2d 4h', -3120],
    ['2天4小时', 3120],
    ['−1h', -60],
    ['1.5h', 90],
  ])('parses %j', (text, value) => {
    expect(parseMinutes(text, true)).toEqual({ ok: true, value })
  })

  it.each(['abc', '-', '5x', '1h garbage', '9999d'])('refuses %j', (text) => {
    expect(parseMinutes(text, true).ok).toBe(false)
  })

  it('refuses a negative duration', () => {
    expect(parseMinutes('-5m', false).ok).toBe(false)
  })

  it('formats values that parse back to themselves', () => {
    for (const value of [-10080, -5100, -210, 0, 15, 90, 1441]) {
      const text = formatMinutes(value, true)
      expect(parseMinutes(text, true)).toEqual({ ok: true, value })
    }
    expect(formatMinutes(-5100, true)).toBe('-3d13h')
    expect(formatMinutes(15, true)).toBe('+15m')
    expect(formatMinutes(null, true)).toBe('')
  })

  it('describes offsets against go-live', () => {
    const zh = { d: '天', h: '小时', m: '分' }
    expect(describeOffset(-10080, zh)).toBe('T\u22127天')
    expect(describeOffset(15, zh)).toBe('T+15分')
    expect(describeOffset(0, zh)).toBe('T0')
  })
})
