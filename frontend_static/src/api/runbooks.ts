// The runbook endpoints (/api/workspaces/{ws}/runbooks/...), one function each.

import type { Graph } from '../model/graph'
import { api, type ApiClient } from './client'
import type {
  Draft,
  GraphDiff,
  LastRoster,
  LayoutResult,
  Plan,
  RunbookExport,
  RunbookInput,
  RunbookSummary,
  SavedDraft,
  Template,
  Version,
  VersionWithGraph,
} from './types'

export type ArchivedFilter = 'false' | 'true' | 'all'

export function runbooksApi(workspaceId: number, client: ApiClient = api) {
  const base = `/api/workspaces/${workspaceId}/runbooks`
  return {
    list: (filter: { q?: string; tag?: string; archived?: ArchivedFilter } = {}) =>
      client.getAll<RunbookSummary>(base, { query: filter }),
    create: (input: RunbookInput) => client.post<RunbookSummary>(base, input),
    get: (id: number) => client.get<RunbookSummary>(`${base}/${id}`),
    /** Who was cast in the runbook's latest run, to plan the next one from. */
    lastRoster: (id: number) => client.get<LastRoster>(`${base}/${id}/last-roster`),
    update: (
      id: number,
      patch: Partial<Pick<RunbookSummary, 'name' | 'description' | 'tags' | 'archived'>>,
    ) => client.patch<RunbookSummary>(`${base}/${id}`, patch),
    duplicate: (id: number, name?: string) =>
      client.post<RunbookSummary>(`${base}/${id}/duplicate`, name ? { name } : {}),
    import: (doc: RunbookExport) => client.post<RunbookSummary>(`${base}/import`, doc),
    export: (id: number) => client.get<RunbookExport>(`${base}/${id}/export`),
  }
}

/** What the editor needs of one runbook's draft; the editor's tests fake it. */
export interface DraftApi {
  load(): Promise<Draft>
  save(graph: Graph, revision: number): Promise<SavedDraft>
  layout(revision: number): Promise<LayoutResult>
  publish(note: string, revision: number): Promise<Version>
  plan(goLive: string, tz: string): Promise<Plan>
  versions(): Promise<Version[]>
  version(n: number): Promise<VersionWithGraph>
  diff(from: number, to: number | 'draft'): Promise<GraphDiff>
}

export function draftApi(
  workspaceId: number,
  runbookId: number,
  client: ApiClient = api,
): DraftApi {
  const base = `/api/workspaces/${workspaceId}/runbooks/${runbookId}`
  return {
    load: () => client.get<Draft>(`${base}/draft`),
    save: (graph, revision) =>
      client.put<SavedDraft>(`${base}/draft`, graph, { ifMatch: revision }),
    layout: (revision) =>
      client.post<LayoutResult>(`${base}/draft/layout`, undefined, { ifMatch: revision }),
    publish: (note, revision) =>
      client.post<Version>(`${base}/publish`, note ? { note } : {}, { ifMatch: revision }),
    plan: (goLive, tz) =>
      client.get<Plan>(`${base}/draft/plan`, { query: { go_live: goLive, tz } }),
    versions: () => client.getAll<Version>(`${base}/versions`),
    version: (n) => client.get<VersionWithGraph>(`${base}/versions/${n}`),
    diff: (from, to) => client.get<GraphDiff>(`${base}/diff`, { query: { from, to } }),
  }
}

export function templatesApi(client: ApiClient = api) {
  return { list: () => client.getAll<Template>('/api/templates') }
}
