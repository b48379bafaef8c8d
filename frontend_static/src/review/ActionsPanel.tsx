// Improvement actions of a post-mortem: each lesson with its owner, kind and due date.
// Managers add them while the post-mortem is open; owners and managers mark them done.

import { useState, type FormEvent } from 'react'
import { ApiError } from '../api/client'
import { actionsApi } from '../api/postmortems'
import type { ActionInput, ImprovementAction, Member } from '../api/types'
import type { MessageKey } from '../i18n'
import { useI18n } from '../i18n/react'
import { messagesByField } from '../model/problems'
import { errorText } from '../ui/errors'
import { formatDateTime } from '../ui/format'
import { toast } from '../ui/toast'

/** The kinds a manager picks here; a draft edit is proposed from the editor's diff. */
const KINDS = ['follow_up', 'next_run_task'] as const

export function ActionsPanel(props: {
  workspaceId: number
  actions: ImprovementAction[]
  members: Member[]
  me: number
  mayWrite: boolean
  locked: boolean
  onAdd: (input: ActionInput) => Promise<void>
  onChanged: () => Promise<void>
}) {
  const { t, lang, tx } = useI18n()
  const api = actionsApi(props.workspaceId)

  async function change(action: ImprovementAction, to: 'complete' | 'drop' | 'reopen') {
    try {
      await api[to](action.id)
      await props.onChanged()
    } catch (failure) {
      toast(errorText(failure, t, tx), 'error')
    }
  }

  return (
    <section className="review-card" aria-labelledby="actions-title">
      <h2 id="actions-title">{t('review.actions')}</h2>
      {props.actions.length === 0 && <p className="muted">{t('review.noActions')}</p>}
      <ul className="action-list" data-testid="actions">
        {props.actions.map((action) => {
          const owner = action.owner?.id === props.me
          return (
            <li key={action.id} className={`action-item action-item--${action.status}`}>
              <div className="action-item__head">
                <span
                  className={`state state--${action.status === 'open' ? 'open' : action.status === 'done' ? 'done' : 'skipped'}`}
                >
                  {t(`action.status.${action.status}` as MessageKey)}
                </span>
                <strong>{action.title}</strong>
                <span className="chip chip--small">
                  {t(`action.kind.${action.kind}` as MessageKey)}
                </span>
              </div>
              {action.detail && <p className="action-item__detail">{action.detail}</p>}
              <p className="muted action-item__meta">
                {t('review.owner', { name: action.owner?.name ?? '—' })}
                {action.due &&
                  ` · ${t('review.dueBy', { when: formatDateTime(action.due, lang) })}`}
              </p>
              {(props.mayWrite || owner) && (
                <div className="action-item__buttons">
                  {action.status === 'open' ? (
                    <>
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => change(action, 'complete')}
                      >
                        {t('action.complete')}
                      </button>
                      {props.mayWrite && (
                        <button
                          type="button"
                          className="button button--small"
                          onClick={() => change(action, 'drop')}
                        >
                          {t('action.drop')}
                        </button>
                      )}
                    </>
                  ) : (
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() => change(action, 'reopen')}
                    >
                      {t('action.reopen')}
                    </button>
                  )}
                </div>
              )}
            </li>
          )
        })}
      </ul>
      {props.mayWrite && !props.locked && <AddAction members={props.members} onAdd={props.onAdd} />}
    </section>
  )
}

function AddAction(props: { members: Member[]; onAdd: (input: ActionInput) => Promise<void> }) {
  const { t, tx } = useI18n()
  const [title, setTitle] = useState('')
  const [detail, setDetail] = useState('')
  const [ownerId, setOwnerId] = useState<number | ''>('')
  const [kind, setKind] = useState<(typeof KINDS)[number]>('follow_up')
  const [due, setDue] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)

  async function submit(event: FormEvent) {
    event.preventDefault()
    const missing: Record<string, string> = {}
    if (!title.trim()) missing.title = t('complete.error.required')
    if (ownerId === '') missing.owner_id = t('action.chooseOwner')
    setErrors(missing)
    if (Object.keys(missing).length) return
    setBusy(true)
    try {
      await props.onAdd({
        title: title.trim(),
        detail: detail.trim(),
        kind,
        owner_id: ownerId as number,
        due_at: due ? new Date(`${due}T23:59:00`).toISOString() : null,
      })
      setTitle('')
      setDetail('')
      setDue('')
      toast(t('action.added'), 'success')
    } catch (failure) {
      if (failure instanceof ApiError && failure.errors.length) {
        setErrors(messagesByField(failure.errors))
      } else {
        toast(errorText(failure, t, tx), 'error')
      }
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="action-form" onSubmit={submit} aria-label={t('action.add')} noValidate>
      <h3>{t('action.add')}</h3>
      <label className="field">
        <span>{t('action.title')}</span>
        <input
          value={title}
          maxLength={200}
          aria-invalid={!!errors.title}
          placeholder={t('action.titlePlaceholder')}
          onChange={(event) => setTitle(event.target.value)}
        />
        {errors.title && <span className="field__error">{errors.title}</span>}
      </label>
      <div className="field-row">
        <label className="field">
          <span>{t('action.owner')}</span>
          <select
            value={ownerId}
            aria-invalid={!!errors.owner_id}
            onChange={(event) => setOwnerId(event.target.value ? Number(event.target.value) : '')}
          >
            <option value="">{t('action.chooseOwner')}</option>
            {props.members.map((m) => (
              <option key={m.user_id} value={m.user_id}>
                {m.name}
              </option>
            ))}
          </select>
          {errors.owner_id && <span className="field__error">{errors.owner_id}</span>}
        </label>
        <label className="field">
          <span>{t('action.kind')}</span>
          <select
            value={kind}
            onChange={(event) => setKind(event.target.value as (typeof KINDS)[number])}
          >
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`action.kind.${k}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="field-row">
        <label className="field">
          <span>{t('action.due')}</span>
          <input type="date" value={due} onChange={(event) => setDue(event.target.value)} />
          {errors.due_at && <span className="field__error">{errors.due_at}</span>}
        </label>
        <label className="field">
          <span>{t('action.detail')}</span>
          <input
            value={detail}
            maxLength={5000}
            onChange={(event) => setDetail(event.target.value)}
          />
        </label>
      </div>
      <button type="submit" className="button" disabled={busy}>
        {t('action.addButton')}
      </button>
    </form>
  )
}
