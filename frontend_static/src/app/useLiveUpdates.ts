// React binding of the live stream: follow a workspace's (or one run's) changes and
// refetch, merged, what each change concerns. The logic lives in model/liveUpdates.ts.

import { useEffect, useRef, useState } from 'react'
import {
  LiveFeed,
  Refetcher,
  streamUrl,
  type ChangeMessage,
  type FeedState,
} from '../model/liveUpdates'

export interface LiveOptions<Topic extends string> {
  workspaceId: number
  runId?: number | null
  /** Start only once the page has its first data. */
  enabled: boolean
  /** The last event id the page's data includes: the stream starts after it. */
  after?: number | null
  /** Every topic: what a reconnect that may have missed changes fetches again. */
  allTopics: readonly Topic[]
  topicsOf: (message: ChangeMessage) => Topic[]
  fetch: (topics: ReadonlySet<Topic>) => Promise<void>
}

export function useLiveUpdates<Topic extends string>(options: LiveOptions<Topic>): FeedState {
  const [state, setState] = useState<FeedState>('connecting')
  const latest = useRef(options)
  latest.current = options
  const { workspaceId, runId, enabled } = options

  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return
    const refetch = new Refetcher<Topic>((topics) => latest.current.fetch(topics))
    const everything = () => refetch.request(...latest.current.allTopics)
    const feed = new LiveFeed(
      (after) => streamUrl(workspaceId, runId, after),
      {
        onChange: (message) => refetch.request(...latest.current.topicsOf(message)),
        onGap: everything,
        onState: setState,
      },
      undefined,
      latest.current.after ?? null,
    )
    feed.start()
    const wake = () => {
      if (document.visibilityState === 'hidden') return
      feed.reconnectNow()
    }
    window.addEventListener('online', wake)
    document.addEventListener('visibilitychange', wake)
    return () => {
      window.removeEventListener('online', wake)
      document.removeEventListener('visibilitychange', wake)
      feed.stop()
      refetch.dispose()
    }
  }, [workspaceId, runId, enabled])

  return state
}
