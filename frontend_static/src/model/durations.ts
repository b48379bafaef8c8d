// Durations, lateness and clocks as people read them: "45 分钟", "3小时5分钟", "6天19小时",
// "晚 6天19小时", "早 12 分钟", "准时" (en: "3 h 5 min", "6 d 19 h late", "on time"), and the
// show clock "T−0:02:51" / "T+2天 3:04:05". The words come from the i18n catalogues
// (`durationWords`); the rules are those of engine/exports/durations.py: whole minutes, at
// most two units (days and hours, or hours and minutes), never a signed number.

import type { Translate } from '../i18n'
import type { Span } from './countdown'

export const DASH = '—'

export interface DurationWords {
  day: string
  hour: string
  minute: string
  /** Between a number and its unit ("12 min"); in Chinese only before minutes alone. */
  unitSpace: string
  /** Between two units. */
  joiner: string
  /** "{span}" is the duration. */
  late: string
  early: string
  onTime: string
  underAMinute: string
}

export const durationWords = (t: Translate): DurationWords => ({
  day: t('duration.day'),
  hour: t('duration.hour'),
  minute: t('duration.minute'),
  unitSpace: t('duration.unitSpace'),
  joiner: t('duration.joiner'),
  late: t('duration.late'),
  early: t('duration.early'),
  onTime: t('duration.onTime'),
  underAMinute: t('duration.underAMinute'),
})

/** A length of time, never signed: 45 → "45 分钟", 185 → "3小时5分钟", 9839 → "6天19小时". */
export function duration(minutes: number | null | undefined, words: DurationWords): string {
  if (minutes === null || minutes === undefined || Number.isNaN(minutes)) return DASH
  const whole = Math.round(Math.abs(minutes))
  if (whole === 0 && minutes !== 0) return words.underAMinute
  if (whole < 60) return `${whole} ${words.minute}`
  const days = Math.floor(whole / 1440)
  const hours = Math.floor((whole % 1440) / 60)
  const mins = whole % 60
  const parts: [number, string][] = days
    ? [
        [days, words.day],
        [hours, words.hour],
      ]
    : [
        [hours, words.hour],
        [mins, words.minute],
      ]
  return parts
    .filter(([n]) => n)
    .map(([n, unit]) => `${n}${words.unitSpace}${unit}`)
    .join(words.joiner)
}

/** Signed lateness in words: 9839 → "晚 6天19小时", −12 → "早 12 分钟", 0.2 → "准时". */
export function lateness(minutes: number | null | undefined, words: DurationWords): string {
  if (minutes === null || minutes === undefined || Number.isNaN(minutes)) return DASH
  if (Math.round(Math.abs(minutes)) === 0) return words.onTime
  const template = minutes > 0 ? words.late : words.early
  return template.replace('{span}', duration(minutes, words))
}

const two = (n: number) => String(n).padStart(2, '0')

/** The show clock against go-live, always with hours: "T−0:02:51", "T+0:43:07",
 * "T+2天 3:04:05" (never "T+00:43", which reads as 43 minutes). */
export function showClockText(s: Span, before: boolean, words: DurationWords): string {
  const sign = before && s.seconds > 0 ? '\u2212' : '+'
  const time = `${s.hours}:${two(s.minutes)}:${two(s.secs)}`
  const days = s.days ? `${s.days}${words.unitSpace}${words.day} ` : ''
  return `T${sign}${days}${time}`
}

/** A short countdown without a sign: "2:51", "1:02:03", "2天 3:04:05". */
export function countdownText(s: Span, words: DurationWords): string {
  const time =
    s.hours || s.days
      ? `${s.hours}:${two(s.minutes)}:${two(s.secs)}`
      : `${s.minutes}:${two(s.secs)}`
  return s.days ? `${s.days}${words.unitSpace}${words.day} ${time}` : time
}
