// The parts of the plan form: the roster, role by role, and the run's targets, each with
// the problem next to it (the form's own check, or the API's field error).

import { cloneElement, type ReactElement } from 'react'
import type { Member } from '../api/types'
import { roleLabel } from '../editor/labels'
import { useI18n } from '../i18n/react'
import type { Variable } from '../model/graph'
import type { VariableInput } from '../model/runPlan'

export function RosterSection(props: {
  roles: string[]
  people: Member[]
  roster: Record<string, number[]>
  errors: Record<string, string>
  loading: boolean
  onToggle: (role: string, userId: number) => void
}) {
  const { t, tx } = useI18n()
  const { roles, people, errors: shown } = props
  return (
    <section className="plan__section" aria-labelledby="plan-roster">
      <h2 id="plan-roster">{t('plan.roster')}</h2>
      <p className="field__hint">{t('plan.rosterHint')}</p>
      {props.loading && <p className="muted">{t('common.loading')}</p>}
      {roles.map((role) => {
        const field = `roster.${role}`
        const cast = props.roster[role] ?? []
        return (
          <fieldset
            key={role}
            className={`cast${shown[field] ? ' is-invalid' : ''}`}
            aria-describedby={shown[field] ? `error-${field}` : undefined}
            data-testid={`cast-${role}`}
          >
            <legend>
              {roleLabel(tx, role)}
              <span className="muted"> · {t('plan.castCount', { count: cast.length })}</span>
            </legend>
            <div className="cast__people">
              {people.map((m) => (
                <button
                  key={m.user_id}
                  type="button"
                  className={`chip cast__person${cast.includes(m.user_id) ? ' chip--on' : ''}`}
                  aria-pressed={cast.includes(m.user_id)}
                  onClick={() => props.onToggle(role, m.user_id)}
                >
                  {m.name}
                </button>
              ))}
            </div>
            {shown[field] && (
              <p className="field__error" id={`error-${field}`} role="alert">
                {shown[field]}
              </p>
            )}
          </fieldset>
        )
      })}
    </section>
  )
}

export function TargetsSection(props: {
  targets: Variable[]
  values: Record<string, VariableInput>
  errors: Record<string, string>
  onChange: (key: string, value: VariableInput) => void
}) {
  const { t } = useI18n()
  const { targets, errors: shown } = props
  if (targets.length === 0) return null
  return (
    <section className="plan__section" aria-labelledby="plan-targets">
      <h2 id="plan-targets">{t('plan.targets')}</h2>
      <div className="plan__targets">
        {targets.map((variable) => {
          const field = `variables.${variable.key}`
          const id = `plan-var-${variable.key}`
          const value = props.values[variable.key]
          if (variable.type === 'bool') {
            return (
              <div key={variable.key} className="field field--check">
                <label>
                  <input
                    id={id}
                    type="checkbox"
                    checked={value === true}
                    onChange={(e) => props.onChange(variable.key, e.target.checked)}
                  />
                  {variable.label || variable.key}
                </label>
                {shown[field] && <p className="field__error">{shown[field]}</p>}
              </div>
            )
          }
          return (
            <Field
              key={variable.key}
              label={variable.label || variable.key}
              error={shown[field]}
              id={id}
            >
              <input
                id={id}
                inputMode={variable.type === 'number' ? 'decimal' : undefined}
                value={typeof value === 'string' ? value : ''}
                onChange={(e) => props.onChange(variable.key, e.target.value)}
              />
            </Field>
          )
        })}
      </div>
    </section>
  )
}

export function Field(props: {
  label: string
  id: string
  error?: string
  hint?: string
  children: ReactElement<Record<string, unknown>>
}) {
  const described = [props.hint ? `hint-${props.id}` : '', props.error ? `error-${props.id}` : '']
    .filter(Boolean)
    .join(' ')
  return (
    <div className={`field${props.error ? ' is-invalid' : ''}`}>
      <label htmlFor={props.id}>{props.label}</label>
      {cloneElement(props.children, {
        'aria-invalid': !!props.error,
        'aria-describedby': described || undefined,
      })}
      {props.hint && (
        <small className="field__hint" id={`hint-${props.id}`}>
          {props.hint}
        </small>
      )}
      {props.error && (
        <p className="field__error" id={`error-${props.id}`} role="alert">
          {props.error}
        </p>
      )}
    </div>
  )
}
