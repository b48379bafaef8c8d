// One open runbook draft: holds the EditorState, autosaves edits after a pause (If-Match
// the revision it knows), keeps unsaved work in local storage, and runs the server-side
// operations (layout, publish, plan) one at a time. No React here; components subscribe.

import { ApiError, NETWORK_ERROR } from '../api/client'
import type { DraftApi } from '../api/runbooks'
import type { Draft, DraftConflict, Plan, Version } from '../api/types'
import type { Graph } from './graph'
import type { GraphEdit } from './graphReducer'
import * as S from './editorState'
import type { EditorState, Selection } from './editorState'
import type { Problem } from './problems'

export const AUTOSAVE_DELAY_MS = 700
const RETRY_DELAYS_MS = [2000, 5000, 10000, 30000]

export interface Backup {
  baseRevision: number
  graph: Graph
  at: string
}

export interface BackupStore {
  read(): Backup | null
  write(backup: Backup): void
  clear(): void
}

export const NO_BACKUP: BackupStore = { read: () => null, write: () => {}, clear: () => {} }

export function localBackup(key: string, storage: Storage = window.localStorage): BackupStore {
  return {
    read() {
      try {
        const raw = storage.getItem(key)
        return raw ? (JSON.parse(raw) as Backup) : null
      } catch {
        return null
      }
    },
    write(backup) {
      try {
        storage.setItem(key, JSON.stringify(backup))
      } catch {
        // Storage full or disabled: the server copy and the open tab still hold the work.
      }
    },
    clear() {
      storage.removeItem(key)
    },
  }
}

export type PublishOutcome =
  | { kind: 'published'; version: Version }
  | { kind: 'refused'; problems: Problem[] }
  | { kind: 'unsaved' }
  | { kind: 'failed'; error: ApiError }

type Listener = () => void

export class EditorSession {
  private state: EditorState
  private listeners = new Set<Listener>()
  private timer: ReturnType<typeof setTimeout> | null = null
  private queue: Promise<unknown> = Promise.resolve()
  private retries = 0
  private closed = false
  private readonly backup: BackupStore
  private readonly autosaveMs: number

  constructor(
    draft: Draft,
    private readonly api: DraftApi,
    options: { readOnly?: boolean; backup?: BackupStore; autosaveMs?: number } = {},
  ) {
    this.state = S.initialState(draft, options.readOnly)
    this.backup = options.backup ?? NO_BACKUP
    this.autosaveMs = options.autosaveMs ?? AUTOSAVE_DELAY_MS
  }

  // ----- store ------------------------------------------------------------------------

  getState = (): EditorState => this.state

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private set(next: EditorState): void {
    if (next === this.state) return
    const graphChanged = next.history.present !== this.state.history.present
    this.state = next
    for (const listener of this.listeners) listener()
    if (graphChanged) this.graphChanged()
  }

  get dirty(): boolean {
    return S.isDirty(this.state)
  }

  // ----- intents ----------------------------------------------------------------------

  edit(change: GraphEdit, key?: string): void {
    this.set(S.edit(this.state, change, key))
  }

  undo(): void {
    this.set(S.undo(this.state))
  }

  redo(): void {
    this.set(S.redo(this.state))
  }

  select(selection: Selection): void {
    this.set(S.select(this.state, selection))
  }

  /** Save now (skipping the autosave pause); resolves once the server has the graph,
   * true when nothing is left unsaved. */
  async flush(): Promise<boolean> {
    this.cancelTimer()
    await this.enqueue(() => this.saveOnce())
    return !this.dirty && this.state.save.status !== 'conflict'
  }

  /** Conflict: save this tab's graph over the other save. */
  async keepMine(): Promise<boolean> {
    this.set(S.keepMine(this.state))
    return this.flush()
  }

  /** Conflict: load the other save (undo brings this tab's work back). */
  takeTheirs(): void {
    this.set(S.takeTheirs(this.state))
    this.backup.clear()
  }

  /** Replace the graph with another one (a version restored, an imported document): one
   * undoable step, saved like any edit. */
  replaceGraph(graph: Graph): void {
    this.edit({ type: 'replace', graph })
  }

  async layout(): Promise<boolean> {
    if (this.state.readOnly || !(await this.flush())) return false
    return this.enqueue(async () => {
      try {
        const result = await this.api.layout(this.state.save.baseRevision)
        this.set(S.layoutApplied(this.state, result))
        return true
      } catch (error) {
        await this.failed(error)
        return false
      }
    })
  }

  async publish(note: string): Promise<PublishOutcome> {
    if (!(await this.flush())) return { kind: 'unsaved' }
    return this.enqueue(async (): Promise<PublishOutcome> => {
      try {
        const version = await this.api.publish(note, this.state.save.baseRevision)
        return { kind: 'published', version }
      } catch (error) {
        if (error instanceof ApiError && error.code === 'runbook.has_errors') {
          const problems = (error.body.problems as Problem[] | undefined) ?? this.state.problems
          return { kind: 'refused', problems }
        }
        if (error instanceof ApiError && error.status === 412) {
          await this.conflicted(error)
          return { kind: 'unsaved' }
        }
        return { kind: 'failed', error: asApiError(error) }
      }
    })
  }

  /** The planned schedule of the saved draft for a go-live (saves first). */
  async plan(goLive: string, tz: string): Promise<Plan> {
    await this.flush()
    return this.api.plan(goLive, tz)
  }

  /** Stop timers; a pending autosave is sent at once so nothing is lost. */
  close(): Promise<boolean> {
    this.closed = true
    if (this.timer !== null && !this.state.readOnly) return this.flush()
    this.cancelTimer()
    return Promise.resolve(!this.dirty)
  }

  // ----- saving -----------------------------------------------------------------------

  private graphChanged(): void {
    if (this.state.readOnly) return
    if (this.dirty) {
      this.backup.write({
        baseRevision: this.state.save.baseRevision,
        graph: this.state.history.present,
        at: new Date().toISOString(),
      })
      this.schedule(this.autosaveMs)
    } else {
      this.cancelTimer()
      this.backup.clear()
    }
  }

  private schedule(delay: number): void {
    if (this.closed || this.state.save.status === 'conflict') return
    this.cancelTimer()
    this.timer = setTimeout(() => {
      this.timer = null
      void this.enqueue(() => this.saveOnce())
    }, delay)
  }

  private cancelTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
  }

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(operation, operation)
    this.queue = run.catch(() => undefined)
    return run
  }

  private async saveOnce(): Promise<void> {
    const state = this.state
    if (state.readOnly || !S.isDirty(state) || state.save.status === 'conflict') return
    const sent = state.history.present
    this.set(S.saveStarted(state))
    try {
      const result = await this.api.save(sent, state.save.baseRevision)
      this.retries = 0
      this.set(S.saveSucceeded(this.state, sent, result))
      if (this.dirty) this.schedule(this.autosaveMs)
      else this.backup.clear()
    } catch (error) {
      await this.failed(error)
    }
  }

  private async failed(error: unknown): Promise<void> {
    const problem = asApiError(error)
    if (problem.status === 412) {
      await this.conflicted(problem)
      return
    }
    this.set(S.saveFailed(this.state, problem.code, problem.errors))
    const transient =
      problem.code === NETWORK_ERROR || problem.status >= 500 || problem.status === 429
    if (transient && this.dirty) {
      const delay = RETRY_DELAYS_MS[Math.min(this.retries, RETRY_DELAYS_MS.length - 1)]
      this.retries++
      this.schedule(delay)
    }
  }

  private async conflicted(error: ApiError): Promise<void> {
    const body = error.body as Partial<DraftConflict>
    let draft = body.current
    if (!draft) {
      try {
        draft = await this.api.load()
      } catch {
        this.set(S.saveFailed(this.state, error.code))
        return
      }
    }
    const revision = body.current_revision ?? draft.revision
    this.cancelTimer()
    this.set(S.saveConflicted(this.state, { revision, draft }))
  }
}

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  return new ApiError({ status: 0, code: NETWORK_ERROR, title: String(error) })
}
