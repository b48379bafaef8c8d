import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../api/client'
import type { DraftApi } from '../api/runbooks'
import type { Draft, SavedDraft } from '../api/types'
import * as S from './editorState'
import { EditorSession, type Backup, type BackupStore } from './editorSession'
import type { Graph } from './graph'
import { START_END, draft, node } from './testing'

/** A fake server draft: revisions, If-Match and the 412 answer of the real API. */
class FakeServer {
  revision = 1
  graph: Graph = START_END
  saves: { revision: number; graph: Graph }[] = []
  fail: ApiError | null = null

  current(): Draft {
    return { ...draft(this.graph, this.revision), problems: this.problemsOf(this.graph) }
  }

  problemsOf(graph: Graph) {
    return graph.nodes
      .filter((n) => n.kind === 'task' && !n.role)
      .map((n) => ({
        code: 'node.missing_role',
        message: `${n.title} has no role`,
        severity: 'error' as const,
        node_ids: [n.id],
        edge_ids: [],
      }))
  }

  /** Another tab saves. */
  saveElsewhere(graph: Graph): void {
    this.graph = graph
    this.revision++
  }

  api: DraftApi = {
    load: async () => this.current(),
    save: async (graph, revision): Promise<SavedDraft> => {
      if (this.fail) throw this.fail
      if (revision !== this.revision) {
        throw new ApiError({
          status: 412,
          code: 'request.precondition_failed',
          current_revision: this.revision,
          current: this.current(),
        })
      }
      this.graph = graph
      this.revision++
      this.saves.push({ revision: this.revision, graph })
      const problems = this.problemsOf(graph)
      return {
        runbook_id: 7,
        revision: this.revision,
        updated_at: 'now',
        problems,
        counts: { errors: problems.length, warnings: 0 },
      }
    },
    layout: async (revision) => {
      if (revision !== this.revision) throw new ApiError({ status: 412, current: this.current() })
      const positions = Object.fromEntries(
        this.graph.nodes.map((n, i) => [n.id, [i * 260 + 40, 0] as [number, number]]),
      )
      this.revision++
      return {
        runbook_id: 7,
        revision: this.revision,
        updated_at: 'now',
        problems: [],
        counts: { errors: 0, warnings: 0 },
        positions,
        lanes: {},
      }
    },
    publish: async () => {
      const problems = this.problemsOf(this.graph)
      if (problems.length) {
        throw new ApiError({ status: 422, code: 'runbook.has_errors', problems })
      }
      return {
        number: 1,
        published_at: 'now',
        published_by: null,
        note: '',
        node_count: 2,
        edge_count: 1,
        draft_revision: this.revision,
      }
    },
    plan: async () => {
      throw new Error('not used')
    },
    versions: async () => [],
    version: async () => {
      throw new Error('not used')
    },
    diff: async () => {
      throw new Error('not used')
    },
  }
}

class MemoryBackup implements BackupStore {
  value: Backup | null = null
  read = () => this.value
  write = (b: Backup) => {
    this.value = b
  }
  clear = () => {
    this.value = null
  }
}

const addTask = (session: EditorSession, id: string, role: string | null = null) =>
  session.edit({ type: 'addNode', node: node(id, 'task', 'pre_event', { role }) })

describe('editor session', () => {
  let server: FakeServer
  let backup: MemoryBackup
  let session: EditorSession

  beforeEach(() => {
    vi.useFakeTimers()
    server = new FakeServer()
    backup = new MemoryBackup()
    session = new EditorSession(server.current(), server.api, { backup, autosaveMs: 500 })
  })
  afterEach(() => vi.useRealTimers())

  it('autosaves after a pause with If-Match, and refreshes the problems', async () => {
    addTask(session, 't1')
    expect(session.dirty).toBe(true)
    expect(backup.value?.graph.nodes).toHaveLength(3)
    await vi.advanceTimersByTimeAsync(499)
    expect(server.saves).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.saves).toHaveLength(1)
    const state = session.getState()
    expect(session.dirty).toBe(false)
    expect(state.save.baseRevision).toBe(2)
    expect(state.problems.map((p) => p.node_ids)).toEqual([['t1']])
    expect(backup.value).toBeNull()

    session.edit({ type: 'updateNode', id: 't1', patch: { role: 'host' } })
    await vi.advanceTimersByTimeAsync(500)
    expect(session.getState().problems).toEqual([])
  })

  it('sends one save for a burst of edits', async () => {
    addTask(session, 't1')
    await vi.advanceTimersByTimeAsync(200)
    session.edit({ type: 'updateNode', id: 't1', patch: { title: 'a' } }, 'title')
    await vi.advanceTimersByTimeAsync(200)
    session.edit({ type: 'updateNode', id: 't1', patch: { title: 'ab' } }, 'title')
    await vi.advanceTimersByTimeAsync(500)
    expect(server.saves).toHaveLength(1)
    expect(server.saves[0].graph.nodes[2].title).toBe('ab')
  })

  it('undo back to the saved graph leaves nothing to save', async () => {
    addTask(session, 't1')
    session.undo()
    expect(session.dirty).toBe(false)
    await vi.advanceTimersByTimeAsync(1000)
    expect(server.saves).toHaveLength(0)
  })

  it('on a conflicting save (412) keeps the work and stops autosaving', async () => {
    server.saveElsewhere({ ...START_END, nodes: [...START_END.nodes, node('theirs')] })
    addTask(session, 'mine', 'host')
    await vi.advanceTimersByTimeAsync(500)
    const state = session.getState()
    expect(state.save.status).toBe('conflict')
    expect(state.save.conflict?.revision).toBe(2)
    expect(S.graphOf(state).nodes.map((n) => n.id)).toContain('mine')
    expect(session.dirty).toBe(true)
    expect(backup.value?.graph.nodes.map((n) => n.id)).toContain('mine')

    addTask(session, 'more', 'host') // still editing: no save while in conflict
    await vi.advanceTimersByTimeAsync(5000)
    expect(server.saves).toHaveLength(0)
  })

  it('resolves a conflict by keeping mine: saved over the other revision', async () => {
    server.saveElsewhere({ ...START_END, nodes: [...START_END.nodes, node('theirs')] })
    addTask(session, 'mine', 'host')
    await vi.advanceTimersByTimeAsync(500)
    expect(await session.keepMine()).toBe(true)
    expect(server.revision).toBe(3)
    expect(server.graph.nodes.map((n) => n.id)).toEqual(['start', 'end', 'mine'])
    expect(session.getState().save.status).toBe('idle')
  })

  it('resolves a conflict by taking theirs; one undo brings mine back', async () => {
    const theirs = { ...START_END, nodes: [...START_END.nodes, node('theirs')] }
    server.saveElsewhere(theirs)
    addTask(session, 'mine', 'host')
    await vi.advanceTimersByTimeAsync(500)
    session.takeTheirs()
    expect(S.graphOf(session.getState()).nodes.map((n) => n.id)).toEqual(['start', 'end', 'theirs'])
    expect(session.dirty).toBe(false)
    session.undo()
    expect(S.graphOf(session.getState()).nodes.map((n) => n.id)).toEqual(['start', 'end', 'mine'])
    await vi.advanceTimersByTimeAsync(500)
    expect(server.graph.nodes.map((n) => n.id)).toEqual(['start', 'end', 'mine'])
  })

  it('retries after a network failure without losing the edit', async () => {
    server.fail = new ApiError({ status: 0, code: 'network.unreachable' })
    addTask(session, 't1', 'host')
    await vi.advanceTimersByTimeAsync(500)
    expect(session.getState().save.status).toBe('failed')
    expect(session.dirty).toBe(true)
    server.fail = null
    await vi.advanceTimersByTimeAsync(2000)
    expect(session.getState().save.status).toBe('idle')
    expect(session.dirty).toBe(false)
  })

  it('shows the nodes a refused document names', async () => {
    server.fail = new ApiError({
      status: 422,
      code: 'graph.invalid_document',
      errors: [{ field: 'nodes.2.title', message: 'Too short', node_id: 't1' }],
    })
    addTask(session, 't1', 'host')
    await vi.advanceTimersByTimeAsync(500)
    expect(session.getState().refusals[0].node_ids).toEqual(['t1'])
    await vi.advanceTimersByTimeAsync(60_000)
    expect(server.saves).toHaveLength(0) // not retried until the planner edits
  })

  it('flushes pending edits before the layout and applies it as one undo step', async () => {
    addTask(session, 't1', 'host')
    expect(await session.layout()).toBe(true)
    const state = session.getState()
    expect(S.graphOf(state).nodes.map((n) => n.x)).toEqual([40, 300, 560])
    expect(session.dirty).toBe(false)
    expect(state.save.baseRevision).toBe(server.revision)
    session.undo()
    expect(S.graphOf(session.getState()).nodes.map((n) => n.x)).toEqual([0, 300, 0])
  })

  it('publishes the saved draft, or hands back the problems that refuse it', async () => {
    addTask(session, 't1')
    const refused = await session.publish('')
    expect(refused.kind).toBe('refused')
    if (refused.kind === 'refused') expect(refused.problems[0].node_ids).toEqual(['t1'])
    session.edit({ type: 'updateNode', id: 't1', patch: { role: 'host' } })
    const published = await session.publish('first')
    expect(published.kind).toBe('published')
  })

  it('close() sends a pending edit at once', async () => {
    addTask(session, 't1', 'host')
    expect(await session.close()).toBe(true)
    expect(server.saves).toHaveLength(1)
  })

  it('a read-only session ignores edits', () => {
    const viewer = new EditorSession(server.current(), server.api, { readOnly: true })
    addTask(viewer, 't1')
    expect(viewer.dirty).toBe(false)
  })
})
