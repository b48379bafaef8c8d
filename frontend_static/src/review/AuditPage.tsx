// The audit trail for managers: every change in the workspace as a sentence in the
// reader's language ("运营总监 跳过了「复盘签字确认」：理由"), newest first, filtered by run,
// person, kind group, time and words, a page at a time; the same filter exports as CSV.

import '../styles/review.css'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { Link, useParams } from 'react-router-dom'
import { auditApi, type EventFilter } from '../api/postmortems'
import { runsApi } from '../api/runs'
import type { AuditEvent, Member, Run } from '../api/types'
import { workspacesApi } from '../api/workspaces'
import { can } from '../app/session'
import { useSession } from '../app/useSession'
import { useI18n } from '../i18n/react'
import {
  changeSummary,
  EVENT_GROUPS,
  eventSentence,
  kindsOf,
  type EventGroup,
  type Words,
} from '../model/auditView'
import { zonedToIso } from '../model/timezone'
import { errorText } from '../ui/errors'
import { formatDateTime } from '../ui/format'
import { useDocumentTitle } from '../ui/useDocumentTitle'

const PAGE = 50

interface Filters {
  runId: string
  actorId: string
  group: '' | EventGroup
  since: string
  until: string
  q: string
}

const NO_FILTER: Filters = { runId: '', actorId: '', group: '', since: '', until: '', q: '' }

function toQuery(filters: Filters): EventFilter {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone
  return {
    run_id: filters.runId ? Number(filters.runId) : null,
    actor_id: filters.actorId ? Number(filters.actorId) : null,
    kind: kindsOf(filters.group),
    since: filters.since ? zonedToIso(`${filters.since}T00:00`, zone) : null,
    until: filters.until ? zonedToIso(`${filters.until}T23:59`, zone) : null,
    q: filters.q.trim() || undefined,
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
  const [typed, setTyped] = useState('')
  const [events, setEvents] = useState<AuditEvent[] | null>(null)
  const [next, setNext] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [runs, setRuns] = useState<Run[]>([])
  const [members, setMembers] = useState<Member[]>([])
  const query = useMemo(() => toQuery(filters), [filters])
  const words: Words = useMemo(() => ({ tx, when: (iso) => formatDateTime(iso, lang) }), [tx, lang])

  // The search follows the typing, a moment after it pauses.
  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => (f.q === typed ? f : { ...f, q: typed })), 300)
    return () => clearTimeout(timer)
  }, [typed])

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

  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }))

  return (
    <div className="page page--wide">
      <div className="page__head">
        <h1>{t('audit.title')}</h1>
        <a className="button" href={audit.csvUrl({ ...query, q: undefined })} download>
          {t('audit.export')}
        </a>
      </div>
      <form className="filters audit__filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label className="field audit__search">
          <span>{t('audit.search')}</span>
          <input
            type="search"
            value={typed}
            placeholder={t('audit.searchHint')}
            maxLength={200}
            onChange={(e) => setTyped(e.target.value)}
          />
        </label>
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
            value={filters.group}
            onChange={(e) => set({ group: e.target.value as Filters['group'] })}
          >
            <option value="">{t('list.all')}</option>
            {EVENT_GROUPS.map(({ key }) => (
              <option key={key} value={key}>
                {t(`audit.group.${key}`)}
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
          onClick={() => {
            setFilters(NO_FILTER)
            setTyped('')
          }}
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
                <th scope="col">{t('audit.what')}</th>
                <th scope="col">{t('audit.run')}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <EventRow key={event.id} event={event} words={words} workspaceId={workspaceId} />
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

function EventRow(props: { event: AuditEvent; words: Words; workspaceId: number }) {
  const { event, words } = props
  const { lang } = useI18n()
  const changed = changeSummary(event, words)
  return (
    <tr data-kind={event.kind}>
      <td className="nowrap">{formatDateTime(event.at, lang, undefined, true)}</td>
      <td>
        <p className="audit__sentence" data-testid="audit-sentence">
          {eventSentence(event, words)}
        </p>
        {changed && <div className="muted audit__change">{changed}</div>}
      </td>
      <td className="nowrap">
        {event.run_id ? (
          <Link to={`/w/${props.workspaceId}/runs/${event.run_id}`}>{event.run_name ?? '—'}</Link>
        ) : (
          (event.runbook_name ?? '—')
        )}
      </td>
    </tr>
  )
}
