import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiClient, ApiError, NETWORK_ERROR, idempotencyKey } from './client'

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
