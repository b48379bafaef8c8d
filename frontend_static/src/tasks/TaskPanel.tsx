// One task, opened from the inbox: what to do (description, checklist, fields, metrics),
// the countdown to its due time, and what the person may do now (the API's `actions`):
// claim, complete, report or resolve a problem, give it back; managers reopen, reassign or
// skip it. The complete button stays at the bottom of the screen, in reach of a thumb.

import { useCallback, useEffect, useMemo, useState } from 'react'
import { Link, useNavigate } from 'react-router-dom'
import { ApiError } from '../api/client'
import { tasksApi } from '../api/tasks'
import type { TaskDetail } from '../api/types'
import { roleLabel } from '../editor/labels'
import { useI18n } from '../i18n/react'
import {
  doneMessageKey,
  emptyDraft,
  explainServerErrors,
  payloadOf,
  specOf,
  validate,
  type CompletionDraft,
  type ShownError,
} from '../model/completion'
import { urgency } from '../model/countdown'
import { errorText } from '../ui/errors'
import { formatDateTime } from '../ui/format'
import { dismissKind, toast } from '../ui/toast'
import { dueText, StateBadge, UrgencyText } from '../runs/words'
import { CompletionForm, ResultView } from './CompletionForm'
import { ManageButtons } from './ManageTask'
import { ProblemDialog } from './ProblemDialog'

const CHANGED = new Set(['task.changed', 'task.invalid_transition'])

export function TaskPanel(props: {
  workspaceId: number
  taskId: number
  now: number
  onLoaded: (task: TaskDetail | null) => void
  registerReload: (reload: () => Promise<void>) => void
  /** The task changed here: the list refreshes. */
  onChanged: () => Promise<void> | void
}) {
  const { workspaceId, taskId, onLoaded, registerReload, onChanged } = props
  const { t, lang, tx } = useI18n()
  const tasks = useMemo(() => tasksApi(workspaceId), [workspaceId])
  const [task, setTask] = useState<TaskDetail | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [draft, setDraft] = useState<CompletionDraft | null>(null)
  const [errors, setErrors] = useState<Record<string, ShownError>>({})
  const [busy, setBusy] = useState(false)
  const [notice, setNotice] = useState<string | null>(null)
  const [reporting, setReporting] = useState(false)
  const spec = useMemo(() => (task ? specOf(task.node) : null), [task])
  const navigate = useNavigate()

  const load = useCallback(async () => {
    try {
      const detail = await tasks.get(taskId)
      setTask(detail)
      setLoadError(null)
      onLoaded(detail)
      setDraft((kept) => kept ?? emptyDraft(specOf(detail.node)))
    } catch (failure) {
      setLoadError(errorText(failure, t, tx))
      onLoaded(null)
    }
  }, [tasks, taskId, onLoaded, t, tx])

  useEffect(() => {
    registerReload(load)
    void load()
    return () => onLoaded(null)
  }, [load, registerReload, onLoaded])

  /** Run one action; a 409 means someone else changed the task: say so and refresh. */
  async function act(action: () => Promise<TaskDetail>, done?: string): Promise<boolean> {
    setBusy(true)
    setNotice(null)
    try {
      const detail = await action()
      setTask(detail)
      onLoaded(detail)
      dismissKind('error')
      if (done) toast(done, 'success')
      void onChanged()
      return true
    } catch (failure) {
      if (failure instanceof ApiError && CHANGED.has(failure.code)) {
        setNotice(t('task.changedElsewhere'))
        await load()
        void onChanged()
      } else if (failure instanceof ApiError && failure.code === 'task.incomplete') {
        if (spec && draft) setErrors(explainServerErrors(spec, draft, failure.errors))
        toast(t('complete.fixFirst', { count: failure.errors.length }), 'error')
      } else {
        toast(errorText(failure, t, tx), 'error')
      }
      return false
    } finally {
      setBusy(false)
    }
  }

  async function complete() {
    if (!task || !spec || !draft) return
    const local = validate(spec, draft)
    if (Object.keys(local).length) {
      setErrors(Object.fromEntries(Object.entries(local).map(([path, code]) => [path, { code }])))
      toast(t('complete.fixFirst', { count: Object.keys(local).length }), 'error')
      focusFirstError()
      return
    }
    setErrors({})
    const payload = payloadOf(spec, draft)
    const needsClaim = !task.actions.includes('complete') && task.actions.includes('claim')
    const ok = await act(
      async () => {
        if (needsClaim) await tasks.claim(task.id)
        return tasks.complete(task.id, payload)
      },
      t(doneMessageKey(spec, draft), { title: task.title }),
    )
    // Done: back to the list, where the next task waits.
    if (ok) navigate(`/w/${workspaceId}/tasks`)
  }

  if (loadError) {
    return (
      <section className="task-panel" aria-label={t('task.title')}>
        <BackLink workspaceId={workspaceId} />
        <p className="form-error" role="alert">
          {loadError}
        </p>
      </section>
    )
  }
  if (!task || !spec || !draft) {
    return (
      <section className="task-panel" aria-busy="true">
        <p className="muted">{t('common.loading')}</p>
      </section>
    )
  }

  const actions = new Set(task.actions)
  const canComplete = actions.has('complete') || actions.has('claim')
  const finished =
    task.status === 'done' || task.status === 'skipped' || task.status === 'cancelled'
  const due = task.due_at ? Date.parse(task.due_at) : null
  const dueUrgency = finished ? 'later' : urgency(due, props.now, Number.POSITIVE_INFINITY)

  return (
    <section className="task-panel" aria-labelledby="task-title" data-testid="task-panel">
      <BackLink workspaceId={workspaceId} />
      <header className="task-panel__head">
        <p className="task-panel__run">
          <Link to={`/w/${workspaceId}/runs/${task.run_id}`}>{task.run_name}</Link>
        </p>
        <h2 id="task-title">{task.title}</h2>
        <div className="task-panel__meta">
          <StateBadge kind="task" value={task.status} testId="task-status" />
          {task.role && <span className="chip chip--small">{roleLabel(tx, task.role)}</span>}
          {task.due_at && (
            <span className="muted">
              {t('task.dueAt', { when: formatDateTime(task.due_at, lang) })}
            </span>
          )}
          {!finished && (
            <UrgencyText urgency={dueUrgency} text={dueText(t, task.due_at, props.now)} />
          )}
        </div>
      </header>

      {notice && (
        <p className="banner banner--conflict task-panel__notice" role="alert">
          {notice}
        </p>
      )}
      {task.blocked && (
        <div className="banner banner--error task-panel__notice" role="status">
          <p>{t('task.blockedExplain')}</p>
          {actions.has('resolve_problem') && (
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => act(() => tasks.resolveProblem(task.id), t('task.resolved'))}
            >
              {t('task.resolve')}
            </button>
          )}
        </div>
      )}

      {task.node.description && <p className="task-panel__desc">{task.node.description}</p>}
      {task.node.kind === 'approval' && (
        <p className="task-panel__desc">{String(task.node.settings.instructions ?? '')}</p>
      )}

      {finished ? (
        <ResultView spec={spec} task={task} />
      ) : (
        <CompletionForm
          spec={spec}
          draft={draft}
          errors={errors}
          disabled={busy || !canComplete}
          onChange={(next, path) => {
            setDraft(next)
            if (path && errors[path]) {
              const rest = { ...errors }
              delete rest[path]
              setErrors(rest)
            }
          }}
        />
      )}

      <ManageButtons
        workspaceId={workspaceId}
        task={task}
        onDone={(detail) => {
          setTask(detail)
          onLoaded(detail)
          void onChanged()
        }}
      />

      <TaskNotes
        notes={task.note}
        onSend={(note) => act(() => tasks.note(task.id, note), t('notes.sent'))}
      />

      {!finished && (
        <div className="action-bar" role="group" aria-label={t('task.actions')}>
          {actions.has('report_problem') && (
            <button
              type="button"
              className="button button--large"
              disabled={busy}
              onClick={() => setReporting(true)}
            >
              {t('task.report')}
            </button>
          )}
          {actions.has('unclaim') && (
            <button
              type="button"
              className="button button--large button--ghost"
              disabled={busy}
              onClick={() => act(() => tasks.unclaim(task.id), t('task.unclaimed'))}
            >
              {t('task.unclaim')}
            </button>
          )}
          {actions.has('claim') && task.status === 'open' && task.assignee_id === null && (
            <button
              type="button"
              className="button button--large"
              disabled={busy}
              onClick={() => act(() => tasks.claim(task.id), t('task.claimed'))}
            >
              {t('task.claim')}
            </button>
          )}
          {canComplete && !task.blocked ? (
            <button
              type="button"
              className="button button--primary button--large action-bar__main"
              disabled={busy}
              onClick={complete}
              data-testid="complete-button"
            >
              {spec.kind === 'approval' ? t('complete.submitDecision') : t('complete.submit')}
            </button>
          ) : (
            <p className="action-bar__why muted">
              {task.blocked ? t('task.blockedShort') : t('task.notYours')}
            </p>
          )}
        </div>
      )}
      {reporting && (
        <ProblemDialog
          onClose={() => setReporting(false)}
          onSend={async (note, blocking) => {
            const ok = await act(
              () => tasks.reportProblem(task.id, note, blocking),
              t('report.done'),
            )
            if (ok) setReporting(false)
          }}
        />
      )}
    </section>
  )
}

/** The task's notes so far, and a line to add one (kept in the run's log). */
function TaskNotes(props: { notes: string; onSend: (note: string) => Promise<boolean> }) {
  const { t } = useI18n()
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  return (
    <details className="task-notes">
      <summary>
        {props.notes
          ? t('notes.titleCount', { count: props.notes.split('\n').length })
          : t('notes.title')}
      </summary>
      {props.notes && <p className="task-notes__text">{props.notes}</p>}
      <form
        className="task-notes__form"
        onSubmit={async (event) => {
          event.preventDefault()
          if (!note.trim()) return
          setBusy(true)
          if (await props.onSend(note.trim())) setNote('')
          setBusy(false)
        }}
      >
        <label className="visually-hidden" htmlFor="task-note">
          {t('notes.add')}
        </label>
        <input
          id="task-note"
          value={note}
          maxLength={5000}
          placeholder={t('notes.placeholder')}
          onChange={(event) => setNote(event.target.value)}
        />
        <button type="submit" className="button" disabled={busy || !note.trim()}>
          {t('notes.send')}
        </button>
      </form>
    </details>
  )
}

function BackLink({ workspaceId }: { workspaceId: number }) {
  const { t } = useI18n()
  return (
    <Link className="task-panel__back" to={`/w/${workspaceId}/tasks`}>
      ← {t('inbox.back')}
    </Link>
  )
}

function focusFirstError() {
  requestAnimationFrame(() => {
    const first = document.querySelector<HTMLElement>('.task-panel [aria-invalid="true"]')
    first?.focus()
  })
}
