// The post-mortem endpoints of a run (/api/workspaces/{ws}/runs/{id}/postmortem...), the
// audit trail (/api/workspaces/{ws}/events) and improvement actions, one function each.

import { api, type ApiClient } from './client'
import type {
  ActionInput,
  EventKindFilter,
  EventPage,
  ImprovementAction,
  PostMortem,
} from './types'

export function postmortemApi(workspaceId: number, runId: number, client: ApiClient = api) {
  const base = `/api/workspaces/${workspaceId}/runs/${runId}`
  return {
    get: () => client.get<PostMortem>(`${base}/postmortem`),
    saveSummary: (summary: string) => client.patch<PostMortem>(`${base}/postmortem`, { summary }),
    signOff: (summary: string) =>
      client.post<PostMortem>(`${base}/postmortem/sign-off`, { summary }),
    reopen: (reason: string) => client.post<PostMortem>(`${base}/postmortem/reopen`, { reason }),
    addAction: (input: ActionInput) =>
      client.post<ImprovementAction>(`${base}/postmortem/actions`, input),
    /** The exports, as links the browser downloads with the session cookie. */
    exports: {
      pdf: `${base}/postmortem.pdf`,
      markdown: `${base}/postmortem.md`,
      csv: `${base}/tasks.csv`,
    },
  }
}

export function actionsApi(workspaceId: number, client: ApiClient = api) {
  const base = `/api/workspaces/${workspaceId}/improvement-actions`
  return {
    complete: (id: number) => client.post<ImprovementAction>(`${base}/${id}/complete`, {}),
    drop: (id: number) => client.post<ImprovementAction>(`${base}/${id}/drop`, {}),
    reopen: (id: number) => client.post<ImprovementAction>(`${base}/${id}/reopen`, {}),
    remove: (id: number) => client.delete<void>(`${base}/${id}`),
  }
}

export interface EventFilter {
  run_id?: number | null
  actor_id?: number | null
  kind?: EventKindFilter[]
  since?: string | null
  until?: string | null
  /** Words in the note, the actor's name, the run's name or a node's title (not the CSV). */
  q?: string
}

export function auditApi(workspaceId: number, client: ApiClient = api) {
  const base = `/api/workspaces/${workspaceId}/events`
  return {
    page: (filter: EventFilter, afterId: number | null = null, limit = 100) =>
      client.get<EventPage>(base, { query: { ...filter, after_id: afterId, limit } }),
    /** The CSV export of the same filter, as a link. */
    csvUrl: (filter: EventFilter) => {
      const query = new URLSearchParams()
      for (const [key, value] of Object.entries(filter)) {
        for (const one of Array.isArray(value) ? value : [value]) {
          if (one !== null && one !== undefined && one !== '') query.append(key, String(one))
        }
      }
      const text = query.toString()
      return `${base}.csv${text ? `?${text}` : ''}`
    },
  }
}
