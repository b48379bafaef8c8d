import { describe, expect, it } from 'vitest'
import { translate, type Lang, type MessageKey } from '../i18n'
import { span } from './countdown'
import {
  countdownText,
  duration,
  durationWords,
  lateness,
  showClockText,
  type DurationWords,
} from './durations'

const words = (lang: Lang): DurationWords =>
  durationWords((key: MessageKey) => translate(lang, key))
const zh = words('zh-CN')
const en = words('en')

describe('duration (the rules of engine/exports/durations.py)', () => {
  it('says minutes alone under an hour, with a space', () => {
    expect(duration(45, zh)).toBe('45 分钟')
    expect(duration(12.4, en)).toBe('12 min')
    expect(duration(0, zh)).toBe('0 分钟')
  })

  it('says "under a minute" for a part of a minute, never 0.1 or -0', () => {
    expect(duration(0.1, zh)).toBe('不到 1 分钟')
    expect(duration(-0.2, en)).toBe('under 1 min')
  })

  it('shows at most two units: hours and minutes, or days and hours', () => {
    expect(duration(185, zh)).toBe('3小时5分钟')
    expect(duration(185, en)).toBe('3 h 5 min')
    expect(duration(120, zh)).toBe('2小时')
    expect(duration(9839, zh)).toBe('6天19小时')
    expect(duration(9839, en)).toBe('6 d 19 h')
    expect(duration(48192.3, zh)).toBe('33天11小时')
    expect(duration(1440, en)).toBe('1 d')
  })

  it('is never signed and has a dash for nothing', () => {
    expect(duration(-185, zh)).toBe('3小时5分钟')
    expect(duration(null, zh)).toBe('—')
  })
})

describe('lateness', () => {
  it('says late or early in words, or on time', () => {
    expect(lateness(9839, zh)).toBe('晚 6天19小时')
    expect(lateness(-12, zh)).toBe('早 12 分钟')
    expect(lateness(0.2, zh)).toBe('准时')
    expect(lateness(9839, en)).toBe('6 d 19 h late')
    expect(lateness(-12, en)).toBe('12 min early')
    expect(lateness(-0.4, en)).toBe('on time')
    expect(lateness(null, en)).toBe('—')
  })
})

const T0 = Date.parse('2026-11-24T12:00:00Z')
const S = 1000

describe('showClockText', () => {
  it('counts down as T− with hours, then up as T+', () => {
    expect(showClockText(span(T0, T0 - 171 * S), true, zh)).toBe('T\u22120:02:51')
    expect(showClockText(span(T0, T0 + (43 * 60 + 7) * S), false, zh)).toBe('T+0:43:07')
    expect(showClockText(span(T0, T0 + 3 * 3600 * S), false, en)).toBe('T+3:00:00')
  })

  it('puts days before the time', () => {
    const s = span(T0, T0 + (2 * 86400 + 3 * 3600 + 4 * 60 + 5) * S)
    expect(showClockText(s, false, zh)).toBe('T+2天 3:04:05')
    expect(showClockText(s, false, en)).toBe('T+2 d 3:04:05')
  })

  it('never shows T−0:00:00', () => {
    expect(showClockText(span(T0, T0), true, zh)).toBe('T+0:00:00')
  })
})

describe('countdownText', () => {
  it('is m:ss under an hour, h:mm:ss after, with days before', () => {
    expect(countdownText(span(T0 + 171 * S, T0), zh)).toBe('2:51')
    expect(countdownText(span(T0 + 3723 * S, T0), zh)).toBe('1:02:03')
    expect(countdownText(span(T0 + (86400 + 5) * S, T0), en)).toBe('1 d 0:00:05')
  })
})
