// The one way the app talks to Cueflow's API: JSON over fetch with the session cookie, the
// CSRF token on unsafe methods, and problem+json errors turned into ApiError.

import type { FieldError } from '../model/problems'

export interface ProblemBody {
  type?: string
  title?: string
  status: number
  detail?: string
  code?: string
  errors?: FieldError[]
  [extra: string]: unknown
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly body: ProblemBody

  constructor(body: ProblemBody) {
    super(body.detail || body.title || `HTTP ${body.status}`)
    this.name = 'ApiError'
    this.status = body.status
    this.code = body.code ?? `http.${body.status}`
    this.body = body
  }

  get errors(): FieldError[] {
    return this.body.errors ?? []
  }
}

/** Not an HTTP answer at all: the network or the server is down. */
export const NETWORK_ERROR = 'network.unreachable'

export interface RequestOptions {
  body?: unknown
  /** Query parameters; a list is sent as the parameter repeated (`status=a&status=b`). */
  query?: Record<string, QueryValue | readonly QueryValue[]>
  /** A draft revision: sent as If-Match: "<revision>". */
  ifMatch?: number
  signal?: AbortSignal
  /** An action: sent with an Idempotency-Key, and sent again with the same key when the
   * network fails (the server then answers what it answered the first time). */
  idempotent?: boolean
}

/** Waits before each resend of an action whose answer was lost. */
export const RETRY_DELAYS_MS = [500, 1500]

type QueryValue = string | number | boolean | undefined | null

export interface Answer<T> {
  data: T
  etag: string | null
  /** A list's next page (`Link: <…>; rel="next"`), while more items remain. */
  next: string | null
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

type Listener = () => void

export class ApiClient {
  private csrfToken: string | null = null
  private unauthenticated = new Set<Listener>()

  constructor(private readonly base = '') {}

  setCsrfToken(token: string | null): void {
    this.csrfToken = token
  }

  /** Called when the API answers 401: the session is gone. */
  onUnauthenticated(listener: Listener): () => void {
    this.unauthenticated.add(listener)
    return () => this.unauthenticated.delete(listener)
  }

  async get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return (await this.request<T>('GET', path, options)).data
  }
  /** Every item of a list: each answer is a page, and links to the next while more remain. */
  async getAll<T>(path: string, options: RequestOptions = {}): Promise<T[]> {
    let answer = await this.request<T[]>('GET', path, options)
    const items = [...answer.data]
    while (answer.next) {
      answer = await this.request<T[]>('GET', answer.next, { signal: options.signal })
      items.push(...answer.data)
    }
    return items
  }
  async post<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return (await this.request<T>('POST', path, { ...options, body })).data
  }
  /** POST an action (complete, skip, shift …): safe to resend after a network failure. */
  async act<T>(path: string, body?: unknown): Promise<T> {
    return this.post<T>(path, body, { idempotent: true })
  }
  async put<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return (await this.request<T>('PUT', path, { ...options, body })).data
  }
  async patch<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return (await this.request<T>('PATCH', path, { ...options, body })).data
  }
  async delete<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return (await this.request<T>('DELETE', path, options)).data
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<Answer<T>> {
    const key = options.idempotent ? idempotencyKey() : undefined
    const send = () =>
      key ? this.resend(method, path, options, key) : this.send(method, path, options)
    let response = await send()
    if (response.status === 403 && UNSAFE.has(method)) {
      const problem = await readProblem(response.clone())
      if (problem.code === 'auth.csrf_failed') {
        await this.refreshCsrf()
        response = await send()
      }
    }
    if (!response.ok) {
      const problem = await readProblem(response)
      if (response.status === 401) for (const listener of this.unauthenticated) listener()
      throw new ApiError(problem)
    }
    const etag = response.headers.get('ETag')
    const next = nextPage(response.headers.get('Link'))
    if (response.status === 204) return { data: undefined as T, etag, next }
    const type = response.headers.get('Content-Type') ?? ''
    const data = type.includes('json') ? await response.json() : await response.text()
    return { data: data as T, etag, next }
  }

  async refreshCsrf(): Promise<string> {
    const answer = await this.send('GET', '/api/auth/csrf', {})
    const body = (await answer.json()) as { csrf_token: string }
    this.csrfToken = body.csrf_token
    return body.csrf_token
  }

  /** Send an action, and again with the same key while the network fails. */
  private async resend(
    method: string,
    path: string,
    options: RequestOptions,
    key: string,
  ): Promise<Response> {
    for (const delay of [...RETRY_DELAYS_MS, null]) {
      try {
        return await this.send(method, path, options, key)
      } catch (error) {
        if (delay === null || !(error instanceof ApiError) || error.code !== NETWORK_ERROR)
          throw error
        await new Promise((resolve) => setTimeout(resolve, delay))
      }
    }
    throw new Error('unreachable')
  }

  private async send(
    method: string,
    path: string,
    options: RequestOptions,
    idempotency?: string,
  ): Promise<Response> {
    if (UNSAFE.has(method) && this.csrfToken === null && !path.startsWith('/api/auth/login')) {
      await this.refreshCsrf()
    }
    const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' }
    if (options.body !== undefined) headers['Content-Type'] = 'application/json'
    if (UNSAFE.has(method) && this.csrfToken) headers['X-CSRFToken'] = this.csrfToken
    if (options.ifMatch !== undefined) headers['If-Match'] = `"${options.ifMatch}"`
    if (idempotency) headers['Idempotency-Key'] = idempotency
    try {
      return await fetch(this.base + path + queryString(options.query), {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        credentials: 'same-origin',
        signal: options.signal,
      })
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error
      throw new ApiError({ status: 0, code: NETWORK_ERROR, title: String(error) })
    }
  }
}

/** A fresh random key; `crypto.randomUUID` needs https, a phone on the LAN may use http. */
export function idempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

function queryString(query: RequestOptions['query']): string {
  if (!query) return ''
  const params = new URLSearchParams()
  for (const [key, given] of Object.entries(query)) {
    for (const value of Array.isArray(given) ? given : [given]) {
      if (value !== undefined && value !== null && value !== '') params.append(key, String(value))
    }
  }
  const text = params.toString()
  return text ? `?${text}` : ''
}

/** The target of a `Link` header's rel="next", if it has one. */
export function nextPage(link: string | null): string | null {
  const next = link?.split(',').find((part) => /;\s*rel="?next"?/.test(part))
  return next?.match(/<([^>]*)>/)?.[1] ?? null
}

async function readProblem(response: Response): Promise<ProblemBody> {
  try {
    const body = (await response.json()) as ProblemBody
    return { ...body, status: response.status }
  } catch {
    return { status: response.status, title: response.statusText }
  }
}

export const api = new ApiClient()
