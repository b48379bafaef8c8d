// Published versions, what changed between them (or since one, in the draft), and
// restoring one into the draft (an undoable edit like any other).

import { useCallback, useEffect, useState, type ReactNode } from 'react'
import type { DraftApi } from '../api/runbooks'
import type { Changed, GraphDiff, Version } from '../api/types'
import { useI18n } from '../i18n/react'
import type { EditorSession } from '../model/editorSession'
import type { Graph } from '../model/graph'
import { errorText } from '../ui/errors'
import { formatDateTime } from '../ui/format'
import { toast } from '../ui/toast'
import { useFocusElements } from './ProblemsPanel'

export interface DiffHighlight {
  added: Set<string>
  changed: Set<string>
}

export function VersionsPanel(props: {
  api: DraftApi
  session: EditorSession
  graph: Graph
  readOnly: boolean
  refreshKey: number
  onHighlight: (highlight: DiffHighlight | null) => void
}) {
  const { t, lang, tx } = useI18n()
  const { api, onHighlight } = props
  const [versions, setVersions] = useState<Version[] | null>(null)
  const [diff, setDiff] = useState<{
    diff: GraphDiff
    title: string
    names: Map<string, string>
  } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const focus = useFocusElements(props.session)

  useEffect(() => {
    api
      .versions()
      .then((list) => setVersions([...list].sort((a, b) => b.number - a.number)))
      .catch((failure) => setError(errorText(failure, t, tx)))
  }, [api, props.refreshKey, t, tx])

  useEffect(() => () => onHighlight(null), [onHighlight])

  const showDiff = useCallback(
    async (from: number, to: number | 'draft') => {
      try {
        if (to === 'draft') await props.session.flush()
        const [result, older, newer] = await Promise.all([
          api.diff(from, to),
          api.version(from),
          to === 'draft'
            ? Promise.resolve({ graph: props.session.getState().history.present })
            : api.version(to),
        ])
        const names = new Map<string, string>()
        for (const n of [...older.graph.nodes, ...newer.graph.nodes]) names.set(n.id, n.title)
        const title =
          to === 'draft'
            ? t('versions.diffToDraft', { from })
            : t('versions.diffBetween', { from, to })
        setDiff({ diff: result, title, names })
        onHighlight(
          to === 'draft'
            ? {
                added: new Set(result.nodes.added),
                changed: new Set(result.nodes.changed.map((c) => c.id)),
              }
            : null,
        )
      } catch (failure) {
        toast(errorText(failure, t, tx), 'error')
      }
    },
    [api, props.session, t, tx, onHighlight],
  )

  async function restore(number: number) {
    try {
      const version = await api.version(number)
      props.session.replaceGraph(version.graph)
      toast(t('versions.restored', { number }), 'success')
    } catch (failure) {
      toast(errorText(failure, t, tx), 'error')
    }
  }

  return (
    <section className="side-section" aria-label={t('versions.title')} data-testid="versions-panel">
      <h2 className="panel-title">{t('versions.title')}</h2>
      {error && <p className="form-error">{error}</p>}
      {versions === null && !error && <p className="muted">{t('common.loading')}</p>}
      {versions !== null && versions.length === 0 && <p className="muted">{t('versions.none')}</p>}
      {diff && (
        <div className="diff" data-testid="diff">
          <div className="diff__head">
            <h3>{diff.title}</h3>
            <button
              type="button"
              className="icon-button"
              aria-label={t('common.close')}
              onClick={() => {
                setDiff(null)
                onHighlight(null)
              }}
            >
              ×
            </button>
          </div>
          <DiffView
            diff={diff.diff}
            names={diff.names}
            onFocus={(id) => {
              if (props.graph.nodes.some((n) => n.id === id)) focus([id], [], props.graph)
            }}
          />
        </div>
      )}
      <ol className="version-list">
        {versions?.map((v) => (
          <li key={v.number} className="version" data-testid={`version-${v.number}`}>
            <div className="version__head">
              <strong>{t('list.version', { number: v.number })}</strong>
              <small className="muted">{formatDateTime(v.published_at, lang)}</small>
            </div>
            <small className="muted">
              {v.published_by?.name ?? ''} · {t('list.nodes', { count: v.node_count })}
            </small>
            {v.note && <p className="version__note">{v.note}</p>}
            <div className="version__actions">
              <button
                type="button"
                className="button button--small"
                onClick={() => showDiff(v.number, 'draft')}
              >
                {t('versions.compareDraft')}
              </button>
              {v.number > 1 && (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => showDiff(v.number - 1, v.number)}
                >
                  {t('versions.comparePrevious')}
                </button>
              )}
              {!props.readOnly && (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => restore(v.number)}
                >
                  {t('versions.restore')}
                </button>
              )}
            </div>
          </li>
        ))}
      </ol>
    </section>
  )
}

function short(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—'
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}

function DiffView({
  diff,
  names,
  onFocus,
}: {
  diff: GraphDiff
  names: Map<string, string>
  onFocus: (id: string) => void
}) {
  const { t } = useI18n()
  const name = (id: string) => (
    <button type="button" className="link-button" onClick={() => onFocus(id)}>
      {names.get(id) ?? id}
    </button>
  )
  const changedList = (items: Changed[], label: (id: string) => ReactNode) =>
    items.map((c) => (
      <li key={c.id} className="diff__changed">
        <span>{label(c.id)}</span>
        <ul>
          {c.changes.map((f) => (
            <li key={f.field}>
              <code>{f.field}</code>: <del>{short(f.old)}</del> → <ins>{short(f.new)}</ins>
            </li>
          ))}
        </ul>
      </li>
    ))
  const empty =
    !diff.nodes.added.length &&
    !diff.nodes.removed.length &&
    !diff.nodes.changed.length &&
    !diff.nodes.moved.length &&
    !diff.edges.added.length &&
    !diff.edges.removed.length &&
    !diff.edges.changed.length &&
    !diff.variables.added.length &&
    !diff.variables.removed.length &&
    !diff.variables.changed.length
  if (empty) return <p className="muted">{t('versions.noChanges')}</p>
  return (
    <ul className="diff__list">
      {diff.nodes.added.map((id) => (
        <li key={`a${id}`} className="diff__added">
          + {name(id)}
        </li>
      ))}
      {diff.nodes.removed.map((id) => (
        <li key={`r${id}`} className="diff__removed">
          − {name(id)}
        </li>
      ))}
      {changedList(diff.nodes.changed, name)}
      {diff.nodes.moved.length > 0 && (
        <li className="muted">{t('versions.moved', { count: diff.nodes.moved.length })}</li>
      )}
      {(diff.edges.added.length > 0 || diff.edges.removed.length > 0) && (
        <li>
          {t('versions.edges', {
            added: diff.edges.added.length,
            removed: diff.edges.removed.length,
          })}
        </li>
      )}
      {changedList(diff.edges.changed, (id) => `${t('inspector.edgeTitle')} ${id}`)}
      {diff.variables.added.map((key) => (
        <li key={`va${key}`} className="diff__added">
          + {t('versions.variable')} {key}
        </li>
      ))}
      {diff.variables.removed.map((key) => (
        <li key={`vr${key}`} className="diff__removed">
          − {t('versions.variable')} {key}
        </li>
      ))}
      {changedList(diff.variables.changed, (key) => `${t('versions.variable')} ${key}`)}
    </ul>
  )
}
