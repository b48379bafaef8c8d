// Pure rules of the members page: which invitations are still open, which roles an admin
// may give, and when a change would leave the workspace without an admin.

import type { WorkspaceRole } from '../api/types'

export const ROLES: readonly WorkspaceRole[] = ['admin', 'planner', 'manager', 'staff']

interface Pending {
  accepted_at?: string | null
  expires_at: string
}

/** Invitations not yet accepted and not yet expired, in the order given. */
export function openInvitations<T extends Pending>(invitations: readonly T[], now: number): T[] {
  return invitations.filter((i) => !i.accepted_at && Date.parse(i.expires_at) > now)
}

interface Held {
  id: number
  role: WorkspaceRole
}

/** True when this member is the workspace's only admin (demoting or removing them is refused). */
export function isLastAdmin(members: readonly Held[], memberId: number): boolean {
  const admins = members.filter((m) => m.role === 'admin')
  return admins.length === 1 && admins[0].id === memberId
}
