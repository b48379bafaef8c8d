import { describe, expect, it } from 'vitest'
import {
  HISTORY_LIMIT,
  MERGE_WINDOW_MS,
  canRedo,
  canUndo,
  createHistory,
  record,
  redo,
  undo,
} from './history'

describe('undo/redo stack', () => {
  it('undoes and redoes edits in order', () => {
    let h = createHistory('a')
    h = record(h, 'b', { now: 0 })
    h = record(h, 'c', { now: 10_000 })
    expect(h.present).toBe('c')
    h = undo(h)
    expect(h.present).toBe('b')
    h = undo(h)
    expect(h.present).toBe('a')
    expect(canUndo(h)).toBe(false)
    h = redo(h)
    h = redo(h)
    expect(h.present).toBe('c')
    expect(canRedo(h)).toBe(false)
  })

  it('a new edit after an undo drops the redo branch', () => {
    let h = record(createHistory(1), 2)
    h = undo(h)
    h = record(h, 3)
    expect(canRedo(h)).toBe(false)
    expect(undo(h).present).toBe(1)
  })

  it('records nothing for an edit that changes nothing', () => {
    const h = createHistory('same')
    expect(record(h, 'same')).toBe(h)
  })

  it('merges a run of edits with one key (typing, dragging) into one step', () => {
    let h = createHistory('')
    h = record(h, 'H', { key: 'title:n1', now: 0 })
    h = record(h, 'He', { key: 'title:n1', now: 300 })
    h = record(h, 'Hey', { key: 'title:n1', now: 600 })
    expect(h.past).toEqual([''])
    expect(undo(h).present).toBe('')
  })

  it('starts a new step after a pause, another key, or an undo', () => {
    let h = createHistory('')
    h = record(h, 'a', { key: 'k', now: 0 })
    h = record(h, 'ab', { key: 'k', now: MERGE_WINDOW_MS + 1 })
    expect(h.past).toEqual(['', 'a'])
    h = record(h, 'abc', { key: 'other', now: MERGE_WINDOW_MS + 2 })
    expect(h.past).toHaveLength(3)
    h = undo(h)
    h = record(h, 'abX', { key: 'other', now: MERGE_WINDOW_MS + 3 })
    expect(h.past).toEqual(['', 'a', 'ab'])
  })

  it('keeps at most HISTORY_LIMIT steps', () => {
    let h = createHistory(0)
    for (let i = 1; i <= HISTORY_LIMIT + 50; i++) h = record(h, i)
    expect(h.past).toHaveLength(HISTORY_LIMIT)
    expect(h.past[0]).toBe(50)
  })
})
