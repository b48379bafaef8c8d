import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { KeyedListEditor } from './KeyedListEditor'

interface Item {
  key: string
  label: string
  unit: string
}

function render(items: Item[], hint?: string): string {
  return renderToStaticMarkup(
    createElement(KeyedListEditor<Item>, {
      title: 'Metrics',
      hint,
      items,
      labelLabel: 'Label',
      keyLabel: 'Key',
      addLabel: 'Add metric',
      newItem: () => ({ key: 'm', label: '', unit: '' }),
      onChange: () => undefined,
      children: (item: Item) => createElement('div', { className: 'row' }, `unit:${item.unit}`),
    }),
  )
}

describe('keyed list editor', () => {
  it('renders a group: title, one subform an item (label, key, remove, then its own rows), add', () => {
    const html = render([
      { key: 'gmv', label: 'GMV', unit: '¥' },
      { key: 'orders', label: 'Orders', unit: 'pcs' },
    ])
    expect(html.startsWith('<div class="field" role="group" aria-label="Metrics">')).toBe(true)
    expect(html).toContain('<span class="field__label">Metrics</span>')
    expect(html).not.toContain('field__hint')
    expect(html.match(/class="subform"/g)).toHaveLength(2)
    expect(html).toContain(
      '<div class="subform"><div class="row">' +
        '<input aria-label="Label" placeholder="Label" value="GMV"/>' +
        '<input aria-label="Key" placeholder="Key" class="input--key" value="gmv"/>' +
        '<button type="button" class="icon-button" aria-label="删除">×</button></div>' +
        '<div class="row">unit:¥</div></div>',
    )
    expect(html).toContain('value="orders"')
    expect(html).toContain('<div class="row">unit:pcs</div>')
    expect(
      html.endsWith(
        '<button type="button" class="button button--small">+ Add metric</button></div>',
      ),
    ).toBe(true)
  })

  it('shows the hint under the title, and only the add button when empty', () => {
    const html = render([], 'What the runbook tracks.')
    expect(html).toBe(
      '<div class="field" role="group" aria-label="Metrics">' +
        '<span class="field__label">Metrics</span>' +
        '<small class="field__hint">What the runbook tracks.</small>' +
        '<button type="button" class="button button--small">+ Add metric</button></div>',
    )
  })
})
