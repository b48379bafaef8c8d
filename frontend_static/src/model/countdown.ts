// Time left until a due time or go-live, and show time since go-live: the numbers the task
// inbox and the control room tick every second. Pure: every function takes `now`.

export interface Span {
  /** True when the moment has passed (overdue, or the show is on). */
  past: boolean
  /** Whole seconds between now and the moment, never negative. */
  seconds: number
  days: number
  hours: number
  minutes: number
  secs: number
}

/** The span between `now` and `at` (epoch milliseconds), split into units. */
export function span(at: number, now: number): Span {
  const diff = at - now
  const past = diff < 0
  // Count whole seconds towards the moment: 1.4 s left shows 1, 1.4 s past shows 1.
  const seconds = Math.floor(Math.abs(diff) / 1000)
  return {
    past,
    seconds,
    days: Math.floor(seconds / 86400),
    hours: Math.floor((seconds % 86400) / 3600),
    minutes: Math.floor((seconds % 3600) / 60),
    secs: seconds % 60,
  }
}

export type Urgency = 'overdue' | 'soon' | 'today' | 'later' | 'undated'

/** How pressing a due time is: past, within `soonMinutes`, before `endOfDay`, or later. */
export function urgency(
  due: number | null,
  now: number,
  endOfDay: number,
  soonMinutes = 30,
): Urgency {
  if (due === null || Number.isNaN(due)) return 'undated'
  if (due < now) return 'overdue'
  if (due - now <= soonMinutes * 60_000) return 'soon'
  if (due < endOfDay) return 'today'
  return 'later'
}

/** Midnight before `now` in the browser's own time zone (the start of the reader's day). */
export function startOfLocalDay(now: number): number {
  const day = new Date(now)
  day.setHours(0, 0, 0, 0)
  return day.getTime()
}

/** Midnight after `now` in the browser's own time zone (the reader's "today"). */
export function endOfLocalDay(now: number): number {
  const day = new Date(now)
  day.setHours(24, 0, 0, 0)
  return day.getTime()
}

export type ShowClock =
  | { mode: 'countdown'; span: Span } // before go-live
  | { mode: 'live'; span: Span } // show time since go-live
  | { mode: 'ended'; span: Span } // from go-live to the end of the run

/** The control room's big clock: the countdown to go-live, then the elapsed show time,
 * frozen when the run has ended (or held at go-live when it ended before it). */
export function showClock(goLive: number, now: number, endedAt: number | null): ShowClock {
  if (endedAt !== null) return { mode: 'ended', span: span(goLive, Math.max(endedAt, goLive)) }
  const s = span(goLive, now)
  return s.past ? { mode: 'live', span: s } : { mode: 'countdown', span: s }
}

/** Whole minutes a thing is late (any part of a minute counts as one), or null when it
 * is not late: `at` is when it finished, or now while it is still open. */
export function minutesLate(due: string | null, at: number): number | null {
  if (!due) return null
  const late = at - Date.parse(due)
  return late > 0 ? Math.ceil(late / 60_000) : null
}
