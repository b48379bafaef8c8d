// The inbox's parts below the current tasks: what is coming (steps of my roles not open
// yet, at their planned times, no buttons) and what I finished today; and the line that
// names the next step when nothing is open yet.

import { Link } from 'react-router-dom'
import type { Task, UpcomingStep } from '../api/types'
import { roleLabel } from '../editor/labels'
import type { MessageKey } from '../i18n'
import { useI18n } from '../i18n/react'
import { durationWords } from '../model/durations'
import { arrangeUpcoming, dayIn, offsetText } from '../model/inbox'
import { formatDayTime, formatTime } from '../ui/format'

/** "20:30 · T−1小时30分钟" (the date too when not today, in the run's zone). */
function usePlannedText(now: number) {
  const { t, lang } = useI18n()
  const words = durationWords(t)
  return (step: UpcomingStep) => {
    const time = formatTime(step.planned_start, lang, step.run_tz, now)
    if (step.offset_minutes === null) return time
    return t('inbox.plannedAt', { time, offset: offsetText(step.offset_minutes, words) })
  }
}

export function UpcomingSection(props: {
  steps: UpcomingStep[]
  workspaceId: number
  now: number
}) {
  const { t, tx } = useI18n()
  const planned = usePlannedText(props.now)
  if (props.steps.length === 0) return null
  return (
    <section className="inbox-section inbox-section--upcoming" aria-labelledby="inbox-upcoming">
      <h2 id="inbox-upcoming">
        {t('inbox.upcoming')}
        <span className="inbox-section__count">{props.steps.length}</span>
      </h2>
      <p className="inbox-section__hint muted">{t('inbox.upcomingHint')}</p>
      {arrangeUpcoming(props.steps).map((group) => (
        <div key={group.runId} className="inbox-run">
          <h3 className="inbox-run__name">
            <Link to={`/w/${props.workspaceId}/runs/${group.runId}`}>{group.runName}</Link>
          </h3>
          <ul className="inbox-run__tasks">
            {group.steps.map((step) => (
              <li
                key={step.node_id}
                className="task-card task-card--upcoming"
                data-testid={`upcoming-${step.run_id}-${step.node_id}`}
              >
                <span className="task-card__title">{step.title}</span>
                <span className="task-card__meta">
                  {step.role && (
                    <span className="chip chip--small">{roleLabel(tx, step.role)}</span>
                  )}
                  {step.kind !== 'task' && (
                    <span className="chip chip--small">{t(`kind.${step.kind}` as MessageKey)}</span>
                  )}
                </span>
                <span className="task-card__when">{planned(step)}</span>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  )
}

/** "下一项：「主播彩排」今天 19:00（T−1小时）" */
export function NextUpLine({ step, now }: { step: UpcomingStep; now: number }) {
  const { t, lang } = useI18n()
  const words = durationWords(t)
  const at = step.planned_start
  const day = at ? dayIn(at, step.run_tz, now) : null
  const time = formatTime(at, lang, step.run_tz, now)
  const when = !at
    ? ''
    : day === 'today'
      ? `${t('inbox.today')} ${time}`
      : day === 'tomorrow'
        ? `${t('inbox.tomorrow')} ${time}`
        : formatDayTime(at, lang, step.run_tz)
  const offset = step.offset_minutes === null ? '' : offsetText(step.offset_minutes, words)
  return (
    <p className="inbox__next" data-testid="inbox-next">
      {t('inbox.nextUp', { title: step.title, when, offset })}
    </p>
  )
}

export function DoneTodaySection(props: { tasks: Task[]; workspaceId: number }) {
  const { t, lang } = useI18n()
  if (props.tasks.length === 0) return null
  return (
    <details className="inbox-section inbox-done" data-testid="inbox-done-today">
      <summary>
        <h2>
          {t('inbox.doneToday')}
          <span className="inbox-section__count">{props.tasks.length}</span>
        </h2>
      </summary>
      <ul className="inbox-done__list">
        {props.tasks.map((task) => (
          <li key={task.id}>
            <Link to={`/w/${props.workspaceId}/tasks/${task.id}`} className="inbox-done__item">
              <span className="inbox-done__title">{task.title}</span>
              <span className="inbox-done__meta muted">
                {task.run_name} ·{' '}
                {t('inbox.doneAt', { time: formatTime(task.completed_at, lang, task.run_tz) })}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </details>
  )
}
