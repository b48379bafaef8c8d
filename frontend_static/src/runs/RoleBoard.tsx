// Tasks grouped by role: who holds each role, each task's state, assignee and lateness.
// The live crew (operator, controller) completes their own tasks here with one tap when a
// task asks for nothing but ticks; anything with fields opens in the task page. Managers
// open any task's actions (reopen, reassign, skip) from its line.

import { useState } from 'react'
import { Link } from 'react-router-dom'
import { ApiError } from '../api/client'
import { tasksApi } from '../api/tasks'
import type { Task } from '../api/types'
import { roleLabel } from '../editor/labels'
import { useI18n } from '../i18n/react'
import { allTicked, isOneTap, payloadOf, specOf } from '../model/completion'
import type { RoleGroup, TaskLine } from '../model/controlRoom'
import type { GraphNode } from '../model/graph'
import { errorText } from '../ui/errors'
import { formatTime } from '../ui/format'
import { toast } from '../ui/toast'
import { ManageTaskDialog } from '../tasks/ManageTask'
import { lateText, StateBadge } from './words'

const isOpen = (task: Task) => task.status === 'open' || task.status === 'claimed'

export function RoleBoard(props: {
  workspaceId: number
  groups: RoleGroup[]
  me: number
  myRoles: string[]
  oneTap: boolean
  /** A manager of a run under way: each task line opens its manager actions. */
  supervise: boolean
  ended: boolean
  nodes: Map<string, GraphNode>
  now: number
  onChanged: () => Promise<void>
}) {
  const { t, lang, tx } = useI18n()
  const [busy, setBusy] = useState<number | null>(null)
  const [managing, setManaging] = useState<number | null>(null)
  const api = tasksApi(props.workspaceId)

  const mine = (task: Task) =>
    isOpen(task) &&
    !task.blocked &&
    (task.assignee_id === props.me ||
      (task.assignee_id === null && props.myRoles.includes(task.role ?? '')))

  async function completeNow(task: Task, node: GraphNode) {
    setBusy(task.id)
    try {
      const spec = specOf(node)
      if (task.assignee_id === null) await api.claim(task.id)
      await api.complete(task.id, payloadOf(spec, allTicked(spec)))
      toast(t('complete.done', { title: task.title }), 'success')
    } catch (failure) {
      const changed = failure instanceof ApiError && failure.status === 409
      toast(changed ? t('task.changedElsewhere') : errorText(failure, t, tx), 'error')
    } finally {
      setBusy(null)
      await props.onChanged()
    }
  }

  const line = ({ task, assignee, late }: TaskLine) => {
    const node = props.nodes.get(task.node_id)
    const canTap = props.oneTap && mine(task) && node !== undefined
    const open = isOpen(task)
    return (
      <li
        key={task.id}
        className={`task-line task-line--${task.status}${late && open ? ' is-late' : ''}`}
        data-testid={`task-line-${task.id}`}
        data-status={task.status}
      >
        <StateBadge kind="task" value={task.status} />
        <span className="task-line__title">
          {task.title}
          {task.blocked && <span className="badge badge--error">{t('task.blocked')}</span>}
        </span>
        <span className="task-line__meta">
          <span>{assignee ?? t('room.unassigned')}</span>
          {task.due_at && open && (
            <span>{t('room.due', { time: formatTime(task.due_at, lang) })}</span>
          )}
          {late !== null && <span className="late">{lateText(t, late)}</span>}
        </span>
        {canTap &&
          (isOneTap(specOf(node)) ? (
            <button
              type="button"
              className="button button--primary task-line__action"
              disabled={busy !== null}
              onClick={() => completeNow(task, node)}
              aria-label={t('room.completeTask', { title: task.title })}
            >
              {t('room.complete')}
            </button>
          ) : (
            <Link
              className="button task-line__action"
              to={`/w/${props.workspaceId}/tasks/${task.id}`}
            >
              {t('room.fillIn')}
            </Link>
          ))}
        {props.supervise && (
          <button
            type="button"
            className="button button--ghost task-line__action"
            onClick={() => setManaging(task.id)}
            aria-label={t('manage.openTask', { title: task.title })}
          >
            {t('manage.open')}
          </button>
        )}
      </li>
    )
  }

  return (
    <section className="roles" aria-labelledby="roles-title">
      <h2 id="roles-title" className="room-panel__title">
        {t('room.byRole')}
      </h2>
      {props.ended ? (
        <p className="muted">
          {t('room.ended')} <Link to="review">{t('runs.review')}</Link>
        </p>
      ) : (
        props.groups.length === 0 && <p className="muted">{t('room.noTasks')}</p>
      )}
      <div className="roles__grid">
        {props.groups.map((group) => (
          <section
            key={group.role}
            className="role-card"
            aria-labelledby={`role-${group.role}`}
            data-testid={`role-${group.role}`}
          >
            <header className="role-card__head">
              <h3 id={`role-${group.role}`}>{roleLabel(tx, group.role)}</h3>
              <span className="role-card__people">
                {group.people.map((p) => p.name).join('、') || t('room.nobody')}
              </span>
              {group.lateCount > 0 && (
                <span className="badge badge--error">
                  {t('room.lateCount', { count: group.lateCount })}
                </span>
              )}
            </header>
            {(() => {
              const open = group.lines.filter((l) => isOpen(l.task))
              const finished = group.lines.filter((l) => !isOpen(l.task))
              return (
                <>
                  <ul className="role-card__tasks">
                    {open.length === 0 && <li className="muted">{t('room.noOpenTasks')}</li>}
                    {open.map(line)}
                  </ul>
                  {finished.length > 0 && (
                    <details className="role-card__finished">
                      <summary>{t('room.finishedCount', { count: finished.length })}</summary>
                      <ul className="role-card__tasks">{finished.map(line)}</ul>
                    </details>
                  )}
                </>
              )
            })()}
          </section>
        ))}
      </div>
      {managing !== null && (
        <ManageTaskDialog
          workspaceId={props.workspaceId}
          taskId={managing}
          onClose={() => setManaging(null)}
          onDone={() => void props.onChanged()}
        />
      )}
    </section>
  )
}
