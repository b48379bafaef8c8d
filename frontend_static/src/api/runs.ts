// The run endpoints (/api/workspaces/{ws}/runs/...), one function each.

import { api, type ApiClient } from './client'
import type { Cue, GoLiveMove, Run, RunDetail, RunEvent, RunInput, RunStatus } from './types'

export type RunControl = 'start' | 'pause' | 'resume' | 'cancel'

export function runsApi(workspaceId: number, client: ApiClient = api) {
  const base = `/api/workspaces/${workspaceId}/runs`
  return {
    list: (filter: { status?: RunStatus | ''; runbook_id?: number } = {}) =>
      client.getAll<Run>(base, { query: filter }),
    create: (input: RunInput) => client.post<Run>(base, input),
    get: (id: number) => client.get<RunDetail>(`${base}/${id}`),
    control: (id: number, action: RunControl) => client.post<Run>(`${base}/${id}/${action}`),
    previewGoLive: (id: number, goLive: string) =>
      client.post<GoLiveMove>(`${base}/${id}/go-live/preview`, { go_live: goLive }),
    moveGoLive: (id: number, goLive: string) =>
      client.put<GoLiveMove>(`${base}/${id}/go-live`, { go_live: goLive }),
    events: (id: number) => client.getAll<RunEvent>(`${base}/${id}/events`),
    cues: (id: number) => client.getAll<Cue>(`${base}/${id}/cues`),
    shiftCue: (id: number, cueId: number, minutes: number, reason: string) =>
      client.act<Cue>(`${base}/${id}/cues/${cueId}/shift`, { minutes, reason }),
    skipCue: (id: number, cueId: number, reason: string) =>
      client.act<Cue>(`${base}/${id}/cues/${cueId}/skip`, { reason }),
  }
}

export type RunsApi = ReturnType<typeof runsApi>
