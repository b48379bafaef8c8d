// Workspace endpoints the run pages need: the members to cast into roles.

import { api, type ApiClient } from './client'
import type { Member } from './types'

export function workspacesApi(workspaceId: number, client: ApiClient = api) {
  return {
    members: () => client.getAll<Member>(`/api/workspaces/${workspaceId}/members`),
  }
}
