import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiClient, ApiError, NETWORK_ERROR, idempotencyKey, nextPage } from './client'

// The network is the one thing a unit test cannot have: `fetch` stands in for it here, and
// the browser tests talk to the real server.
function answer(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  })
}

describe('actions over a flaky network', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    vi.useRealTimers()
  })

  it('sends an action again with the same Idempotency-Key when the network fails', async () => {
    vi.useFakeTimers()
    const keys: (string | undefined)[] = []
    const fetch = vi.fn(async (_url: string, init: RequestInit) => {
      keys.push((init.headers as Record<string, string>)['Idempotency-Key'])
      if (keys.length < 3) throw new TypeError('Failed to fetch')
      return answer(200, { id: 7, status: 'done' })
    })
    vi.stubGlobal('fetch', fetch)
    const client = new ApiClient()
    client.setCsrfToken('token')
    const done = client.act<{ status: string }>('/api/workspaces/1/tasks/7/complete', {})
    await vi.runAllTimersAsync()
    expect((await done).status).toBe('done')
    expect(keys).toHaveLength(3)
    expect(new Set(keys).size).toBe(1)
    expect(keys[0]).toMatch(/^[0-9a-f]{32}$/)
  })

  it('gives up after the last retry, and never retries a plain request', async () => {
    vi.useFakeTimers()
    const fetch = vi.fn(async () => {
      throw new TypeError('Failed to fetch')
    })
    vi.stubGlobal('fetch', fetch)
    const client = new ApiClient()
    client.setCsrfToken('token')
    const failed = client
      .act<never>('/api/workspaces/1/tasks/7/complete', {})
      .catch((e: ApiError) => e)
    await vi.runAllTimersAsync()
    expect((await failed).code).toBe(NETWORK_ERROR)
    expect(fetch).toHaveBeenCalledTimes(3)
    const plain = client.post<never>('/api/workspaces/1/runbooks', {}).catch((e: ApiError) => e)
    await vi.runAllTimersAsync()
    expect((await plain).code).toBe(NETWORK_ERROR)
    expect(fetch).toHaveBeenCalledTimes(4)
  })

  it('makes a different key each time', () => {
    expect(idempotencyKey()).not.toBe(idempotencyKey())
  })
})

describe('paged lists', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('follows each page’s Link rel="next" until the last page', async () => {
    const pages: Record<string, [unknown[], string | null]> = {
      '/api/workspaces/1/runs?status=done': [
        [{ id: 1 }, { id: 2 }],
        '/api/workspaces/1/runs?status=done&offset=2&limit=2',
      ],
      '/api/workspaces/1/runs?status=done&offset=2&limit=2': [[{ id: 3 }], null],
    }
    const asked: string[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        asked.push(url)
        const [items, next] = pages[url]
        const headers: Record<string, string> = { 'Content-Type': 'application/json' }
        if (next) headers.Link = `<${next}>; rel="next"`
        return new Response(JSON.stringify(items), { status: 200, headers })
      }),
    )
    const runs = await new ApiClient().getAll<{ id: number }>('/api/workspaces/1/runs', {
      query: { status: 'done' },
    })
    expect(runs.map((r) => r.id)).toEqual([1, 2, 3])
    expect(asked).toHaveLength(2)
  })

  it('reads the next page out of a Link header', () => {
    expect(nextPage('</a?offset=100>; rel="next"')).toBe('/a?offset=100')
    expect(nextPage('</a?offset=0>; rel="prev", </a?offset=200>; rel="next"')).toBe('/a?offset=200')
    expect(nextPage('</a?offset=0>; rel="prev"')).toBeNull()
    expect(nextPage(null)).toBeNull()
  })
})
