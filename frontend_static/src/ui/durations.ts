// The reader's durations: model/durations.ts with the words of the current language.

import type { Translate } from '../i18n'
import { duration, durationWords, lateness, type DurationWords } from '../model/durations'

export interface Durations {
  words: DurationWords
  /** "3小时5分钟" / "3 h 5 min" */
  duration: (minutes: number | null | undefined) => string
  /** "晚 6天19小时" / "12 min early" / "准时" */
  lateness: (minutes: number | null | undefined) => string
}

export function durationsOf(t: Translate): Durations {
  const words = durationWords(t)
  return {
    words,
    duration: (minutes) => duration(minutes, words),
    lateness: (minutes) => lateness(minutes, words),
  }
}
