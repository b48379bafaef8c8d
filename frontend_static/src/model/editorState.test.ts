import { describe, expect, it } from 'vitest'
import * as S from './editorState'
import { START_END, draft, node } from './testing'

const withTask = () =>
  S.edit(S.initialState(draft(START_END)), { type: 'addNode', node: node('t1') })

describe('editor state', () => {
  it('is dirty exactly while the graph differs from the saved one', () => {
    const state = withTask()
    expect(S.isDirty(state)).toBe(true)
    expect(S.isDirty(S.undo(state))).toBe(false)
    expect(S.isDirty(S.redo(S.undo(state)))).toBe(true)
  })

  it('drops removed elements from the selection', () => {
    let state = S.select(withTask(), { nodeIds: ['t1', 'end'], edgeIds: [] })
    state = S.edit(state, { type: 'remove', nodeIds: ['t1'] })
    expect(state.selection.nodeIds).toEqual(['end'])
  })

  it('keeps edits made while a save was in flight unsaved', () => {
    const state = withTask()
    const sent = S.graphOf(state)
    const later = S.edit(S.saveStarted(state), { type: 'addNode', node: node('t2') })
    const saved = S.saveSucceeded(later, sent, {
      runbook_id: 7,
      revision: 2,
      updated_at: 'now',
      problems: [],
      counts: { errors: 0, warnings: 0 },
    })
    expect(saved.save.baseRevision).toBe(2)
    expect(S.isDirty(saved)).toBe(true)
  })

  it('applies a layout to unsaved edits too, as one undo step', () => {
    const state = S.edit(withTask(), { type: 'addNode', node: node('t2') })
    const laid = S.layoutApplied(state, {
      runbook_id: 7,
      revision: 3,
      updated_at: 'now',
      problems: [],
      counts: { errors: 0, warnings: 0 },
      positions: { t1: [300, 0] },
      lanes: {},
    })
    expect(S.graphOf(laid).nodes.find((n) => n.id === 't1')?.x).toBe(300)
    expect(laid.save.savedGraph.nodes.find((n) => n.id === 't1')).toBeUndefined()
    expect(S.graphOf(S.undo(laid)).nodes.find((n) => n.id === 't1')?.x).toBe(0)
  })

  it('a read-only state refuses edits and undo', () => {
    const state = S.initialState(draft(START_END), true)
    expect(S.edit(state, { type: 'addNode', node: node('t1') })).toBe(state)
    expect(S.undo(state)).toBe(state)
  })
})
