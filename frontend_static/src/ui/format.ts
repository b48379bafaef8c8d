// Dates and numbers in the reader's language.

import type { Lang } from '../i18n'

export function formatDateTime(
  iso: string | null | undefined,
  lang: Lang,
  timeZone?: string,
  seconds = false,
): string {
  if (!iso) return ''
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(lang, {
    dateStyle: 'medium',
    timeStyle: seconds ? 'medium' : 'short',
    timeZone,
  }).format(date)
}

/** A time of day ("20:05"), with the date when it is not today in that zone. */
export function formatTime(
  iso: string | null | undefined,
  lang: Lang,
  timeZone?: string,
  now = Date.now(),
): string {
  if (!iso) return ''
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(d)
  const sameDay = day(date) === day(new Date(now))
  return new Intl.DateTimeFormat(lang, {
    ...(sameDay ? {} : { month: 'numeric', day: 'numeric' }),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(date)
}

export function formatRelative(iso: string, lang: Lang, now = Date.now()): string {
  const then = new Date(iso).getTime()
  if (Number.isNaN(then)) return iso
  const seconds = Math.round((then - now) / 1000)
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' })
  const abs = Math.abs(seconds)
  if (abs < 60) return rtf.format(seconds, 'second')
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute')
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour')
  if (abs < 86400 * 30) return rtf.format(Math.round(seconds / 86400), 'day')
  return formatDateTime(iso, lang)
}

/** A short date and time of day ("11/24 20:05") in a zone. */
export function formatDayTime(iso: string | null | undefined, lang: Lang, timeZone?: string) {
  if (!iso) return ''
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(lang, {
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(date)
}
