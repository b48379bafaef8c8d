// The completion form of a task (checklist, required fields, metric fields, note) or an
// approval (approve or reject), with each problem next to its input; and the read-only
// view of a finished task's result.

import type { TaskDetail } from '../api/types'
import type { MessageKey } from '../i18n'
import { useI18n } from '../i18n/react'
import type { CompletionDraft, CompletionSpec, FieldValue, ShownError } from '../model/completion'
import type { MetricField, RequiredField } from '../model/graph'

type Change = (next: CompletionDraft, path?: string) => void

export function CompletionForm(props: {
  spec: CompletionSpec
  draft: CompletionDraft
  errors: Record<string, ShownError>
  disabled: boolean
  onChange: Change
}) {
  const { spec, draft, errors, disabled, onChange } = props
  const { t } = useI18n()
  const { checklist, required_fields, metric_fields } = spec.settings
  const ticked = checklist.filter((item) => draft.checklist[item.id]).length

  return (
    <form
      className="completion"
      aria-label={t('complete.form')}
      onSubmit={(event) => event.preventDefault()}
      noValidate
    >
      {spec.kind === 'approval' && (
        <fieldset className="completion__group">
          <legend>{t('complete.decision')}</legend>
          <div className="segmented" role="radiogroup" aria-label={t('complete.decision')}>
            {([true, false] as const).map((value) => (
              <label key={String(value)} className="segmented__option">
                <input
                  type="radio"
                  name="approved"
                  checked={draft.approved === value}
                  disabled={disabled}
                  aria-invalid={!!errors.approved}
                  onChange={() => onChange({ ...draft, approved: value }, 'approved')}
                />
                <span>{value ? t('complete.approve') : t('complete.reject')}</span>
              </label>
            ))}
          </div>
          <ErrorText error={errors.approved} id="error-approved" />
        </fieldset>
      )}

      {checklist.length > 0 && (
        <fieldset className="completion__group">
          <legend>
            {t('task.checklist')}
            <span className="completion__count">
              {t('complete.ticked', { done: ticked, total: checklist.length })}
            </span>
          </legend>
          <ul className="checklist">
            {checklist.map((item) => {
              const path = `checklist.${item.id}`
              return (
                <li key={item.id}>
                  <label className={`check-row${draft.checklist[item.id] ? ' is-ticked' : ''}`}>
                    <input
                      type="checkbox"
                      checked={!!draft.checklist[item.id]}
                      disabled={disabled}
                      aria-invalid={!!errors[path]}
                      aria-describedby={errors[path] ? `error-${path}` : undefined}
                      onChange={(event) =>
                        onChange(
                          {
                            ...draft,
                            checklist: { ...draft.checklist, [item.id]: event.target.checked },
                          },
                          path,
                        )
                      }
                    />
                    <span>{item.text}</span>
                  </label>
                  <ErrorText error={errors[path]} id={`error-${path}`} />
                </li>
              )
            })}
          </ul>
        </fieldset>
      )}

      {required_fields.length > 0 && (
        <fieldset className="completion__group">
          <legend>{t('task.requiredFields')}</legend>
          {required_fields.map((field) => (
            <FieldInput
              key={field.key}
              field={field}
              value={draft.fields[field.key] ?? null}
              error={errors[`fields.${field.key}`]}
              disabled={disabled}
              onChange={(value) =>
                onChange(
                  { ...draft, fields: { ...draft.fields, [field.key]: value } },
                  `fields.${field.key}`,
                )
              }
            />
          ))}
        </fieldset>
      )}

      {metric_fields.length > 0 && (
        <fieldset className="completion__group">
          <legend>{t('task.metrics')}</legend>
          {metric_fields.map((metric) => (
            <MetricInput
              key={metric.key}
              metric={metric}
              value={draft.metrics[metric.key] ?? ''}
              error={errors[`metrics.${metric.key}`]}
              disabled={disabled}
              onChange={(value) =>
                onChange(
                  { ...draft, metrics: { ...draft.metrics, [metric.key]: value } },
                  `metrics.${metric.key}`,
                )
              }
            />
          ))}
        </fieldset>
      )}

      <label className="field completion__note">
        <span>{t('complete.note')}</span>
        <textarea
          rows={2}
          value={draft.note}
          disabled={disabled}
          aria-invalid={!!errors.note}
          placeholder={t('complete.notePlaceholder')}
          onChange={(event) => onChange({ ...draft, note: event.target.value }, 'note')}
        />
        <ErrorText error={errors.note} id="error-note" />
      </label>
      {errors[''] && <ErrorText error={errors['']} id="error-general" />}
    </form>
  )
}

function ErrorText({ error, id }: { error: ShownError | undefined; id: string }) {
  const { t } = useI18n()
  if (!error) return null
  const text = error.code ? t(`complete.error.${error.code}` as MessageKey) : error.message
  return (
    <p className="field__error" id={id} role="alert">
      {text}
    </p>
  )
}

function FieldInput(props: {
  field: RequiredField
  value: FieldValue
  error: ShownError | undefined
  disabled: boolean
  onChange: (value: FieldValue) => void
}) {
  const { field, value, error, disabled, onChange } = props
  const { t } = useI18n()
  const id = `field-${field.key}`
  const errorId = `error-fields.${field.key}`
  const common = {
    id,
    disabled,
    'aria-invalid': !!error,
    'aria-describedby': error ? errorId : undefined,
  }
  if (field.type === 'bool' || field.type === 'choice') {
    const options: [FieldValue, string][] =
      field.type === 'bool'
        ? [
            [true, t('common.yes')],
            [false, t('common.no')],
          ]
        : field.choices.map((choice) => [choice, choice])
    return (
      <div className="field" role="radiogroup" aria-labelledby={`${id}-label`}>
        <span id={`${id}-label`}>{field.label}</span>
        <div className="segmented">
          {options.map(([option, label]) => (
            <label key={String(option)} className="segmented__option">
              <input
                type="radio"
                name={id}
                checked={value === option}
                disabled={disabled}
                aria-invalid={!!error}
                onChange={() => onChange(option)}
              />
              <span>{label}</span>
            </label>
          ))}
        </div>
        <ErrorText error={error} id={errorId} />
      </div>
    )
  }
  return (
    <div className="field">
      <label htmlFor={id}>{field.label}</label>
      <input
        {...common}
        type="text"
        inputMode={field.type === 'number' ? 'decimal' : undefined}
        value={typeof value === 'string' ? value : ''}
        onChange={(event) => onChange(event.target.value)}
      />
      <ErrorText error={error} id={errorId} />
    </div>
  )
}

function MetricInput(props: {
  metric: MetricField
  value: string
  error: ShownError | undefined
  disabled: boolean
  onChange: (value: string) => void
}) {
  const { metric, value, error, disabled, onChange } = props
  const { t } = useI18n()
  const id = `metric-${metric.key}`
  const errorId = `error-metrics.${metric.key}`
  const hintId = `${id}-hint`
  return (
    <div className="field">
      <label htmlFor={id}>{metric.label}</label>
      <div className="with-unit">
        <input
          id={id}
          type="text"
          inputMode={metric.type === 'integer' ? 'numeric' : 'decimal'}
          value={value}
          disabled={disabled}
          aria-invalid={!!error}
          aria-describedby={[hintId, error ? errorId : ''].filter(Boolean).join(' ')}
          onChange={(event) => onChange(event.target.value)}
        />
        {metric.unit && <span className="with-unit__unit">{metric.unit}</span>}
      </div>
      <small className="field__hint" id={hintId}>
        {t(`complete.metricHint.${metric.type}` as MessageKey)}
      </small>
      <ErrorText error={error} id={errorId} />
    </div>
  )
}

/** A finished task: what was ticked, entered and noted. */
export function ResultView({ spec, task }: { spec: CompletionSpec; task: TaskDetail }) {
  const { t } = useI18n()
  const result = task.result ?? {}
  const { checklist, required_fields, metric_fields } = spec.settings
  const shown = (value: unknown) =>
    typeof value === 'boolean' ? (value ? t('common.yes') : t('common.no')) : String(value ?? '—')
  return (
    <dl className="result" aria-label={t('complete.result')}>
      {result.approved !== undefined && (
        <div className="result__row">
          <dt>{t('complete.decision')}</dt>
          <dd>{result.approved ? t('complete.approve') : t('complete.reject')}</dd>
        </div>
      )}
      {checklist.map((item) => (
        <div key={item.id} className="result__row">
          <dt>{item.text}</dt>
          <dd>{result.checklist?.[item.id] ? '✓' : '—'}</dd>
        </div>
      ))}
      {required_fields.map((field) => (
        <div key={field.key} className="result__row">
          <dt>{field.label}</dt>
          <dd>{shown(result.fields?.[field.key])}</dd>
        </div>
      ))}
      {metric_fields.map((metric) => (
        <div key={metric.key} className="result__row">
          <dt>{metric.label}</dt>
          <dd>
            {shown(result.metrics?.[metric.key])} {metric.unit}
          </dd>
        </div>
      ))}
      {result.note && (
        <div className="result__row">
          <dt>{t('complete.note')}</dt>
          <dd>{result.note}</dd>
        </div>
      )}
    </dl>
  )
}
