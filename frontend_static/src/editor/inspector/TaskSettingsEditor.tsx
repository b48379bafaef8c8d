// A task's checklist, the fields the assignee must fill, and the metrics a review records.

import { useI18n } from '../../i18n/react'
import type {
  FieldType,
  MetricField,
  MetricType,
  RequiredField,
  TaskSettings,
  Variable,
} from '../../model/graph'
import { nextKey } from '../../model/ids'
import type { MessageKey } from '../../i18n'
import { KeyedListEditor } from './KeyedListEditor'

const FIELD_TYPES: FieldType[] = ['text', 'number', 'bool', 'choice']
const METRIC_TYPES: MetricType[] = ['number', 'integer', 'money', 'percent']

export function TaskSettingsEditor(props: {
  settings: TaskSettings
  variables: Variable[]
  onChange: (settings: TaskSettings, field: string) => void
}) {
  const { t } = useI18n()
  const { settings, onChange } = props
  const allKeys = [...settings.required_fields, ...settings.metric_fields].map((f) => f.key)

  const setChecklist = (checklist: TaskSettings['checklist'], field: string) =>
    onChange({ ...settings, checklist }, field)

  const variableSelect = (
    value: string | null,
    onPick: (key: string | null) => void,
    label: string,
  ) => (
    <select aria-label={label} value={value ?? ''} onChange={(e) => onPick(e.target.value || null)}>
      <option value="">
        {label}: {t('inspector.none')}
      </option>
      {props.variables.map((v) => (
        <option key={v.key} value={v.key}>
          {label}: {v.label || v.key}
        </option>
      ))}
    </select>
  )

  return (
    <>
      <div className="field" role="group" aria-label={t('task.checklist')}>
        <span className="field__label">{t('task.checklist')}</span>
        <ol className="rows">
          {settings.checklist.map((item, i) => (
            <li key={item.id} className="row">
              <input
                aria-label={t('task.checklistItem', { n: i + 1 })}
                value={item.text}
                maxLength={500}
                onChange={(e) =>
                  setChecklist(
                    settings.checklist.map((c, j) =>
                      j === i ? { ...c, text: e.target.value } : c,
                    ),
                    `checklist.${item.id}`,
                  )
                }
              />
              <button
                type="button"
                className="icon-button"
                aria-label={t('task.remove')}
                onClick={() =>
                  setChecklist(
                    settings.checklist.filter((_, j) => j !== i),
                    'checklist.remove',
                  )
                }
              >
                ×
              </button>
            </li>
          ))}
        </ol>
        <button
          type="button"
          className="button button--small"
          onClick={() =>
            setChecklist(
              [
                ...settings.checklist,
                {
                  id: nextKey(
                    'c',
                    settings.checklist.map((c) => c.id),
                  ),
                  text: t('task.newItem'),
                },
              ],
              'checklist.add',
            )
          }
        >
          + {t('task.addItem')}
        </button>
      </div>

      <KeyedListEditor<RequiredField>
        title={t('task.requiredFields')}
        items={settings.required_fields}
        labelLabel={t('task.fieldLabel')}
        keyLabel={t('task.fieldKey')}
        addLabel={t('task.addField')}
        newItem={() => ({
          key: nextKey('field', allKeys),
          label: t('task.newField'),
          type: 'text',
          choices: [],
          sets_variable: null,
        })}
        onChange={(required_fields, field) =>
          onChange({ ...settings, required_fields }, `fields.${field}`)
        }
      >
        {(f, set) => (
          <>
            <div className="row">
              <select
                aria-label={t('task.fieldType')}
                value={f.type}
                onChange={(e) => {
                  const type = e.target.value as FieldType
                  set(
                    {
                      type,
                      choices:
                        type === 'choice'
                          ? f.choices.length
                            ? f.choices
                            : [t('task.choiceA'), t('task.choiceB')]
                          : [],
                    },
                    'type',
                  )
                }}
              >
                {FIELD_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {t(`fieldType.${type}` as MessageKey)}
                  </option>
                ))}
              </select>
              {variableSelect(
                f.sets_variable,
                (key) => set({ sets_variable: key }, 'sets'),
                t('task.fills'),
              )}
            </div>
            {f.type === 'choice' && (
              <input
                aria-label={t('task.choices')}
                placeholder={t('task.choices')}
                value={f.choices.join(', ')}
                onChange={(e) =>
                  set(
                    {
                      choices: e.target.value
                        .split(/[,，]/)
                        .map((c) => c.trim())
                        .filter(Boolean),
                    },
                    'choices',
                  )
                }
              />
            )}
          </>
        )}
      </KeyedListEditor>

      <KeyedListEditor<MetricField>
        title={t('task.metrics')}
        items={settings.metric_fields}
        labelLabel={t('task.fieldLabel')}
        keyLabel={t('task.fieldKey')}
        addLabel={t('task.addMetric')}
        newItem={() => ({
          key: nextKey('metric', allKeys),
          label: t('task.newMetric'),
          unit: '',
          type: 'number',
          target_variable: null,
          sets_variable: null,
        })}
        onChange={(metric_fields, field) =>
          onChange({ ...settings, metric_fields }, `metrics.${field}`)
        }
      >
        {(m, set) => (
          <>
            <div className="row">
              <select
                aria-label={t('task.metricType')}
                value={m.type}
                onChange={(e) => set({ type: e.target.value as MetricType }, 'type')}
              >
                {METRIC_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {t(`metricType.${type}` as MessageKey)}
                  </option>
                ))}
              </select>
              <input
                aria-label={t('task.unit')}
                placeholder={t('task.unit')}
                className="input--unit"
                maxLength={20}
                value={m.unit}
                onChange={(e) => set({ unit: e.target.value }, 'unit')}
              />
            </div>
            <div className="row">
              {variableSelect(
                m.target_variable,
                (key) => set({ target_variable: key }, 'target'),
                t('task.target'),
              )}
              {variableSelect(
                m.sets_variable,
                (key) => set({ sets_variable: key }, 'sets'),
                t('task.fills'),
              )}
            </div>
          </>
        )}
      </KeyedListEditor>
    </>
  )
}
