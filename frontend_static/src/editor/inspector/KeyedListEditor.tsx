// A list of labelled, keyed items edited in place (a task's required fields and metrics, the
// runbook's variables): each item a subform whose first row is its label, its key and a
// remove button; the caller renders the rows after it.

import type { ReactNode } from 'react'
import { useI18n } from '../../i18n/react'
import { keyText, listEdits } from './listEdits'

export function KeyedListEditor<T extends { key: string; label: string }>(props: {
  title: string
  hint?: string
  items: readonly T[]
  /** The label and placeholder of each item's label input, and of its key input. */
  labelLabel: string
  keyLabel: string
  addLabel: string
  newItem: () => T
  onChange: (items: T[], field: string) => void
  /** The item's own rows, below its label and key. */
  children: (item: T, set: (patch: Partial<T>, what: string) => void) => ReactNode
}) {
  const { t } = useI18n()
  const edits = listEdits(props.items, props.onChange)
  return (
    <div className="field" role="group" aria-label={props.title}>
      <span className="field__label">{props.title}</span>
      {props.hint && <small className="field__hint">{props.hint}</small>}
      {props.items.map((item, i) => {
        const set = (patch: Partial<T>, what: string) => edits.patch(i, patch, what)
        return (
          <div key={i} className="subform">
            <div className="row">
              <input
                aria-label={props.labelLabel}
                placeholder={props.labelLabel}
                value={item.label}
                onChange={(e) => set({ label: e.target.value } as Partial<T>, 'label')}
              />
              <input
                aria-label={props.keyLabel}
                placeholder={props.keyLabel}
                className="input--key"
                value={item.key}
                onChange={(e) => set({ key: keyText(e.target.value) } as Partial<T>, 'key')}
              />
              <button
                type="button"
                className="icon-button"
                aria-label={t('task.remove')}
                onClick={() => edits.remove(i)}
              >
                ×
              </button>
            </div>
            {props.children(item, set)}
          </div>
        )
      })}
      <button
        type="button"
        className="button button--small"
        onClick={() => edits.add(props.newItem())}
      >
        + {props.addLabel}
      </button>
    </div>
  )
}
