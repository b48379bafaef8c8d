// A manager's actions on one task, each confirmed in a dialog: reopen a finished task,
// hand it to someone else (the role's holders first, then every other member), skip it
// with the reason. The buttons follow the task detail's `actions`: only what the server
// allows now is offered. From the task page (ManageButtons) and the control room
// (ManageTaskDialog without a chosen action: it loads the task and offers its actions).

import { useEffect, useMemo, useState, type FormEvent } from 'react'
import { ApiError } from '../api/client'
import { runsApi } from '../api/runs'
import { tasksApi } from '../api/tasks'
import type { Member, RosterEntry, TaskDetail } from '../api/types'
import { workspacesApi } from '../api/workspaces'
import { roleLabel } from '../editor/labels'
import { useI18n } from '../i18n/react'
import {
  managerActions,
  readyToSend,
  reassignCandidates,
  type ManagerAction,
} from '../model/taskActions'
import { errorText } from '../ui/errors'
import { Modal } from '../ui/Modal'
import { toast } from '../ui/toast'

/** The manager actions the task allows now, as buttons that open their dialog. */
export function ManageButtons(props: {
  workspaceId: number
  task: TaskDetail
  onDone: (detail: TaskDetail) => void
}) {
  const { t } = useI18n()
  const [action, setAction] = useState<ManagerAction | null>(null)
  const allowed = managerActions(props.task.actions)
  if (allowed.length === 0) return null
  return (
    <div className="manage-row" role="group" aria-label={t('manage.group')}>
      <span className="manage-row__label">{t('manage.group')}</span>
      {allowed.map((one) => (
        <button
          key={one}
          type="button"
          className="button"
          onClick={() => setAction(one)}
          data-testid={`manage-${one}`}
        >
          {t(`manage.${one}`)}
        </button>
      ))}
      {action && (
        <ManageTaskDialog
          workspaceId={props.workspaceId}
          taskId={props.task.id}
          task={props.task}
          action={action}
          onClose={() => setAction(null)}
          onDone={props.onDone}
        />
      )}
    </div>
  )
}

export function ManageTaskDialog(props: {
  workspaceId: number
  taskId: number
  task?: TaskDetail
  action?: ManagerAction
  onClose: () => void
  onDone: (detail: TaskDetail) => void
}) {
  const { workspaceId, taskId } = props
  const { t, tx } = useI18n()
  const tasks = useMemo(() => tasksApi(workspaceId), [workspaceId])
  const [task, setTask] = useState<TaskDetail | null>(props.task ?? null)
  const [action, setAction] = useState<ManagerAction | null>(props.action ?? null)
  const [note, setNote] = useState('')
  const [assigneeId, setAssigneeId] = useState<number | null>(null)
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<string | null>(null)

  useEffect(() => {
    if (task) return
    tasks
      .get(taskId)
      .then(setTask)
      .catch((error) => setFailure(errorText(error, t, tx)))
  }, [task, tasks, taskId, t, tx])

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (!task || !action || !readyToSend(action, note, assigneeId)) return
    setBusy(true)
    try {
      const text = note.trim()
      const detail =
        action === 'reassign'
          ? await tasks.reassign(task.id, assigneeId as number, text)
          : await tasks[action](task.id, text)
      toast(t(`manage.done.${action}`, { title: task.title }), 'success')
      props.onDone(detail)
      props.onClose()
    } catch (error) {
      const changed = error instanceof ApiError && error.status === 409
      setFailure(changed ? t('task.changedElsewhere') : errorText(error, t, tx))
    } finally {
      setBusy(false)
    }
  }

  const title = task
    ? t(action ? `manage.title.${action}` : 'manage.title', { title: task.title })
    : t('manage.group')
  return (
    <Modal title={title} onClose={props.onClose} testId="manage-dialog">
      {failure && (
        <p className="form-error" role="alert">
          {failure}
        </p>
      )}
      {!task && !failure && <p className="muted">{t('common.loading')}</p>}
      {task && !action && <ActionChoice task={task} onChoose={setAction} />}
      {task && action && (
        <form className="form" onSubmit={submit}>
          <p className="muted">{t(`manage.explain.${action}`)}</p>
          {action === 'reassign' && (
            <PersonPicker
              workspaceId={workspaceId}
              task={task}
              value={assigneeId}
              onChange={setAssigneeId}
            />
          )}
          <label className="field">
            <span>{t(action === 'skip' ? 'manage.reason' : 'manage.note')}</span>
            <textarea
              rows={3}
              maxLength={5000}
              required={action === 'skip'}
              value={note}
              placeholder={t(action === 'skip' ? 'manage.reasonHint' : 'manage.noteHint')}
              onChange={(event) => setNote(event.target.value)}
            />
          </label>
          <div className="modal__foot">
            <button type="button" className="button" onClick={props.onClose}>
              {t('common.cancel')}
            </button>
            <button
              type="submit"
              className={`button ${action === 'skip' ? 'button--danger' : 'button--primary'}`}
              disabled={busy || !readyToSend(action, note, assigneeId)}
            >
              {t(`manage.confirm.${action}`)}
            </button>
          </div>
        </form>
      )}
    </Modal>
  )
}

function ActionChoice(props: { task: TaskDetail; onChoose: (action: ManagerAction) => void }) {
  const { t } = useI18n()
  const allowed = managerActions(props.task.actions)
  if (allowed.length === 0) return <p className="muted">{t('manage.nothing')}</p>
  return (
    <div className="manage-row" role="group" aria-label={t('manage.group')}>
      {allowed.map((one) => (
        <button
          key={one}
          type="button"
          className="button button--large"
          onClick={() => props.onChoose(one)}
        >
          {t(`manage.${one}`)}
        </button>
      ))}
    </div>
  )
}

/** One person for the task: the role's holders in this run first, then the others. */
function PersonPicker(props: {
  workspaceId: number
  task: TaskDetail
  value: number | null
  onChange: (userId: number) => void
}) {
  const { workspaceId, task } = props
  const { t, tx } = useI18n()
  const [members, setMembers] = useState<Member[] | null>(null)
  const [roster, setRoster] = useState<RosterEntry[]>([])

  useEffect(() => {
    Promise.all([workspacesApi(workspaceId).members(), runsApi(workspaceId).get(task.run_id)])
      .then(([people, run]) => {
        setMembers(people)
        setRoster(run.roster)
      })
      .catch(() => setMembers([]))
  }, [workspaceId, task.run_id])

  if (members === null) return <p className="muted">{t('common.loading')}</p>
  const { holders, others } = reassignCandidates(task.role, roster, members, task.assignee_id)
  const role = task.role ? roleLabel(tx, task.role) : ''
  const group = (legend: string, people: Member[], testId: string) =>
    people.length > 0 && (
      <fieldset className="person-pick" data-testid={testId}>
        <legend>{legend}</legend>
        <div className="segmented">
          {people.map((m) => (
            <label key={m.user_id} className="segmented__option">
              <input
                type="radio"
                name="assignee"
                checked={props.value === m.user_id}
                onChange={() => props.onChange(m.user_id)}
              />
              <span>{m.name}</span>
            </label>
          ))}
        </div>
      </fieldset>
    )
  return (
    <>
      {group(t('manage.holders', { role }), holders, 'pick-holders')}
      {group(t('manage.others'), others, 'pick-others')}
    </>
  )
}
