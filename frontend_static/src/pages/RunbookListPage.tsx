// The workspace's runbooks: search, tag filter, archived filter; create (blank or from a
// template), import, duplicate, archive, export.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router-dom'
import { runbooksApi, type ArchivedFilter } from '../api/runbooks'
import type { RunbookExport, RunbookSummary } from '../api/types'
import { can, canEditRunbooks, roleIn } from '../app/session'
import { useSession } from '../app/useSession'
import { useI18n } from '../i18n/react'
import { downloadJson, fileNameFor, readJsonFile } from '../ui/download'
import { errorText } from '../ui/errors'
import { formatRelative } from '../ui/format'
import { toast } from '../ui/toast'
import { useDocumentTitle } from '../ui/useDocumentTitle'
import { CreateRunbookDialog } from './CreateRunbookDialog'

export function RunbookListPage() {
  const { ws } = useParams()
  const workspaceId = Number(ws)
  const session = useSession()
  const editable = canEditRunbooks(roleIn(session, workspaceId))
  const mayPlan = can(session, workspaceId, 'runs.manage')
  const { t, lang, tx } = useI18n()
  const navigate = useNavigate()
  const runbooks = useMemo(() => runbooksApi(workspaceId), [workspaceId])
  useDocumentTitle(t('list.title'))

  const [q, setQ] = useState('')
  const [query, setQuery] = useState('')
  const [tag, setTag] = useState('')
  const [archived, setArchived] = useState<ArchivedFilter>('false')
  const [items, setItems] = useState<RunbookSummary[] | null>(null)
  const [knownTags, setKnownTags] = useState<string[]>([])
  const [error, setError] = useState<string | null>(null)
  const [creating, setCreating] = useState(false)
  const importInput = useRef<HTMLInputElement>(null)

  useEffect(() => {
    const timer = setTimeout(() => setQuery(q.trim()), 250)
    return () => clearTimeout(timer)
  }, [q])

  const reload = useCallback(async () => {
    try {
      const list = await runbooks.list({ q: query, tag, archived })
      setItems(list)
      setError(null)
      setKnownTags((before) => [...new Set([...before, ...list.flatMap((r) => r.tags)])].sort())
    } catch (failure) {
      setError(errorText(failure, t, tx))
    }
  }, [runbooks, query, tag, archived, t, tx])

  useEffect(() => {
    void reload()
  }, [reload])

  async function act(action: () => Promise<unknown>, done: string) {
    try {
      await action()
      toast(done, 'success')
      await reload()
    } catch (failure) {
      toast(errorText(failure, t, tx), 'error')
    }
  }

  async function importFile(file: File) {
    try {
      const doc = (await readJsonFile(file)) as RunbookExport
      const created = await runbooks.import(doc)
      toast(t('list.imported', { name: created.name }), 'success')
      navigate(`/w/${workspaceId}/runbooks/${created.id}`)
    } catch (failure) {
      toast(
        failure instanceof SyntaxError ? t('list.importNotJson') : errorText(failure, t, tx),
        'error',
      )
    }
  }

  async function exportRunbook(item: RunbookSummary) {
    try {
      downloadJson(fileNameFor(item.name, 'cueflow.json'), await runbooks.export(item.id))
    } catch (failure) {
      toast(errorText(failure, t, tx), 'error')
    }
  }

  return (
    <div className="page">
      <div className="page__head">
        <h1>{t('list.title')}</h1>
        {editable && (
          <div className="page__actions">
            <button type="button" className="button" onClick={() => importInput.current?.click()}>
              {t('list.import')}
            </button>
            <input
              ref={importInput}
              type="file"
              accept="application/json,.json"
              hidden
              data-testid="import-file"
              aria-label={t('list.import')}
              onChange={(event) => {
                const file = event.target.files?.[0]
                event.target.value = ''
                if (file) void importFile(file)
              }}
            />
            <button
              type="button"
              className="button button--primary"
              onClick={() => setCreating(true)}
            >
              {t('list.new')}
            </button>
          </div>
        )}
      </div>

      <div className="filters" role="search">
        <label className="filters__search">
          <span className="visually-hidden">{t('list.search')}</span>
          <input
            type="search"
            placeholder={t('list.searchPlaceholder')}
            aria-label={t('list.search')}
            value={q}
            onChange={(event) => setQ(event.target.value)}
          />
        </label>
        <label>
          <span className="visually-hidden">{t('list.show')}</span>
          <select
            aria-label={t('list.show')}
            value={archived}
            onChange={(event) => setArchived(event.target.value as ArchivedFilter)}
          >
            <option value="false">{t('list.active')}</option>
            <option value="true">{t('list.archived')}</option>
            <option value="all">{t('list.all')}</option>
          </select>
        </label>
        {knownTags.length > 0 && (
          <div className="tag-filter" role="group" aria-label={t('list.tags')}>
            {knownTags.map((name) => (
              <button
                key={name}
                type="button"
                className={`chip${tag === name ? ' chip--on' : ''}`}
                aria-pressed={tag === name}
                onClick={() => setTag(tag === name ? '' : name)}
              >
                #{name}
              </button>
            ))}
          </div>
        )}
      </div>

      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {items === null && !error && <p className="muted">{t('common.loading')}</p>}
      {items !== null && items.length === 0 && (
        <div className="empty">
          <p>{query || tag ? t('list.noMatch') : t('list.empty')}</p>
          {editable && !query && !tag && (
            <button
              type="button"
              className="button button--primary"
              onClick={() => setCreating(true)}
            >
              {t('list.new')}
            </button>
          )}
        </div>
      )}
      {items !== null && items.length > 0 && (
        <ul className="runbook-list" aria-label={t('list.title')}>
          {items.map((item) => (
            <li
              key={item.id}
              className={`runbook-card${item.archived ? ' is-archived' : ''}`}
              data-testid="runbook-card"
            >
              <div className="runbook-card__main">
                <Link to={`/w/${workspaceId}/runbooks/${item.id}`} className="runbook-card__name">
                  {item.name}
                </Link>
                {item.description && <p className="runbook-card__desc">{item.description}</p>}
                <div className="runbook-card__meta">
                  {item.tags.map((name) => (
                    <span key={name} className="chip chip--small">
                      #{name}
                    </span>
                  ))}
                  <span>{t('list.nodes', { count: item.node_count })}</span>
                  <span>
                    {item.latest_version === null
                      ? t('list.unpublished')
                      : t('list.version', { number: item.latest_version })}
                  </span>
                  {item.error_count > 0 && (
                    <span className="badge badge--error">
                      {t('problems.errors', { count: item.error_count })}
                    </span>
                  )}
                  {item.archived && <span className="badge">{t('list.archivedBadge')}</span>}
                  <span className="muted">
                    {t('list.updated', { when: formatRelative(item.updated_at, lang) })}
                  </span>
                </div>
              </div>
              <div className="runbook-card__actions">
                {mayPlan && item.latest_version !== null && !item.archived && (
                  <Link
                    className="button button--small"
                    to={`/w/${workspaceId}/runs/new?runbook=${item.id}`}
                  >
                    {t('runs.plan')}
                  </Link>
                )}
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => exportRunbook(item)}
                >
                  {t('list.export')}
                </button>
                {editable && (
                  <>
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() =>
                        act(
                          () =>
                            runbooks.duplicate(item.id, t('list.copyName', { name: item.name })),
                          t('list.duplicated'),
                        )
                      }
                    >
                      {t('list.duplicate')}
                    </button>
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() =>
                        act(
                          () => runbooks.update(item.id, { archived: !item.archived }),
                          item.archived ? t('list.restored') : t('list.archivedDone'),
                        )
                      }
                    >
                      {item.archived ? t('list.unarchive') : t('list.archive')}
                    </button>
                  </>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {creating && (
        <CreateRunbookDialog
          onClose={() => setCreating(false)}
          onCreate={async (input) => {
            const created = await runbooks.create(input)
            navigate(`/w/${workspaceId}/runbooks/${created.id}`)
          }}
        />
      )}
    </div>
  )
}
