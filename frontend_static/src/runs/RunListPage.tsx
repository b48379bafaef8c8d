// The workspace's runs, latest go-live first, filtered by status; planners and managers
// plan a new one from here.

import '../styles/runs.css'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { Link, useParams } from 'react-router-dom'
import { runsApi } from '../api/runs'
import type { Run, RunStatus } from '../api/types'
import { can } from '../app/session'
import { useSession } from '../app/useSession'
import { useI18n } from '../i18n/react'
import { errorText } from '../ui/errors'
import { formatDateTime } from '../ui/format'
import { useDocumentTitle } from '../ui/useDocumentTitle'
import { StateBadge } from './words'

const FILTERS: ('' | RunStatus)[] = ['', 'running', 'scheduled', 'paused', 'completed', 'cancelled']

export default function RunListPage() {
  const { ws } = useParams()
  const workspaceId = Number(ws)
  const session = useSession()
  const { t, lang, tx } = useI18n()
  const runs = useMemo(() => runsApi(workspaceId), [workspaceId])
  const [status, setStatus] = useState<'' | RunStatus>('')
  const [items, setItems] = useState<Run[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const mayPlan = can(session, workspaceId, 'runs.manage')
  useDocumentTitle(t('runs.title'))

  const reload = useCallback(async () => {
    try {
      setItems(await runs.list({ status }))
      setError(null)
    } catch (failure) {
      setError(errorText(failure, t, tx))
    }
  }, [runs, status, t, tx])

  useEffect(() => {
    void reload()
  }, [reload])

  return (
    <div className="page">
      <div className="page__head">
        <h1>{t('runs.title')}</h1>
        {mayPlan && (
          <div className="page__actions">
            <Link className="button button--primary" to={`/w/${workspaceId}/runs/new`}>
              {t('runs.plan')}
            </Link>
          </div>
        )}
      </div>
      <div className="filters" role="group" aria-label={t('runs.filter')}>
        {FILTERS.map((value) => (
          <button
            key={value || 'all'}
            type="button"
            className={`chip${status === value ? ' chip--on' : ''}`}
            aria-pressed={status === value}
            onClick={() => setStatus(value)}
          >
            {value ? t(`runState.${value}`) : t('list.all')}
          </button>
        ))}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {items === null && !error && <p className="muted">{t('common.loading')}</p>}
      {items !== null && items.length === 0 && (
        <div className="empty">
          <p>{status ? t('runs.noMatch') : t('runs.empty')}</p>
        </div>
      )}
      {items !== null && items.length > 0 && (
        <ul className="run-list" aria-label={t('runs.title')}>
          {items.map((run) => (
            <li key={run.id} className="run-card" data-testid="run-card">
              <div className="run-card__main">
                <Link className="run-card__name" to={`/w/${workspaceId}/runs/${run.id}`}>
                  {run.name}
                </Link>
                <div className="run-card__meta">
                  <StateBadge kind="run" value={run.status} />
                  <span>
                    {t('runs.goLiveAt', { when: formatDateTime(run.go_live, lang, run.tz) })}
                  </span>
                  <span className="muted">{t('list.version', { number: run.version })}</span>
                </div>
              </div>
              <div className="run-card__actions">
                <Link className="button button--small" to={`/w/${workspaceId}/runs/${run.id}`}>
                  {run.status === 'running' || run.status === 'paused'
                    ? t('runs.openRoom')
                    : t('runs.open')}
                </Link>
                {(run.status === 'completed' || run.status === 'cancelled') && (
                  <Link
                    className="button button--small"
                    to={`/w/${workspaceId}/runs/${run.id}/review`}
                  >
                    {t('runs.review')}
                  </Link>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
