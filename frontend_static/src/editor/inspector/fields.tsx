// Form controls of the inspector. Each edits the graph as the planner types (one undo
// step per field while typing continues) and follows the graph when it changes under it
// (undo, another save loaded). Last, the parts the node and the connection inspectors share:
// the problems of the selection, and the button that deletes it.

import { useEffect, useId, useState, type ReactNode } from 'react'
import { useI18n } from '../../i18n/react'
import { formatMinutes, parseMinutes } from '../../model/minutes'
import type { Problem } from '../../model/problems'
import { problemTitle } from '../labels'

export function Field(props: {
  label: string
  hint?: string
  error?: string | null
  children: (id: string) => ReactNode
}) {
  const id = useId()
  return (
    <div className={`field${props.error ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children(id)}
      {props.error ? (
        <small className="field__error" role="alert">
          {props.error}
        </small>
      ) : (
        props.hint && <small className="field__hint">{props.hint}</small>
      )}
    </div>
  )
}

/** Text that must not be empty when `required`: an empty value is shown, not sent. */
export function TextField(props: {
  label: string
  value: string
  onChange: (value: string) => void
  required?: boolean
  multiline?: boolean
  maxLength?: number
  hint?: string
  placeholder?: string
  list?: string
  disabled?: boolean
}) {
  const { t } = useI18n()
  const [text, setText] = useState(props.value)
  useEffect(() => setText(props.value), [props.value])
  const empty = props.required && text.trim() === ''
  const change = (value: string) => {
    setText(value)
    if (!(props.required && value.trim() === '')) props.onChange(value)
  }
  return (
    <Field label={props.label} hint={props.hint} error={empty ? t('inspector.required') : null}>
      {(id) =>
        props.multiline ? (
          <textarea
            id={id}
            rows={3}
            value={text}
            maxLength={props.maxLength}
            placeholder={props.placeholder}
            disabled={props.disabled}
            onChange={(e) => change(e.target.value)}
          />
        ) : (
          <input
            id={id}
            value={text}
            maxLength={props.maxLength}
            placeholder={props.placeholder}
            list={props.list}
            aria-invalid={empty || undefined}
            disabled={props.disabled}
            onChange={(e) => change(e.target.value)}
          />
        )
      }
    </Field>
  )
}

/** Minutes typed as "-2d", "1h30m", "+15m"; shown back in that form when it loses focus. */
export function MinutesField(props: {
  label: string
  value: number | null
  onChange: (value: number | null) => void
  signed: boolean
  hint?: string
  disabled?: boolean
  min?: number
}) {
  const { t } = useI18n()
  const [text, setText] = useState(formatMinutes(props.value, props.signed))
  const [invalid, setInvalid] = useState(false)
  useEffect(() => {
    const parsed = parseMinutes(text, props.signed)
    if (!parsed.ok || parsed.value !== props.value) {
      setText(formatMinutes(props.value, props.signed))
      setInvalid(false)
    }
    // Only when the value changes from outside; typing keeps the planner's own text.
  }, [props.value])
  const change = (value: string) => {
    setText(value)
    const parsed = parseMinutes(value, props.signed)
    const tooSmall =
      parsed.ok && parsed.value !== null && props.min !== undefined && parsed.value < props.min
    setInvalid(!parsed.ok || tooSmall)
    if (parsed.ok && !tooSmall && parsed.value !== props.value) props.onChange(parsed.value)
  }
  return (
    <Field
      label={props.label}
      hint={props.hint ?? (props.signed ? t('inspector.offsetHint') : t('inspector.durationHint'))}
      error={invalid ? t('inspector.minutesInvalid') : null}
    >
      {(id) => (
        <input
          id={id}
          value={text}
          inputMode="text"
          aria-invalid={invalid || undefined}
          disabled={props.disabled}
          onChange={(e) => change(e.target.value)}
          onBlur={() => {
            if (!invalid) setText(formatMinutes(props.value, props.signed))
          }}
        />
      )}
    </Field>
  )
}

export function NumberField(props: {
  label: string
  value: number | null
  onChange: (value: number | null) => void
  min?: number
  max?: number
  hint?: string
  disabled?: boolean
}) {
  const [text, setText] = useState(props.value === null ? '' : String(props.value))
  useEffect(() => {
    if (Number(text) !== props.value || text === '')
      setText(props.value === null ? '' : String(props.value))
  }, [props.value])
  return (
    <Field label={props.label} hint={props.hint}>
      {(id) => (
        <input
          id={id}
          type="number"
          value={text}
          min={props.min}
          max={props.max}
          step={1}
          disabled={props.disabled}
          onChange={(e) => {
            setText(e.target.value)
            if (e.target.value === '') props.onChange(null)
            else {
              const n = Math.round(Number(e.target.value))
              if (
                Number.isFinite(n) &&
                (props.min === undefined || n >= props.min) &&
                (props.max === undefined || n <= props.max)
              )
                props.onChange(n)
            }
          }}
        />
      )}
    </Field>
  )
}

export function SelectField<V extends string>(props: {
  label: string
  value: V
  options: readonly { value: V; label: string }[]
  onChange: (value: V) => void
  hint?: string
  disabled?: boolean
}) {
  return (
    <Field label={props.label} hint={props.hint}>
      {(id) => (
        <select
          id={id}
          value={props.value}
          disabled={props.disabled}
          onChange={(e) => props.onChange(e.target.value as V)}
        >
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  )
}

export function CheckboxField(props: {
  label: string
  checked: boolean
  onChange: (checked: boolean) => void
  hint?: string
  disabled?: boolean
}) {
  return (
    <div className="field field--check">
      <label>
        <input
          type="checkbox"
          checked={props.checked}
          disabled={props.disabled}
          onChange={(e) => props.onChange(e.target.checked)}
        />
        <span>{props.label}</span>
      </label>
      {props.hint && <small className="field__hint">{props.hint}</small>}
    </div>
  )
}

/** What the checker finds wrong with the selected node or connection; nothing when all is well. */
export function SelectionProblems(props: { problems: Problem[] | undefined; label?: string }) {
  const { tx } = useI18n()
  if (!props.problems || props.problems.length === 0) return null
  return (
    <ul className="inspector__problems" aria-label={props.label}>
      {props.problems.map((p, i) => (
        <li key={i} className={`problem problem--${p.severity}`}>
          <strong>{problemTitle(tx, p)}</strong>
          <small>{p.message}</small>
        </li>
      ))}
    </ul>
  )
}

/** The foot of an inspector: the button that deletes the selection (when it may be deleted)
 * and the selection's id. */
export function DeleteSelection(props: {
  id: string
  label: string
  canDelete: boolean
  onDelete: () => void
}) {
  return (
    <>
      {props.canDelete && (
        <button
          type="button"
          className="button button--danger button--block"
          onClick={props.onDelete}
        >
          {props.label}
        </button>
      )}
      <p className="muted inspector__id">ID: {props.id}</p>
    </>
  )
}
