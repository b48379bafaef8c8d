// The audit trail for managers: every change in the workspace, newest first, filtered by
// run, person, kind and time, a page at a time; the same filter exports as CSV.

import '../styles/review.css'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { Link, useParams } from 'react-router-dom'
import { auditApi, type EventFilter } from '../api/postmortems'
import { runsApi } from '../api/runs'
import type { AuditEvent, EventKindFilter, Member, Run } from '../api/types'
import { workspacesApi } from '../api/workspaces'
import { can } from '../app/session'
import { useSession } from '../app/useSession'
import { useI18n } from '../i18n/react'
import { changeSummary, EVENT_FAMILIES } from '../model/auditView'
import { zonedToIso } from '../model/timezone'
import { errorText } from '../ui/errors'
import { formatDateTime } from '../ui/format'
import { useDocumentTitle } from '../ui/useDocumentTitle'

const PAGE = 50

interface Filters {
  runId: string
  actorId: string
  kind: '' | EventKindFilter
  since: string
  until: string
}

const NO_FILTER: Filters = { runId: '', actorId: '', kind: '', since: '', until: '' }

function toQuery(filters: Filters): EventFilter {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone
  return {
    run_id: filters.runId ? Number(filters.runId) : null,
    actor_id: filters.actorId ? Number(filters.actorId) : null,
    kind: filters.kind ? [filters.kind] : [],
    since: filters.since ? zonedToIso(`${filters.since}T00:00`, zone) : null,
    until: filters.until ? zonedToIso(`${filters.until}T23:59`, zone) : null,
  }
}

export default function AuditPage() {
  const { ws } = useParams()
  const workspaceId = Number(ws)
  const session = useSession()
  const allowed = can(session, workspaceId, 'audit.read')
  const { t, lang, tx } = useI18n()
  useDocumentTitle(t('audit.title'))
  const audit = useMemo(() => auditApi(workspaceId), [workspaceId])
  const [filters, setFilters] = useState<Filters>(NO_FILTER)
  const [events, setEvents] = useState<AuditEvent[] | null>(null)
  const [next, setNext] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [runs, setRuns] = useState<Run[]>([])
  const [members, setMembers] = useState<Member[]>([])
  const query = useMemo(() => toQuery(filters), [filters])

  useEffect(() => {
    if (!allowed) return
    runsApi(workspaceId)
      .list()
      .then(setRuns)
      .catch(() => setRuns([]))
    workspacesApi(workspaceId)
      .members()
      .then(setMembers)
      .catch(() => setMembers([]))
  }, [workspaceId, allowed])

  const load = useCallback(
    async (after: number | null) => {
      try {
        const page = await audit.page(query, after, PAGE)
        setEvents((before) => (after === null ? page.events : [...(before ?? []), ...page.events]))
        setNext(page.next)
        setError(null)
      } catch (failure) {
        setError(errorText(failure, t, tx))
      }
    },
    [audit, query, t, tx],
  )

  useEffect(() => {
    if (!allowed) return
    setEvents(null)
    void load(null)
  }, [load, allowed])

  if (!allowed) {
    return (
      <div className="page">
        <p className="form-error" role="alert">
          {t('audit.notAllowed')}
        </p>
      </div>
    )
  }

  const runNames = new Map(runs.map((r) => [r.id, r.name]))
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }))

  return (
    <div className="page page--wide">
      <div className="page__head">
        <h1>{t('audit.title')}</h1>
        <a className="button" href={audit.csvUrl(query)} download>
          {t('audit.export')}
        </a>
      </div>
      <form className="filters audit__filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label className="field">
          <span>{t('audit.run')}</span>
          <select value={filters.runId} onChange={(e) => set({ runId: e.target.value })}>
            <option value="">{t('list.all')}</option>
            {runs.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('audit.actor')}</span>
          <select value={filters.actorId} onChange={(e) => set({ actorId: e.target.value })}>
            <option value="">{t('list.all')}</option>
            {members.map((m) => (
              <option key={m.user_id} value={m.user_id}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('audit.kind')}</span>
          <select
            value={filters.kind}
            onChange={(e) => set({ kind: e.target.value as Filters['kind'] })}
          >
            <option value="">{t('list.all')}</option>
            {EVENT_FAMILIES.map((family) => (
              <option key={family} value={family}>
                {tx(`eventFamily.${family}`, family)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('audit.since')}</span>
          <input
            type="date"
            value={filters.since}
            onChange={(e) => set({ since: e.target.value })}
          />
        </label>
        <label className="field">
          <span>{t('audit.until')}</span>
          <input
            type="date"
            value={filters.until}
            onChange={(e) => set({ until: e.target.value })}
          />
        </label>
        <button
          type="button"
          className="button button--ghost"
          onClick={() => setFilters(NO_FILTER)}
        >
          {t('audit.clear')}
        </button>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {events === null && !error && <p className="muted">{t('common.loading')}</p>}
      {events !== null && events.length === 0 && <p className="empty">{t('audit.empty')}</p>}
      {events !== null && events.length > 0 && (
        <div className="table-scroll">
          <table className="data-table audit__table" data-testid="audit-events">
            <thead>
              <tr>
                <th scope="col">{t('audit.at')}</th>
                <th scope="col">{t('audit.actor')}</th>
                <th scope="col">{t('audit.kind')}</th>
                <th scope="col">{t('audit.run')}</th>
                <th scope="col">{t('audit.change')}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.id}>
                  <td className="nowrap">{formatDateTime(event.at, lang, undefined, true)}</td>
                  <td>{event.actor ?? t('audit.system')}</td>
                  <td>
                    <code>{event.kind}</code>
                    <div>{tx(`event.${event.kind}`, '')}</div>
                  </td>
                  <td>
                    {event.run_id ? (
                      <Link to={`/w/${workspaceId}/runs/${event.run_id}`}>
                        {runNames.get(event.run_id) ?? `#${event.run_id}`}
                      </Link>
                    ) : (
                      '—'
                    )}
                    {event.node_id && <div className="muted">{event.node_id}</div>}
                  </td>
                  <td>
                    {changeSummary(event)}
                    {event.note && <div className="audit__note">{event.note}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next !== null && (
        <button type="button" className="button audit__more" onClick={() => load(next)}>
          {t('audit.more')}
        </button>
      )}
    </div>
  )
}
