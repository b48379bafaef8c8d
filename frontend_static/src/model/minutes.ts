// Offsets against go-live and durations, in whole minutes, as planners type and read them:
// "-7d", "-3h30m", "+15m", "90" (minutes), "2天4小时". MAX matches the engine's MAX_MINUTES.

export const MAX_MINUTES = 366 * 24 * 60

export type Parsed = { ok: true; value: number | null } | { ok: false }

const UNIT_MINUTES: Record<string, number> = {
  d: 1440,
  day: 1440,
  days: 1440,
  天: 1440,
  h: 60,
  hr: 60,
  hrs: 60,
  hour: 60,
  hours: 60,
  小时: 60,
  时: 60,
  m: 1,
  min: 1,
  mins: 1,
  minute: 1,
  minutes: 1,
  分钟: 1,
  分: 1,
}

const TOKEN = /(\d+(?:\.\d+)?)\s*([a-z]+|天|小时|时|分钟|分)?/giy

/** Minutes from text; empty is null. `signed` allows a leading + or - (offsets). */
export function parseMinutes(text: string, signed: boolean): Parsed {
  let rest = text
    .trim()
    .replace(/^t\s*/i, '')
    .replace(/\u2212/g, '-')
  if (rest === '' || rest === '0' || (signed && rest === '')) {
    return { ok: true, value: rest === '' ? null : 0 }
  }
  let sign = 1
  if (rest[0] === '+' || rest[0] === '-') {
    if (!signed && rest[0] === '-') return { ok: false }
    sign = rest[0] === '-' ? -1 : 1
    rest = rest.slice(1).trim()
  }
  if (rest === '') return { ok: false }
  let total = 0
  TOKEN.lastIndex = 0
  let position = 0
  while (position < rest.length) {
    TOKEN.lastIndex = position
    const match = TOKEN.exec(rest)
    if (!match) return { ok: false }
    const unit = match[2]?.toLowerCase() ?? 'm'
    const factor = UNIT_MINUTES[unit]
    if (factor === undefined) return { ok: false }
    total += Number(match[1]) * factor
    position = TOKEN.lastIndex
    while (rest[position] === ' ') position++
  }
  const value = sign * Math.round(total)
  if (Math.abs(value) > MAX_MINUTES) return { ok: false }
  return { ok: true, value: value === 0 ? 0 : value }
}

function parts(minutes: number): [number, number, number] {
  const abs = Math.abs(minutes)
  return [Math.floor(abs / 1440), Math.floor((abs % 1440) / 60), abs % 60]
}

/** Compact text that parses back to the same value: "-3d13h", "+15m", "1h30m", "0". */
export function formatMinutes(minutes: number | null, signed: boolean): string {
  if (minutes === null) return ''
  if (minutes === 0) return '0'
  const [d, h, m] = parts(minutes)
  const body = `${d ? `${d}d` : ''}${h ? `${h}h` : ''}${m ? `${m}m` : ''}`
  const sign = minutes < 0 ? '-' : signed ? '+' : ''
  return sign + body
}

export interface UnitWords {
  d: string
  h: string
  m: string
}

/** Readable duration with the language's units: "3天13小时" / "3d 13h". */
export function describeMinutes(minutes: number, units: UnitWords, separator = ''): string {
  if (minutes === 0) return `0${units.m}`
  const [d, h, m] = parts(minutes)
  const out: string[] = []
  if (d) out.push(`${d}${units.d}`)
  if (h) out.push(`${h}${units.h}`)
  if (m) out.push(`${m}${units.m}`)
  return (minutes < 0 ? '-' : '') + out.join(separator)
}

/** An offset against go-live as T−3d13h / T+15m / T0. */
export function describeOffset(minutes: number, units: UnitWords, separator = ''): string {
  if (minutes === 0) return 'T0'
  const body = describeMinutes(Math.abs(minutes), units, separator)
  return `T${minutes < 0 ? '\u2212' : '+'}${body}`
}
