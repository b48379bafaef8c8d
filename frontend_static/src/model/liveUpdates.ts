// Live pages: follow the workspace's server-sent event stream and refetch what changed.
//
// The stream (api/streams.py) says *that* something changed (kind, run, node, task), not
// the new data: the page fetches that again through the normal API. Changes come in
// bursts (a completion, then the node, the next node, the next task ...), so requests are
// merged: `Refetcher` waits for a short pause (or at most `maxWaitMs`) and fetches each
// topic once. The server ends every stream after a while and the browser reconnects with
// Last-Event-ID, so nothing is missed; until the first message there is no id to resume
// from, so a reconnect then refetches everything (`onGap`). No React here.

export interface ChangeMessage {
  id: number
  kind: string
  run_id: number | null
  node_id: string | null
  task_id: number | null
  at: string
}

// ----- merging refetches ---------------------------------------------------------------

export interface Clock {
  now(): number
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
}

export const REFETCH_DELAY_MS = 150
export const REFETCH_MAX_WAIT_MS = 600

/** Collects topics to refetch and fetches them together after a pause. At most one fetch
 * runs at a time (answers never arrive out of order); topics asked for meanwhile are
 * fetched right after it. */
export class Refetcher<Topic extends string> {
  private pending = new Set<Topic>()
  private firstAt: number | null = null
  private timer: unknown = null
  private running: Promise<void> | null = null
  private disposed = false

  constructor(
    private readonly fetch: (topics: ReadonlySet<Topic>) => Promise<void> | void,
    private readonly options: { delayMs?: number; maxWaitMs?: number; clock?: Clock } = {},
  ) {}

  private get clock(): Clock {
    return this.options.clock ?? realClock
  }

  request(...topics: Topic[]): void {
    if (this.disposed || topics.length === 0) return
    for (const topic of topics) this.pending.add(topic)
    const now = this.clock.now()
    if (this.firstAt === null) this.firstAt = now
    const delay = this.options.delayMs ?? REFETCH_DELAY_MS
    const maxWait = this.options.maxWaitMs ?? REFETCH_MAX_WAIT_MS
    const wait = Math.max(0, Math.min(delay, this.firstAt + maxWait - now))
    if (this.timer !== null) this.clock.clearTimeout(this.timer)
    this.timer = this.clock.setTimeout(() => void this.flush(), wait)
  }

  /** Fetch what is pending now (after the running fetch, if one is under way). */
  async flush(): Promise<void> {
    if (this.timer !== null) this.clock.clearTimeout(this.timer)
    this.timer = null
    if (this.running) {
      await this.running
      if (this.timer !== null || this.isRunning()) return // another flush took the batch
    }
    if (this.disposed || this.pending.size === 0) return
    const batch = this.pending
    this.pending = new Set()
    this.firstAt = null
    this.running = (async () => {
      try {
        await this.fetch(batch)
      } catch {
        // The page shows its own error; the next change or reconnect tries again.
      }
    })()
    await this.running
    this.running = null
    if (this.pending.size > 0 && this.timer === null) await this.flush()
  }

  private isRunning(): boolean {
    return this.running !== null
  }

  get isIdle(): boolean {
    return this.pending.size === 0 && this.running === null && this.timer === null
  }

  dispose(): void {
    this.disposed = true
    if (this.timer !== null) this.clock.clearTimeout(this.timer)
    this.timer = null
    this.pending.clear()
  }
}

// ----- the stream ----------------------------------------------------------------------

/** The part of the browser's EventSource the feed uses (tests pass a fake). */
export interface EventSourceLike {
  readonly readyState: number
  onopen: ((event: Event) => void) | null
  onerror: ((event: Event) => void) | null
  addEventListener(type: 'change', listener: (event: MessageEvent<string>) => void): void
  close(): void
}

export type EventSourceFactory = (url: string) => EventSourceLike

const CLOSED = 2
const RETRY_MS = [1000, 2000, 5000, 10000, 30000]
/** The server ends every stream and the browser reconnects at once: only a reconnect that
 * takes longer than this is shown as "connecting". */
export const QUIET_RECONNECT_MS = 3000

export type FeedState = 'connecting' | 'live' | 'offline'

export interface FeedHandlers {
  onChange(message: ChangeMessage): void
  /** Changes may have been missed (a reconnect before any message, or a lost stream). */
  onGap(): void
  onState?(state: FeedState): void
}

/** The URL of a workspace's stream, for one run or all, resuming after an event id. */
export function streamUrl(workspaceId: number, runId?: number | null, after?: number | null) {
  const query = new URLSearchParams()
  if (runId) query.set('run_id', String(runId))
  if (after !== null && after !== undefined) query.set('after', String(after))
  const text = query.toString()
  return `/api/workspaces/${workspaceId}/stream${text ? `?${text}` : ''}`
}

/** One live stream. The browser reconnects by itself when the server ends a stream; when
 * it gives up (the server was unreachable or answered an error), the feed opens a new
 * stream after a growing pause, resuming after the last event seen. */
export class LiveFeed {
  private source: EventSourceLike | null = null
  private lastId: number | null
  private opened = 0
  private retries = 0
  private retryTimer: unknown = null
  private quietTimer: unknown = null
  private stopped = false

  constructor(
    private readonly url: (after: number | null) => string,
    private readonly handlers: FeedHandlers,
    private readonly factory: EventSourceFactory = (u) =>
      new EventSource(u) as unknown as EventSourceLike,
    after: number | null = null,
    private readonly clock: Clock = realClock,
  ) {
    this.lastId = after
  }

  start(): void {
    this.stopped = false
    this.connect()
  }

  private connect(): void {
    this.handlers.onState?.('connecting')
    const source = this.factory(this.url(this.lastId))
    this.source = source
    source.onopen = () => {
      this.retries = 0
      this.clearQuiet()
      this.handlers.onState?.('live')
      // The first stream starts where the page's data was read (or now). A later one
      // resumes from Last-Event-ID, which the browser only has once a message came.
      if (this.opened++ > 0 && this.lastId === null) this.handlers.onGap()
    }
    source.onerror = () => {
      if (source.readyState !== CLOSED) {
        // The browser reconnects by itself; say so only if that takes a while.
        if (this.quietTimer === null) {
          this.quietTimer = this.clock.setTimeout(() => {
            this.quietTimer = null
            this.handlers.onState?.('connecting')
          }, QUIET_RECONNECT_MS)
        }
        return
      }
      this.clearQuiet()
      source.close()
      this.handlers.onState?.('offline')
      const delay = RETRY_MS[Math.min(this.retries++, RETRY_MS.length - 1)]
      this.retryTimer = this.clock.setTimeout(() => {
        this.retryTimer = null
        if (this.stopped) return
        this.opened = 1 // a new stream after a lost one: whatever happened is a gap
        this.handlers.onGap()
        this.connect()
      }, delay)
    }
    source.addEventListener('change', (event) => {
      let message: ChangeMessage
      try {
        message = JSON.parse(event.data) as ChangeMessage
      } catch {
        return
      }
      if (typeof message.id === 'number') this.lastId = Math.max(this.lastId ?? 0, message.id)
      this.handlers.onChange(message)
    })
  }

  private clearQuiet(): void {
    if (this.quietTimer !== null) this.clock.clearTimeout(this.quietTimer)
    this.quietTimer = null
  }

  /** Reconnect at once (the network came back, the page became visible). */
  reconnectNow(): void {
    if (this.stopped || this.source?.readyState !== CLOSED) return
    if (this.retryTimer !== null) this.clock.clearTimeout(this.retryTimer)
    this.retryTimer = null
    this.handlers.onGap()
    this.connect()
  }

  stop(): void {
    this.stopped = true
    this.clearQuiet()
    if (this.retryTimer !== null) this.clock.clearTimeout(this.retryTimer)
    this.retryTimer = null
    this.source?.close()
    this.source = null
  }
}

// ----- what a change means to each page ------------------------------------------------

export type ControlRoomTopic = 'run' | 'tasks' | 'cues' | 'events'

/** What the control room fetches again after a change of its run. */
export function controlRoomTopics(message: ChangeMessage): ControlRoomTopic[] {
  const [family] = message.kind.split('.')
  const topics: ControlRoomTopic[] = []
  if (family === 'run' || family === 'node') topics.push('run', 'tasks')
  if (family === 'task') topics.push('tasks')
  if (message.kind === 'task.complete' || message.kind === 'task.skip') topics.push('run')
  // A recurring node plans its cues when it starts and drops them when it is skipped; a
  // run's go-live or status moves or cancels them; a cue fires, or the crew changes one.
  if (family === 'cue' || family === 'timer' || family === 'node' || family === 'run') {
    topics.push('cues')
  }
  if (PROBLEM_KINDS.has(message.kind) || family === 'cue' || family === 'run') {
    topics.push('events')
  }
  return [...new Set(topics)]
}

export const PROBLEM_KINDS = new Set(['task.report_problem', 'task.resolve_problem'])

export type InboxTopic = 'list' | 'task'

/** What the task inbox fetches again: the list after any task or run change, the open
 * task when the change concerns it (or its run). */
export function inboxTopics(
  message: ChangeMessage,
  openTask: { id: number; runId: number } | null,
) {
  const [family] = message.kind.split('.')
  const topics: InboxTopic[] = []
  if (family === 'task' || family === 'run' || message.kind === 'timer.escalation') {
    topics.push('list')
  }
  if (
    openTask &&
    (message.task_id === openTask.id || (family === 'run' && message.run_id === openTask.runId))
  ) {
    topics.push('task')
  }
  return topics
}
