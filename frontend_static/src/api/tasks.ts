// The task endpoints (/api/workspaces/{ws}/tasks/...): my tasks, one task, its actions.

import { api, type ApiClient } from './client'
import type { CompletePayload, Task, TaskDetail, TaskStatus, UpcomingStep } from './types'

export interface TaskQuery {
  mine?: boolean
  run_id?: number
  status?: TaskStatus[]
  /** Only tasks finished at or after this instant (ISO 8601 with offset): done today. */
  completed_after?: string
  /** Tasks a page (the list follows every page). */
  limit?: number
}

export function tasksApi(workspaceId: number, client: ApiClient = api) {
  const base = `/api/workspaces/${workspaceId}/tasks`
  return {
    list: (query: TaskQuery = {}) => client.getAll<Task>(base, { query: { ...query } }),
    /** The soonest steps coming: one page (`limit`, default the server's). */
    upcoming: (query: { run_id?: number; limit?: number } = {}) =>
      client.get<UpcomingStep[]>(`${base}/upcoming`, { query: { ...query } }),
    get: (id: number) => client.get<TaskDetail>(`${base}/${id}`),
    claim: (id: number) => client.act<TaskDetail>(`${base}/${id}/claim`, {}),
    unclaim: (id: number) => client.act<TaskDetail>(`${base}/${id}/unclaim`, {}),
    complete: (id: number, payload: CompletePayload) =>
      client.act<TaskDetail>(`${base}/${id}/complete`, payload),
    reportProblem: (id: number, note: string, blocking = true) =>
      client.act<TaskDetail>(`${base}/${id}/report_problem`, { note, blocking }),
    resolveProblem: (id: number, note = '') =>
      client.act<TaskDetail>(`${base}/${id}/resolve_problem`, { note }),
    skip: (id: number, note = '') => client.act<TaskDetail>(`${base}/${id}/skip`, { note }),
    reopen: (id: number, note = '') => client.act<TaskDetail>(`${base}/${id}/reopen`, { note }),
    reassign: (id: number, assigneeId: number, note = '') =>
      client.act<TaskDetail>(`${base}/${id}/reassign`, { assignee_id: assigneeId, note }),
    note: (id: number, note: string) => client.act<TaskDetail>(`${base}/${id}/note`, { note }),
  }
}

export type TasksApi = ReturnType<typeof tasksApi>
