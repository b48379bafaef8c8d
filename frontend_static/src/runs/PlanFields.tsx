// The parts of the plan form: the roster (one compact row per role, people added from a
// list; or one person given several roles at once) and the run's targets, each with the
// problem next to it (the form's own check, or the API's field error).

import { cloneElement, useState, type ReactElement } from 'react'
import type { Member } from '../api/types'
import { roleLabel } from '../editor/labels'
import { useI18n } from '../i18n/react'
import type { Variable } from '../model/graph'
import { castRoles, type VariableInput } from '../model/runPlan'

export function RosterSection(props: {
  roles: string[]
  people: Member[]
  roster: Record<string, number[]>
  errors: Record<string, string>
  loading: boolean
  /** Where the roster came from: the last run's name, when it was pre-filled. */
  prefilledFrom: string | null
  onToggle: (role: string, userId: number) => void
}) {
  const { t, tx } = useI18n()
  const { roles, people, errors: shown } = props
  const names = new Map(people.map((m) => [m.user_id, m.name]))
  return (
    <section className="plan__section" aria-labelledby="plan-roster">
      <h2 id="plan-roster">{t('plan.roster')}</h2>
      <p className="field__hint">{t('plan.rosterHint')}</p>
      {props.prefilledFrom !== null && (
        <p className="banner plan__prefilled" role="status" data-testid="roster-prefilled">
          {t('plan.prefilled', { name: props.prefilledFrom })}
        </p>
      )}
      {props.loading && <p className="muted">{t('common.loading')}</p>}
      {roles.length > 0 && (
        <PersonRoles
          roles={roles}
          people={people}
          roster={props.roster}
          onToggle={props.onToggle}
        />
      )}
      <table className="cast-table">
        <tbody>
          {roles.map((role) => {
            const field = `roster.${role}`
            const cast = props.roster[role] ?? []
            const label = roleLabel(tx, role)
            return (
              <tr
                key={role}
                className={shown[field] ? 'is-invalid' : undefined}
                data-testid={`cast-${role}`}
              >
                <th scope="row">{label}</th>
                <td>
                  <div className="cast__people">
                    {cast.map((id) => (
                      <button
                        key={id}
                        type="button"
                        className="chip chip--on cast__person"
                        aria-label={t('plan.uncast', { name: names.get(id) ?? '', role: label })}
                        onClick={() => props.onToggle(role, id)}
                      >
                        {names.get(id) ?? t('audit.someone')} <span aria-hidden="true">×</span>
                      </button>
                    ))}
                    <select
                      className="cast__add"
                      aria-label={t('plan.castTo', { role: label })}
                      aria-invalid={!!shown[field]}
                      aria-describedby={shown[field] ? `error-${field}` : undefined}
                      value=""
                      onChange={(e) =>
                        e.target.value && props.onToggle(role, Number(e.target.value))
                      }
                    >
                      <option value="">{t('plan.add')}</option>
                      {people
                        .filter((m) => !cast.includes(m.user_id))
                        .map((m) => (
                          <option key={m.user_id} value={m.user_id}>
                            {m.name}
                          </option>
                        ))}
                    </select>
                  </div>
                  {shown[field] && (
                    <p className="field__error" id={`error-${field}`} role="alert">
                      {shown[field]}
                    </p>
                  )}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </section>
  )
}

/** One person, several roles in one go: pick the person, tick their roles. */
function PersonRoles(props: {
  roles: string[]
  people: Member[]
  roster: Record<string, number[]>
  onToggle: (role: string, userId: number) => void
}) {
  const { t, tx } = useI18n()
  const [userId, setUserId] = useState<number | null>(null)
  const held = userId === null ? [] : castRoles(props.roster, props.roles, userId)
  return (
    <div className="person-roles" data-testid="person-roles">
      <label className="person-roles__who">
        <span>{t('plan.byPerson')}</span>
        <select
          value={userId ?? ''}
          onChange={(e) => setUserId(e.target.value ? Number(e.target.value) : null)}
        >
          <option value="">{t('plan.pickPerson')}</option>
          {props.people.map((m) => (
            <option key={m.user_id} value={m.user_id}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      {userId !== null && (
        <div className="cast__people" role="group" aria-label={t('plan.rolesOfPerson')}>
          {props.roles.map((role) => (
            <button
              key={role}
              type="button"
              className={`chip cast__person${held.includes(role) ? ' chip--on' : ''}`}
              aria-pressed={held.includes(role)}
              onClick={() => props.onToggle(role, userId)}
            >
              {roleLabel(tx, role)}
            </button>
          ))}
        </div>
      )}
    </div>
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
