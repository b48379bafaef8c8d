// Workspace administration: members, invitations, and the caller's API tokens.

import { api, type ApiClient } from './client'
import type {
  ApiToken,
  Invitation,
  InvitationPreview,
  Member,
  NewApiToken,
  NewInvitation,
  Session,
  WorkspaceRole,
} from './types'

export function membersAdminApi(workspaceId: number, client: ApiClient = api) {
  const base = `/api/workspaces/${workspaceId}`
  return {
    members: () => client.getAll<Member>(`${base}/members`),
    setRole: (memberId: number, role: WorkspaceRole) =>
      client.patch<Member>(`${base}/members/${memberId}`, { role }),
    remove: (memberId: number) => client.delete<void>(`${base}/members/${memberId}`),
    invitations: () => client.getAll<Invitation>(`${base}/invitations`),
    invite: (email: string, role: WorkspaceRole) =>
      client.post<NewInvitation>(`${base}/invitations`, { email, role }),
    revoke: (invitationId: number) => client.delete<void>(`${base}/invitations/${invitationId}`),
  }
}

export function invitationApi(token: string, client: ApiClient = api) {
  return {
    preview: () => client.get<InvitationPreview>(`/api/invitations/${token}`),
    accept: (account?: { name: string; password: string }) =>
      client.post<Session>(`/api/invitations/${token}/accept`, account ?? {}),
  }
}

export function tokensApi(client: ApiClient = api) {
  return {
    list: () => client.getAll<ApiToken>('/api/tokens'),
    create: (name: string) => client.post<NewApiToken>('/api/tokens', { name }),
    revoke: (id: number) => client.delete<void>(`/api/tokens/${id}`),
  }
}
