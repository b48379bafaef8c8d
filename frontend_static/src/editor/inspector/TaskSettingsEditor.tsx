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
  const setFields = (required_fields: RequiredField[], field: string) =>
    onChange({ ...settings, required_fields }, field)
  const setMetrics = (metric_fields: MetricField[], field: string) =>
    onChange({ ...settings, metric_fields }, field)

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

      <div className="field" role="group" aria-label={t('task.requiredFields')}>
        <span className="field__label">{t('task.requiredFields')}</span>
        {settings.required_fields.map((f, i) => {
          const set = (patch: Partial<RequiredField>, what: string) =>
            setFields(
              settings.required_fields.map((x, j) => (j === i ? { ...x, ...patch } : x)),
              `fields.${i}.${what}`,
            )
          return (
            <div key={i} className="subform">
              <div className="row">
                <input
                  aria-label={t('task.fieldLabel')}
                  placeholder={t('task.fieldLabel')}
                  value={f.label}
                  onChange={(e) => set({ label: e.target.value }, 'label')}
                />
                <input
                  aria-label={t('task.fieldKey')}
                  placeholder={t('task.fieldKey')}
                  className="input--key"
                  value={f.key}
                  onChange={(e) =>
                    set({ key: e.target.value.replace(/[^A-Za-z0-9_]/g, '') }, 'key')
                  }
                />
                <button
                  type="button"
                  className="icon-button"
                  aria-label={t('task.remove')}
                  onClick={() =>
                    setFields(
                      settings.required_fields.filter((_, j) => j !== i),
                      'fields.remove',
                    )
                  }
                >
                  ×
                </button>
              </div>
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
            </div>
          )
        })}
        <button
          type="button"
          className="button button--small"
          onClick={() =>
            setFields(
              [
                ...settings.required_fields,
                {
                  key: nextKey('field', allKeys),
                  label: t('task.newField'),
                  type: 'text',
                  choices: [],
                  sets_variable: null,
                },
              ],
              'fields.add',
            )
          }
        >
          + {t('task.addField')}
        </button>
      </div>

      <div className="field" role="group" aria-label={t('task.metrics')}>
        <span className="field__label">{t('task.metrics')}</span>
        {settings.metric_fields.map((m, i) => {
          const set = (patch: Partial<MetricField>, what: string) =>
            setMetrics(
              settings.metric_fields.map((x, j) => (j === i ? { ...x, ...patch } : x)),
              `metrics.${i}.${what}`,
            )
          return (
            <div key={i} className="subform">
              <div className="row">
                <input
                  aria-label={t('task.fieldLabel')}
                  placeholder={t('task.fieldLabel')}
                  value={m.label}
                  onChange={(e) => set({ label: e.target.value }, 'label')}
                />
                <input
                  aria-label={t('task.fieldKey')}
                  placeholder={t('task.fieldKey')}
                  className="input--key"
                  value={m.key}
                  onChange={(e) =>
                    set({ key: e.target.value.replace(/[^A-Za-z0-9_]/g, '') }, 'key')
                  }
                />
                <button
                  type="button"
                  className="icon-button"
                  aria-label={t('task.remove')}
                  onClick={() =>
                    setMetrics(
                      settings.metric_fields.filter((_, j) => j !== i),
                      'metrics.remove',
                    )
                  }
                >
                  ×
                </button>
              </div>
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
            </div>
          )
        })}
        <button
          type="button"
          className="button button--small"
          onClick={() =>
            setMetrics(
              [
                ...settings.metric_fields,
                {
                  key: nextKey('metric', allKeys),
                  label: t('task.newMetric'),
                  unit: '',
                  type: 'number',
                  target_variable: null,
                  sets_variable: null,
                },
              ],
              'metrics.add',
            )
          }
        >
          + {t('task.addMetric')}
        </button>
      </div>
    </>
  )
}
