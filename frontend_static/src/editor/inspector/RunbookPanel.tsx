// With nothing selected: the runbook itself: name, description, tags and run variables
// (targets, values tasks fill in, switches decisions read).

import { useEffect, useState } from 'react'
import type { RunbookSummary } from '../../api/types'
import { useI18n } from '../../i18n/react'
import type { EditorSession } from '../../model/editorSession'
import type { Graph, Variable, VariableType } from '../../model/graph'
import { nextKey } from '../../model/ids'
import { parseTags } from '../../pages/CreateRunbookDialog'
import type { MessageKey } from '../../i18n'
import { KeyedListEditor } from './KeyedListEditor'

const TYPES: VariableType[] = ['number', 'string', 'bool']

export function RunbookPanel(props: {
  session: EditorSession
  graph: Graph
  runbook: RunbookSummary
  readOnly: boolean
  onRename: (patch: Partial<Pick<RunbookSummary, 'name' | 'description' | 'tags'>>) => Promise<void>
}) {
  const { t } = useI18n()
  const { runbook, graph, readOnly } = props
  const [name, setName] = useState(runbook.name)
  const [description, setDescription] = useState(runbook.description)
  const [tags, setTags] = useState(runbook.tags.join(', '))
  useEffect(() => {
    setName(runbook.name)
    setDescription(runbook.description)
    setTags(runbook.tags.join(', '))
  }, [runbook])

  const variables = graph.variables
  const setVariables = (next: Variable[], field: string) =>
    props.session.edit({ type: 'setVariables', variables: next }, `variables:${field}`)

  return (
    <section className="inspector" aria-label={t('runbookPanel.title')} data-testid="runbook-panel">
      <h2 className="panel-title">{t('runbookPanel.title')}</h2>
      <fieldset disabled={readOnly} className="inspector__fields">
        <div className="field">
          <label htmlFor="rb-name">{t('create.name')}</label>
          <input
            id="rb-name"
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
            onBlur={() =>
              name.trim() && name.trim() !== runbook.name && props.onRename({ name: name.trim() })
            }
          />
        </div>
        <div className="field">
          <label htmlFor="rb-desc">{t('create.description')}</label>
          <textarea
            id="rb-desc"
            rows={2}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            onBlur={() => description !== runbook.description && props.onRename({ description })}
          />
        </div>
        <div className="field">
          <label htmlFor="rb-tags">{t('create.tags')}</label>
          <input
            id="rb-tags"
            value={tags}
            placeholder={t('create.tagsHint')}
            onChange={(e) => setTags(e.target.value)}
            onBlur={() => {
              const next = parseTags(tags)
              if (next.join() !== runbook.tags.join()) void props.onRename({ tags: next })
            }}
          />
        </div>

        <KeyedListEditor<Variable>
          title={t('variables.title')}
          hint={t('variables.hint')}
          items={variables}
          labelLabel={t('variables.label')}
          keyLabel={t('variables.key')}
          addLabel={t('variables.add')}
          newItem={() => ({
            key: nextKey(
              'var',
              variables.map((v) => v.key),
            ),
            type: 'number',
            label: '',
            default: null,
          })}
          onChange={setVariables}
        >
          {(v, set) => (
            <div className="row">
              <select
                aria-label={t('variables.type')}
                value={v.type}
                onChange={(e) =>
                  set({ type: e.target.value as VariableType, default: null }, 'type')
                }
              >
                {TYPES.map((type) => (
                  <option key={type} value={type}>
                    {t(`variableType.${type}` as MessageKey)}
                  </option>
                ))}
              </select>
              {v.type === 'bool' ? (
                <select
                  aria-label={t('variables.default')}
                  value={v.default === null ? '' : String(v.default)}
                  onChange={(e) =>
                    set(
                      { default: e.target.value === '' ? null : e.target.value === 'true' },
                      'default',
                    )
                  }
                >
                  <option value="">{t('variables.noDefault')}</option>
                  <option value="true">{t('common.yes')}</option>
                  <option value="false">{t('common.no')}</option>
                </select>
              ) : (
                <input
                  aria-label={t('variables.default')}
                  placeholder={t('variables.default')}
                  type={v.type === 'number' ? 'number' : 'text'}
                  value={v.default === null ? '' : String(v.default)}
                  onChange={(e) => {
                    const text = e.target.value
                    const value = text === '' ? null : v.type === 'number' ? Number(text) : text
                    if (value === null || typeof value === 'string' || Number.isFinite(value))
                      set({ default: value }, 'default')
                  }}
                />
              )}
            </div>
          )}
        </KeyedListEditor>
      </fieldset>
      <div className="shortcuts">
        <h3>{t('shortcuts.title')}</h3>
        <dl>
          <dt>Ctrl/⌘ Z</dt>
          <dd>{t('shortcuts.undo')}</dd>
          <dt>Ctrl/⌘ Shift Z · Ctrl Y</dt>
          <dd>{t('shortcuts.redo')}</dd>
          <dt>Ctrl/⌘ S</dt>
          <dd>{t('shortcuts.save')}</dd>
          <dt>Delete / Backspace</dt>
          <dd>{t('shortcuts.delete')}</dd>
          <dt>Shift + {t('shortcuts.dragLabel')}</dt>
          <dd>{t('shortcuts.boxSelect')}</dd>
        </dl>
      </div>
    </section>
  )
}
