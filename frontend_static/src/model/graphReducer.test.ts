import { describe, expect, it } from 'vitest'
import { applyEdit, withPositions } from './graphReducer'
import { START_END, graph, node } from './testing'

describe('graph reducer', () => {
  it('adds a node and refuses a second one with the same id', () => {
    const added = applyEdit(START_END, { type: 'addNode', node: node('t1') })
    expect(added.nodes.map((n) => n.id)).toEqual(['start', 'end', 't1'])
    expect(applyEdit(added, { type: 'addNode', node: node('t1') })).toBe(added)
    expect(START_END.nodes).toHaveLength(2) // never mutated
  })

  it('updates a node, and returns the same document when nothing changes', () => {
    const g = graph([node('t1')])
    const renamed = applyEdit(g, { type: 'updateNode', id: 't1', patch: { title: '直播方案' } })
    expect(renamed.nodes[0].title).toBe('直播方案')
    expect(applyEdit(renamed, { type: 'updateNode', id: 't1', patch: { title: '直播方案' } })).toBe(
      renamed,
    )
    expect(applyEdit(g, { type: 'updateNode', id: 'nope', patch: { title: 'x' } })).toBe(g)
  })

  it('moves nodes', () => {
    const moved = applyEdit(START_END, {
      type: 'moveNodes',
      positions: [{ id: 'end', x: 500, y: 20 }],
    })
    expect(moved.nodes[1]).toMatchObject({ x: 500, y: 20 })
    expect(moved.nodes[0]).toBe(START_END.nodes[0])
    expect(withPositions(moved, { end: [500, 20] })).toBe(moved)
  })

  it('connects nodes, refusing loops, duplicates and unknown ends', () => {
    const g = graph([node('a'), node('b')])
    const edge = { source: 'a', target: 'b', condition: null, is_default: false, label: '' }
    const linked = applyEdit(g, { type: 'addEdge', edge })
    expect(linked.edges).toHaveLength(1)
    expect(linked.edges[0].id).toMatch(/^e_[a-z0-9]+$/)
    expect(applyEdit(linked, { type: 'addEdge', edge })).toBe(linked)
    expect(applyEdit(g, { type: 'addEdge', edge: { ...edge, target: 'a' } })).toBe(g)
    expect(applyEdit(g, { type: 'addEdge', edge: { ...edge, target: 'zzz' } })).toBe(g)
  })

  it('makes the first path out of a decision its default path', () => {
    const g = graph([node('d', 'decision'), node('a'), node('b')])
    const edge = (target: string) => ({
      source: 'd',
      target,
      condition: null,
      is_default: false,
      label: '',
    })
    const one = applyEdit(g, { type: 'addEdge', edge: edge('a') })
    const two = applyEdit(one, { type: 'addEdge', edge: edge('b') })
    expect(two.edges.map((e) => e.is_default)).toEqual([true, false])
  })

  it('removing a node removes its edges; the start node stays', () => {
    const g = graph(
      [node('start', 'start'), node('a'), node('end', 'end')],
      [
        ['start', 'a'],
        ['a', 'end'],
        ['start', 'end'],
      ],
    )
    const removed = applyEdit(g, { type: 'remove', nodeIds: ['a', 'start'] })
    expect(removed.nodes.map((n) => n.id)).toEqual(['start', 'end'])
    expect(removed.edges.map((e) => e.id)).toEqual(['e3'])
    expect(applyEdit(g, { type: 'remove', edgeIds: ['e2'] }).edges).toHaveLength(2)
    expect(applyEdit(g, { type: 'remove', nodeIds: ['start'] })).toBe(g)
  })

  it('updates an edge condition', () => {
    const g = graph([node('a'), node('b')], [['a', 'b']])
    const condition = { var: 'gmv', op: '>=' as const, value: 1000 }
    const next = applyEdit(g, { type: 'updateEdge', id: 'e1', patch: { condition } })
    expect(next.edges[0].condition).toEqual(condition)
  })
})
