import { describe, expect, it, vi } from 'vitest'
import { keyText, listEdits } from './listEdits'

interface Item {
  key: string
  label: string
  unit: string
}

const items: readonly Item[] = [
  { key: 'gmv', label: 'GMV', unit: '¥' },
  { key: 'orders', label: 'Orders', unit: '' },
  { key: 'uv', label: 'Visitors', unit: '' },
]

function edits() {
  const onChange = vi.fn<(items: Item[], field: string) => void>()
  return { onChange, edits: listEdits(items, onChange) }
}

describe('list edits', () => {
  it('patches only the item at the index, named by index and what changed', () => {
    const { onChange, edits: e } = edits()
    e.patch(1, { label: 'Paid orders', unit: 'pcs' }, 'label')
    expect(onChange).toHaveBeenCalledOnce()
    const [next, field] = onChange.mock.calls[0]
    expect(field).toBe('1.label')
    expect(next).toEqual([
      { key: 'gmv', label: 'GMV', unit: '¥' },
      { key: 'orders', label: 'Paid orders', unit: 'pcs' },
      { key: 'uv', label: 'Visitors', unit: '' },
    ])
    expect(next[0]).toBe(items[0])
    expect(next[2]).toBe(items[2])
  })

  it('removes the item at the index and keeps the order of the rest', () => {
    const { onChange, edits: e } = edits()
    e.remove(0)
    expect(onChange).toHaveBeenCalledWith(
      [
        { key: 'orders', label: 'Orders', unit: '' },
        { key: 'uv', label: 'Visitors', unit: '' },
      ],
      'remove',
    )
  })

  it('adds an item at the end', () => {
    const { onChange, edits: e } = edits()
    e.add({ key: 'metric4', label: 'New', unit: '' })
    const [next, field] = onChange.mock.calls[0]
    expect(field).toBe('add')
    expect(next.map((x) => x.key)).toEqual(['gmv', 'orders', 'uv', 'metric4'])
  })

  it('never changes the list it was given', () => {
    const before = structuredClone(items)
    const { edits: e } = edits()
    e.patch(0, { key: 'x' }, 'key')
    e.remove(2)
    e.add({ key: 'y', label: '', unit: '' })
    expect(items).toEqual(before)
  })
})

describe('key text', () => {
  it.each([
    ['gmv_total', 'gmv_total'],
    ['GMV 2026', 'GMV2026'],
    ['订单数orders', 'orders'],
    ['a-b.c', 'abc'],
    ['', ''],
  ])('%j keeps %j', (typed, kept) => expect(keyText(typed)).toBe(kept))
})
