// Problems reported on the run's tasks, newest first: what, by whom, when, and whether
// it blocks the task or has been resolved.

import { Link } from 'react-router-dom'
import { useI18n } from '../i18n/react'
import type { ProblemLine } from '../model/controlRoom'
import { formatTime } from '../ui/format'

export function ProblemPanel(props: {
  workspaceId: number
  problems: ProblemLine[]
  names: Map<number, string>
}) {
  const { t, lang } = useI18n()
  const open = props.problems.filter((p) => !p.resolved).length
  return (
    <section
      className="side-panel problems"
      aria-labelledby="problems-title"
      data-testid="problems"
    >
      <h2 id="problems-title" className="room-panel__title">
        {t('room.problems')}
        {open > 0 && (
          <span className="badge badge--error">{t('room.openProblems', { count: open })}</span>
        )}
      </h2>
      {props.problems.length === 0 && <p className="muted">{t('room.noProblems')}</p>}
      <ul className="issue-list">
        {props.problems.map((p) => (
          <li key={p.eventId} className={`issue-item${p.resolved ? ' is-resolved' : ''}`}>
            <div className="issue-item__head">
              <span className={`state ${p.resolved ? 'state--done' : 'state--problem'}`}>
                {p.resolved ? t('room.resolved') : p.blocking ? t('room.blocking') : t('room.open')}
              </span>
              {p.taskId ? (
                <Link to={`/w/${props.workspaceId}/tasks/${p.taskId}`}>{p.title}</Link>
              ) : (
                <span>{p.title}</span>
              )}
            </div>
            <p className="issue-item__note">{p.note}</p>
            <p className="muted issue-item__by">
              {t('room.reportedBy', {
                who: (p.reportedBy && props.names.get(p.reportedBy)) || '—',
                time: formatTime(p.at, lang),
              })}
              {p.resolved &&
                ` · ${t('room.resolvedBy', {
                  who: (p.resolved.by && props.names.get(p.resolved.by)) || '—',
                  time: formatTime(p.resolved.at, lang),
                })}`}
            </p>
            {p.resolved?.note && <p className="issue-item__note">{p.resolved.note}</p>}
          </li>
        ))}
      </ul>
    </section>
  )
}
