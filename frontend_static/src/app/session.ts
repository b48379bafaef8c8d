// Who is logged in and their workspaces: loaded once, changed by login and logout.

import { api } from '../api/client'
import type { Permission, Session, User, Workspace, WorkspaceRole } from '../api/types'

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous' }
  | { status: 'ready'; user: User; workspaces: Workspace[] }

let state: SessionState = { status: 'loading' }
const listeners = new Set<() => void>()

function set(next: SessionState): void {
  state = next
  for (const listener of listeners) listener()
}

export function getSession(): SessionState {
  return state
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

async function loadSignedIn(user: User): Promise<void> {
  const workspaces = await api.getAll<Workspace>('/api/workspaces')
  set({ status: 'ready', user, workspaces })
}

/** On start: the session cookie may already be signed in. */
export async function restoreSession(): Promise<void> {
  try {
    const user = await api.get<User>('/api/auth/me')
    await api.refreshCsrf()
    await loadSignedIn(user)
  } catch {
    // 401 (not logged in) or the server is unreachable: the login page says which.
    set({ status: 'anonymous' })
  }
}

export async function login(email: string, password: string): Promise<void> {
  await adoptSession(await api.post<Session>('/api/auth/login', { email, password }))
}

/** A session the API handed over (log-in, an accepted invitation): now the app's. */
export async function adoptSession(session: Session): Promise<void> {
  api.setCsrfToken(session.csrf_token)
  await loadSignedIn(session.user)
}

export async function logout(): Promise<void> {
  try {
    await api.post('/api/auth/logout')
  } finally {
    api.setCsrfToken(null)
    set({ status: 'anonymous' })
  }
}

/** The API said 401: the session ended (expired, logged out in another tab). */
export function sessionEnded(): void {
  if (state.status === 'ready') set({ status: 'anonymous' })
}

export function roleIn(session: SessionState, workspaceId: number): WorkspaceRole | null {
  if (session.status !== 'ready') return null
  return session.workspaces.find((w) => w.id === workspaceId)?.role ?? null
}

/** Planners and admins build runbooks; managers and staff may look. */
export function canEditRunbooks(role: WorkspaceRole | null): boolean {
  return role === 'planner' || role === 'admin'
}

/** What the API grants the user in a workspace (the server's table, read through /me). */
export function can(session: SessionState, workspaceId: number, permission: Permission): boolean {
  if (session.status !== 'ready') return false
  const membership = session.user.workspaces.find((w) => w.workspace_id === workspaceId)
  return membership?.permissions.includes(permission) ?? false
}

/** Where a member starts: staff on their tasks, everyone else on the runbooks. */
export function homePath(workspace: Workspace): string {
  return `/w/${workspace.id}/${workspace.role === 'staff' ? 'tasks' : 'runbooks'}`
}
