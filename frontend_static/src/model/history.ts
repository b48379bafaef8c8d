// An undo/redo stack of immutable values. Consecutive edits that share a key (typing in
// one field, one drag gesture) merge into a single step while they keep coming.

export interface History<T> {
  readonly past: readonly T[]
  readonly present: T
  readonly future: readonly T[]
  /** The key and time of the last recorded edit, for merging the next one into it. */
  readonly lastKey: string | null
  readonly lastAt: number
}

export interface RecordOptions {
  /** Edits with the same key, each within `mergeWindowMs` of the last, are one step. */
  key?: string
  now?: number
}

export const HISTORY_LIMIT = 200
export const MERGE_WINDOW_MS = 1500

export function createHistory<T>(present: T): History<T> {
  return { past: [], present, future: [], lastKey: null, lastAt: 0 }
}

/** `next` becomes the present; the old present can be undone back to. */
export function record<T>(history: History<T>, next: T, options: RecordOptions = {}): History<T> {
  if (Object.is(next, history.present)) return history
  const now = options.now ?? Date.now()
  const key = options.key ?? null
  const merges =
    key !== null &&
    key === history.lastKey &&
    now - history.lastAt <= MERGE_WINDOW_MS &&
    history.past.length > 0
  if (merges) return { ...history, present: next, future: [], lastAt: now }
  const past = [...history.past, history.present]
  return {
    past: past.length > HISTORY_LIMIT ? past.slice(past.length - HISTORY_LIMIT) : past,
    present: next,
    future: [],
    lastKey: key,
    lastAt: now,
  }
}

export function canUndo<T>(history: History<T>): boolean {
  return history.past.length > 0
}

export function canRedo<T>(history: History<T>): boolean {
  return history.future.length > 0
}

export function undo<T>(history: History<T>): History<T> {
  if (!canUndo(history)) return history
  const previous = history.past[history.past.length - 1]
  return {
    past: history.past.slice(0, -1),
    present: previous,
    future: [history.present, ...history.future],
    lastKey: null,
    lastAt: 0,
  }
}

export function redo<T>(history: History<T>): History<T> {
  if (!canRedo(history)) return history
  const [next, ...rest] = history.future
  return {
    past: [...history.past, history.present],
    present: next,
    future: rest,
    lastKey: null,
    lastAt: 0,
  }
}
