// Go-live as planners enter it (a wall-clock time in a named time zone) to the ISO 8601
// instant with offset the plan endpoint takes.

/** Offset of `timeZone` from UTC at `instant`, in minutes (Asia/Shanghai: +480). */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant)
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  )
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000)
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

/** "2026-11-24T20:00" in `timeZone` -> "2026-11-24T20:00:00+08:00". */
export function zonedToIso(local: string, timeZone: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local)
  if (!match) throw new Error(`not a local date-time: ${local}`)
  const [, y, mo, d, h, mi] = match.map(Number)
  const wall = Date.UTC(y, mo - 1, d, h, mi)
  // The offset at the instant the wall time names (twice: DST edges settle on the second).
  let offset = zoneOffsetMinutes(new Date(wall), timeZone)
  offset = zoneOffsetMinutes(new Date(wall - offset * 60000), timeZone)
  const sign = offset < 0 ? '-' : '+'
  const abs = Math.abs(offset)
  return `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

/** Tonight at 20:00 in `timeZone` (tomorrow if that has passed), for the timeline form. */
export function defaultGoLive(now: Date, timeZone: string): string {
  const offset = zoneOffsetMinutes(now, timeZone)
  const wall = new Date(now.getTime() + offset * 60000)
  let day = Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate(), 20, 0)
  if (day <= wall.getTime()) day += 86400000
  const at = new Date(day)
  return `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}T20:00`
}

/** An instant as the wall-clock time of `timeZone`, as a datetime-local input holds it:
 * "2026-11-24T12:00:00Z" in Asia/Shanghai -> "2026-11-24T20:00". */
export function isoToZoned(iso: string, timeZone: string): string {
  const instant = new Date(iso)
  const wall = new Date(instant.getTime() + zoneOffsetMinutes(instant, timeZone) * 60000)
  return (
    `${wall.getUTCFullYear()}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}` +
    `T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`
  )
}
