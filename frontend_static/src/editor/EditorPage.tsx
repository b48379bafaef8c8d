// The runbook editor: loads the draft, opens an EditorSession on it and lays out the
// toolbar, palette, canvas and side panels. Keyboard: undo/redo, save.

import { ReactFlowProvider } from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import '../styles/editor.css'
import '../styles/canvas.css'
import '../styles/timeline.css'
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import { useParams } from 'react-router-dom'
import { draftApi, runbooksApi, type DraftApi } from '../api/runbooks'
import type { RunbookSummary } from '../api/types'
import { Loading } from '../app/App'
import { canEditRunbooks, roleIn } from '../app/session'
import { useSession } from '../app/useSession'
import { useI18n } from '../i18n/react'
import { EditorSession, localBackup, type Backup } from '../model/editorSession'
import { isDirty } from '../model/editorState'
import { indexProblems } from '../model/problems'
import { needsLayout } from '../model/viewport'
import { downloadJson, fileNameFor } from '../ui/download'
import { errorText } from '../ui/errors'
import { formatDateTime } from '../ui/format'
import { toast } from '../ui/toast'
import { useDocumentTitle } from '../ui/useDocumentTitle'
import { Canvas } from './Canvas'
import { ConflictBanner } from './ConflictBanner'
import { EdgeInspector } from './inspector/EdgeInspector'
import { NodeInspector, RoleOptions } from './inspector/NodeInspector'
import { RunbookPanel } from './inspector/RunbookPanel'
import { Palette } from './Palette'
import { ProblemsPanel, useFocusElements } from './ProblemsPanel'
import { PublishDialog } from './PublishDialog'
import { TimelinePanel } from './TimelinePanel'
import { Toolbar } from './Toolbar'
import { useAddNode } from './useAddNode'
import { VersionsPanel, type DiffHighlight } from './VersionsPanel'

interface Opened {
  session: EditorSession
  api: DraftApi
  runbook: RunbookSummary
  backup: Backup | null
}

export default function EditorPage() {
  const params = useParams()
  const workspaceId = Number(params.ws)
  const runbookId = Number(params.id)
  const session = useSession()
  const readOnly = !canEditRunbooks(roleIn(session, workspaceId))
  const { t, tx } = useI18n()
  const [opened, setOpened] = useState<Opened | { error: string } | null>(null)

  useEffect(() => {
    let cancelled = false
    let editor: EditorSession | null = null
    const api = draftApi(workspaceId, runbookId)
    const backupStore = localBackup(`cueflow.draft.${workspaceId}.${runbookId}`)
    setOpened(null)
    Promise.all([runbooksApi(workspaceId).get(runbookId), api.load()])
      .then(([runbook, draft]) => {
        if (cancelled) return
        const saved = backupStore.read()
        const offer =
          saved && !readOnly && JSON.stringify(saved.graph) !== JSON.stringify(draft.graph)
            ? saved
            : null
        if (saved && !offer) backupStore.clear()
        editor = new EditorSession(draft, api, { readOnly, backup: backupStore })
        setOpened({ session: editor, api, runbook, backup: offer })
      })
      .catch((failure) => !cancelled && setOpened({ error: errorText(failure, t, tx) }))
    return () => {
      cancelled = true
      void editor?.close()
    }
    // Reopen only for another runbook or another right to edit; not on a language switch.
  }, [workspaceId, runbookId, readOnly])

  if (opened === null) return <Loading />
  if ('error' in opened)
    return (
      <p className="page-message form-error" role="alert">
        {opened.error}
      </p>
    )
  return (
    <ReactFlowProvider>
      <Editor key={`${workspaceId}.${runbookId}`} workspaceId={workspaceId} {...opened} />
    </ReactFlowProvider>
  )
}

type Tab = 'inspect' | 'problems' | 'versions'

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  return (
    !!el &&
    (el.tagName === 'INPUT' ||
      el.tagName === 'TEXTAREA' ||
      el.tagName === 'SELECT' ||
      el.isContentEditable)
  )
}

function Editor(props: Opened & { workspaceId: number }) {
  const { session, api, workspaceId } = props
  const { t, lang, tx } = useI18n()
  const state = useSyncExternalStore(session.subscribe, session.getState)
  const graph = state.history.present
  const [runbook, setRunbook] = useState(props.runbook)
  useDocumentTitle(runbook.name)
  const [tab, setTab] = useState<Tab>('inspect')
  const [timelineOpen, setTimelineOpen] = useState(false)
  const [publishing, setPublishing] = useState(false)
  const [busy, setBusy] = useState(false)
  const [critical, setCritical] = useState<Set<string> | null>(null)
  const [diff, setDiff] = useState<DiffHighlight | null>(null)
  const [versionsKey, setVersionsKey] = useState(0)
  const [backup, setBackup] = useState(props.backup)
  const [fitRequest, setFitRequest] = useState(0)
  const fit = () => setFitRequest((n) => n + 1)
  const focus = useFocusElements(session)
  const addNode = useAddNode(session, () => document.querySelector<HTMLElement>('.canvas'))

  const problems = useMemo(
    () =>
      indexProblems(
        [...state.problems, ...state.refusals],
        new Set(graph.nodes.map((n) => n.id)),
        new Set(graph.edges.map((e) => e.id)),
      ),
    [state.problems, state.refusals, graph.nodes, graph.edges],
  )

  const selectedNode =
    state.selection.nodeIds.length === 1
      ? graph.nodes.find((n) => n.id === state.selection.nodeIds[0])
      : undefined
  const selectedEdge =
    state.selection.edgeIds.length === 1 && state.selection.nodeIds.length === 0
      ? graph.edges.find((e) => e.id === state.selection.edgeIds[0])
      : undefined

  useEffect(() => {
    if (state.selection.nodeIds.length || state.selection.edgeIds.length) setTab('inspect')
  }, [state.selection])

  const save = useCallback(async () => {
    if (await session.flush()) toast(t('save.savedToast'), 'success', 2000)
  }, [session, t])

  // Keyboard: undo / redo / save. Inside a text field the browser's own undo applies.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey
      if (!mod) return
      const key = event.key.toLowerCase()
      if (key === 's') {
        event.preventDefault()
        void save()
      } else if (isTyping(event.target)) {
        return
      } else if (key === 'z' && !event.shiftKey) {
        event.preventDefault()
        session.undo()
      } else if ((key === 'z' && event.shiftKey) || key === 'y') {
        event.preventDefault()
        session.redo()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [session, save])

  // Leaving with unsaved work: the browser asks first (the work is also kept locally).
  useEffect(() => {
    const onLeave = (event: BeforeUnloadEvent) => {
      const current = session.getState()
      if (isDirty(current) || current.save.status === 'saving') {
        event.preventDefault()
        event.returnValue = ''
      }
    }
    window.addEventListener('beforeunload', onLeave)
    return () => window.removeEventListener('beforeunload', onLeave)
  }, [session])

  const layout = async (quiet = false) => {
    setBusy(true)
    const done = await session.layout()
    setBusy(false)
    if (done) {
      if (!quiet) toast(t('toolbar.layoutDone'), 'success', 2000)
      fit()
    } else if (session.getState().save.status !== 'conflict')
      toast(t('toolbar.layoutFailed'), 'error')
  }

  // A graph written without positions (through the API) has its nodes on one spot: lay it
  // out on opening, so the planner sees it as lanes.
  useEffect(() => {
    if (!state.readOnly && needsLayout(session.getState().history.present)) void layout(true)
    // Once, on opening.
  }, [])

  const exportDraft = async () => {
    try {
      await session.flush()
      downloadJson(
        fileNameFor(runbook.name, 'cueflow.json'),
        await runbooksApi(workspaceId).export(runbook.id),
      )
    } catch (failure) {
      toast(errorText(failure, t, tx), 'error')
    }
  }

  const rename = async (patch: Partial<Pick<RunbookSummary, 'name' | 'description' | 'tags'>>) => {
    try {
      setRunbook(await runbooksApi(workspaceId).update(runbook.id, patch))
      toast(t('runbookPanel.saved'), 'success', 2000)
    } catch (failure) {
      toast(errorText(failure, t, tx), 'error')
    }
  }

  const highlight = useMemo(
    () => ({ critical, added: diff?.added ?? null, changed: diff?.changed ?? null }),
    [critical, diff],
  )
  const allProblems = [...state.problems, ...state.refusals]

  return (
    <div className={`editor${timelineOpen ? ' editor--timeline' : ''}`} data-testid="editor">
      <Toolbar
        workspaceId={workspaceId}
        name={runbook.name}
        state={state}
        counts={problems.counts}
        timelineOpen={timelineOpen}
        busy={busy}
        onUndo={() => session.undo()}
        onRedo={() => session.redo()}
        onLayout={() => void layout()}
        onFit={fit}
        onSave={save}
        onTimeline={() => {
          setTimelineOpen(!timelineOpen)
          if (timelineOpen) setCritical(null)
        }}
        onProblems={() => setTab('problems')}
        onExport={exportDraft}
        onPublish={() => setPublishing(true)}
      />
      {state.save.conflict && (
        <ConflictBanner
          conflict={state.save.conflict}
          onKeepMine={async () => {
            if (await session.keepMine()) toast(t('conflict.keptMine'), 'success')
          }}
          onTakeTheirs={() => {
            session.takeTheirs()
            toast(t('conflict.tookTheirs'), 'info', 6000)
          }}
        />
      )}
      {backup && (
        <div className="banner banner--info" role="alert" data-testid="backup-banner">
          <div>
            <strong>{t('backup.title')}</strong>
            <p>{t('backup.body', { when: formatDateTime(backup.at, lang) })}</p>
          </div>
          <div className="banner__actions">
            <button
              type="button"
              className="button button--primary"
              onClick={() => {
                session.replaceGraph(backup.graph)
                setBackup(null)
              }}
            >
              {t('backup.restore')}
            </button>
            <button type="button" className="button" onClick={() => setBackup(null)}>
              {t('backup.discard')}
            </button>
          </div>
        </div>
      )}
      {state.save.status === 'failed' && state.refusals.length > 0 && (
        <div className="banner banner--error" role="alert">
          <p>{t('save.refusedBody')}</p>
        </div>
      )}
      <div className="editor__body">
        <Palette onAdd={(kind) => addNode(kind)} disabled={state.readOnly} />
        <Canvas
          session={session}
          state={state}
          problems={problems}
          highlight={highlight}
          fitRequest={fitRequest}
        />
        <aside className="side" aria-label={t('side.label')}>
          <div className="tabs" role="tablist" aria-label={t('side.label')}>
            {(['inspect', 'problems', 'versions'] as Tab[]).map((name) => (
              <button
                key={name}
                type="button"
                role="tab"
                id={`tab-${name}`}
                aria-selected={tab === name}
                aria-controls={`panel-${name}`}
                className={`tab${tab === name ? ' is-on' : ''}`}
                onClick={() => setTab(name)}
              >
                {t(`side.${name}`)}
                {name === 'problems' && problems.counts.errors + problems.counts.warnings > 0 && (
                  <span
                    className={`tab__count${problems.counts.errors ? ' tab__count--error' : ''}`}
                  >
                    {problems.counts.errors + problems.counts.warnings}
                  </span>
                )}
              </button>
            ))}
          </div>
          <div
            className="side__panel"
            role="tabpanel"
            id={`panel-${tab}`}
            aria-labelledby={`tab-${tab}`}
          >
            {tab === 'inspect' &&
              (selectedNode ? (
                <NodeInspector
                  key={selectedNode.id}
                  session={session}
                  graph={graph}
                  node={selectedNode}
                  problems={problems.byNode.get(selectedNode.id)}
                  readOnly={state.readOnly}
                />
              ) : selectedEdge ? (
                <EdgeInspector
                  key={selectedEdge.id}
                  session={session}
                  graph={graph}
                  edge={selectedEdge}
                  problems={problems.byEdge.get(selectedEdge.id)}
                  readOnly={state.readOnly}
                />
              ) : (
                <RunbookPanel
                  session={session}
                  graph={graph}
                  runbook={runbook}
                  readOnly={state.readOnly}
                  onRename={rename}
                />
              ))}
            {tab === 'problems' && (
              <ProblemsPanel session={session} graph={graph} problems={allProblems} />
            )}
            {tab === 'versions' && (
              <VersionsPanel
                api={api}
                session={session}
                graph={graph}
                readOnly={state.readOnly}
                refreshKey={versionsKey}
                onHighlight={setDiff}
              />
            )}
          </div>
        </aside>
      </div>
      {timelineOpen && (
        <TimelinePanel
          session={session}
          graph={graph}
          onCritical={setCritical}
          onClose={() => {
            setTimelineOpen(false)
            setCritical(null)
          }}
        />
      )}
      {publishing && (
        <PublishDialog
          session={session}
          graph={graph}
          onClose={() => setPublishing(false)}
          onPublished={() => {
            setVersionsKey((n) => n + 1)
            setRunbook((r) => ({ ...r, latest_version: (r.latest_version ?? 0) + 1 }))
          }}
          onFocus={(nodes, edges) => focus(nodes, edges, graph)}
        />
      )}
      <RoleOptions />
    </div>
  )
}
