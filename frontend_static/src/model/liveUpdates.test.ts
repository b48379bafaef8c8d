import { describe, expect, it } from 'vitest'
import {
  controlRoomTopics,
  inboxTopics,
  LiveFeed,
  Refetcher,
  streamUrl,
  type ChangeMessage,
  type Clock,
  type EventSourceLike,
} from './liveUpdates'

/** A clock whose timers run when the test says so. */
class FakeClock implements Clock {
  time = 0
  private timers = new Map<number, { at: number; run: () => void }>()
  private next = 1
  now = () => this.time
  setTimeout = (run: () => void, ms: number) => {
    const id = this.next++
    this.timers.set(id, { at: this.time + ms, run })
    return id
  }
  clearTimeout = (id: unknown) => {
    this.timers.delete(id as number)
  }
  async advance(ms: number) {
    const until = this.time + ms
    for (;;) {
      const due = [...this.timers.entries()]
        .filter(([, t]) => t.at <= until)
        .sort((a, b) => a[1].at - b[1].at)[0]
      if (!due) break
      this.timers.delete(due[0])
      this.time = due[1].at
      due[1].run()
      await settle()
    }
    this.time = until
    await settle()
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

function message(id: number, kind: string, extra: Partial<ChangeMessage> = {}): ChangeMessage {
  return { id, kind, run_id: 1, node_id: null, task_id: null, at: '', ...extra }
}

describe('Refetcher', () => {
  it('merges a burst of changes into one fetch after a pause', async () => {
    const clock = new FakeClock()
    const fetched: string[][] = []
    const refetch = new Refetcher<string>((topics) => void fetched.push([...topics].sort()), {
      delayMs: 150,
      maxWaitMs: 600,
      clock,
    })
    refetch.request('tasks')
    await clock.advance(100)
    refetch.request('run', 'tasks')
    await clock.advance(100)
    expect(fetched).toEqual([])
    await clock.advance(60)
    expect(fetched).toEqual([['run', 'tasks']])
    expect(refetch.isIdle).toBe(true)
  })

  it('fetches within the longest wait even while changes keep coming', async () => {
    const clock = new FakeClock()
    const fetchedAt: number[] = []
    const refetch = new Refetcher<string>(() => void fetchedAt.push(clock.now()), {
      delayMs: 150,
      maxWaitMs: 600,
      clock,
    })
    for (let i = 0; i < 10; i++) {
      refetch.request('tasks')
      await clock.advance(100)
    }
    expect(fetchedAt[0]).toBe(600)
  })

  it('never runs two fetches at once, and fetches again what changed meanwhile', async () => {
    const clock = new FakeClock()
    const batches: string[][] = []
    let release: () => void = () => {}
    let running = 0
    let most = 0
    const refetch = new Refetcher<string>(
      async (topics) => {
        running++
        most = Math.max(most, running)
        batches.push([...topics])
        await new Promise<void>((resolve) => (release = resolve))
        running--
      },
      { delayMs: 10, maxWaitMs: 50, clock },
    )
    refetch.request('run')
    await clock.advance(10)
    refetch.request('cues')
    await clock.advance(10) // its timer fires while the first fetch is still out
    expect(batches).toEqual([['run']])
    release()
    await settle()
    await settle()
    expect(batches).toEqual([['run'], ['cues']])
    release()
    await settle()
    expect(most).toBe(1)
  })

  it('does nothing after it is disposed', async () => {
    const clock = new FakeClock()
    let count = 0
    const refetch = new Refetcher<string>(() => void count++, { clock })
    refetch.request('run')
    refetch.dispose()
    await clock.advance(1000)
    expect(count).toBe(0)
  })
})

class FakeSource implements EventSourceLike {
  readyState = 0
  onopen: ((event: Event) => void) | null = null
  onerror: ((event: Event) => void) | null = null
  listeners: ((event: MessageEvent<string>) => void)[] = []
  closed = false
  constructor(readonly url: string) {}
  addEventListener(_type: 'change', listener: (event: MessageEvent<string>) => void) {
    this.listeners.push(listener)
  }
  close() {
    this.closed = true
    this.readyState = 2
  }
  open() {
    this.readyState = 1
    this.onopen?.(new Event('open'))
  }
  send(data: unknown) {
    for (const l of this.listeners) l({ data: JSON.stringify(data) } as MessageEvent<string>)
  }
  /** The server ended the stream; the browser will reconnect by itself. */
  end() {
    this.readyState = 0
    this.onerror?.(new Event('error'))
  }
  /** The browser gave up (an error answer, no server). */
  fail() {
    this.readyState = 2
    this.onerror?.(new Event('error'))
  }
}

function feedWith(after: number | null = null) {
  const sources: FakeSource[] = []
  const changes: number[] = []
  const states: string[] = []
  let gaps = 0
  const clock = new FakeClock()
  const feed = new LiveFeed(
    (last) => streamUrl(3, 7, last),
    {
      onChange: (m) => changes.push(m.id),
      onGap: () => gaps++,
      onState: (s) => states.push(s),
    },
    (url) => {
      const source = new FakeSource(url)
      sources.push(source)
      return source
    },
    after,
    clock,
  )
  return { feed, sources, changes, states, clock, gaps: () => gaps }
}

describe('LiveFeed', () => {
  it('opens the run’s stream after the events the page has read, and passes changes on', () => {
    const { feed, sources, changes, states } = feedWith(41)
    feed.start()
    expect(sources[0].url).toBe('/api/workspaces/3/stream?run_id=7&after=41')
    sources[0].open()
    sources[0].send(message(42, 'task.complete'))
    expect(changes).toEqual([42])
    expect(states).toEqual(['connecting', 'live'])
  })

  it('stays live through the quick reconnect after the server ends a stream', async () => {
    const { feed, sources, states, clock } = feedWith()
    feed.start()
    sources[0].open()
    sources[0].end()
    await clock.advance(500)
    sources[0].open()
    await clock.advance(5000)
    expect(states).toEqual(['connecting', 'live', 'live'])
    sources[0].end()
    await clock.advance(3000) // the reconnect takes long: say so
    expect(states.at(-1)).toBe('connecting')
  })

  it('refetches everything on a reconnect before any message (no Last-Event-ID yet)', () => {
    const { feed, sources, gaps } = feedWith()
    feed.start()
    sources[0].open()
    sources[0].end()
    sources[0].open() // the browser reconnected
    expect(gaps()).toBe(1)
  })

  it('trusts the browser’s Last-Event-ID once a message came', () => {
    const { feed, sources, gaps } = feedWith()
    feed.start()
    sources[0].open()
    sources[0].send(message(5, 'task.claim'))
    sources[0].end()
    sources[0].open()
    expect(gaps()).toBe(0)
  })

  it('opens a new stream after the browser gave up, resuming after the last id', async () => {
    const { feed, sources, gaps, clock, states } = feedWith()
    feed.start()
    sources[0].open()
    sources[0].send(message(9, 'task.open'))
    sources[0].fail()
    expect(states.at(-1)).toBe('offline')
    await clock.advance(1000)
    expect(sources).toHaveLength(2)
    expect(sources[1].url).toBe('/api/workspaces/3/stream?run_id=7&after=9')
    expect(gaps()).toBe(1)
    feed.stop()
    expect(sources[1].closed).toBe(true)
  })

  it('ignores messages it cannot read', () => {
    const { feed, sources, changes } = feedWith()
    feed.start()
    for (const l of sources[0].listeners) l({ data: 'not json' } as MessageEvent<string>)
    expect(changes).toEqual([])
  })
})

describe('what a change means to a page', () => {
  it('the control room refetches the run, tasks, cues or problems as the kind says', () => {
    expect(controlRoomTopics(message(1, 'task.complete')).sort()).toEqual(['run', 'tasks'])
    expect(controlRoomTopics(message(1, 'task.claim'))).toEqual(['tasks'])
    expect(controlRoomTopics(message(1, 'node.active')).sort()).toEqual(['cues', 'run', 'tasks'])
    expect(controlRoomTopics(message(1, 'cue.shift')).sort()).toEqual(['cues', 'events'])
    expect(controlRoomTopics(message(1, 'timer.cue'))).toEqual(['cues'])
    expect(controlRoomTopics(message(1, 'run.cancel'))).toContain('cues')
    expect(controlRoomTopics(message(1, 'task.report_problem')).sort()).toEqual(['events', 'tasks'])
    expect(controlRoomTopics(message(1, 'run.go_live_moved')).sort()).toEqual([
      'cues',
      'events',
      'run',
      'tasks',
    ])
    expect(controlRoomTopics(message(1, 'notification.sent'))).toEqual([])
  })

  it('the inbox refetches its list, and the open task when it is the one that changed', () => {
    const open = { id: 5, runId: 1 }
    expect(inboxTopics(message(1, 'task.open', { task_id: 6 }), open)).toEqual(['list'])
    expect(inboxTopics(message(1, 'task.claim', { task_id: 5 }), open)).toEqual(['list', 'task'])
    expect(inboxTopics(message(1, 'run.pause'), open)).toEqual(['list', 'task'])
    expect(inboxTopics(message(1, 'node.ready'), null)).toEqual([])
  })
})
