// Members and invitations (admins): who is in the workspace with their role and last
// activity, change a role or remove someone, invite by e-mail with a role (the link shown
// to copy), and the open invitations with revoke and resend.

import './admin.css'
import { useCallback, useEffect, useId, useMemo, useState, type FormEvent } from 'react'
import { useParams } from 'react-router-dom'
import { membersAdminApi } from '../api/admin'
import type { Invitation, Member, NewInvitation, WorkspaceRole } from '../api/types'
import { can } from '../app/session'
import { useSession } from '../app/useSession'
import { useI18n } from '../i18n/react'
import { isLastAdmin, openInvitations, ROLES } from '../model/members'
import { errorText } from '../ui/errors'
import { formatDateTime } from '../ui/format'
import { toast } from '../ui/toast'
import { useDocumentTitle } from '../ui/useDocumentTitle'
import { CopyField, NotAllowed } from './CopyField'

export default function MembersPage() {
  const workspaceId = Number(useParams().ws)
  const session = useSession()
  const allowed = can(session, workspaceId, 'workspace.manage_members')
  const { t, tx } = useI18n()
  useDocumentTitle(t('admin.members.title'))
  const admin = useMemo(() => membersAdminApi(workspaceId), [workspaceId])
  const [members, setMembers] = useState<Member[] | null>(null)
  const [invitations, setInvitations] = useState<Invitation[]>([])
  const [issued, setIssued] = useState<NewInvitation | null>(null)
  const [error, setError] = useState<string | null>(null)
  const fail = useCallback((e: unknown) => toast(errorText(e, t, tx), 'error'), [t, tx])

  const load = useCallback(() => {
    Promise.all([admin.members(), admin.invitations()])
      .then(([m, i]) => {
        setMembers(m)
        setInvitations(i)
      })
      .catch((e) => setError(errorText(e, t, tx)))
  }, [admin, t, tx])
  useEffect(() => {
    if (allowed) load()
  }, [allowed, load])

  if (!allowed) return <NotAllowed text={t('admin.members.notAllowed')} />
  if (error) return <p className="form-error">{error}</p>
  if (!members) return null

  const act = (work: Promise<unknown>, done: string) =>
    work.then(() => (toast(done, 'success'), load())).catch(fail)
  const invite = async (email: string, role: WorkspaceRole) => {
    try {
      setIssued(await admin.invite(email, role))
      load()
      return true
    } catch (e) {
      fail(e)
      return false
    }
  }
  const resend = (i: Invitation) =>
    admin
      .revoke(i.id)
      .then(() => invite(i.email, i.role))
      .catch(fail)

  return (
    <div className="page admin-page">
      <h1>{t('admin.members.title')}</h1>
      <section aria-labelledby="members-heading">
        <h2 id="members-heading">{t('admin.members.list')}</h2>
        <ul className="admin-list" data-testid="members">
          {members.map((m) => (
            <MemberRow
              key={m.id}
              member={m}
              lastAdmin={isLastAdmin(members, m.id)}
              onRole={(role) => act(admin.setRole(m.id, role), t('admin.members.roleChanged'))}
              onRemove={() => {
                if (window.confirm(t('admin.members.confirmRemove', { name: m.name })))
                  act(admin.remove(m.id), t('admin.members.removed'))
              }}
            />
          ))}
        </ul>
      </section>
      <section aria-labelledby="invite-heading">
        <h2 id="invite-heading">{t('admin.invite.title')}</h2>
        <InviteForm onInvite={invite} />
        {issued && (
          <CopyField
            label={t('admin.invite.link', { email: issued.email })}
            value={issued.accept_url}
            testId="invite-link"
          />
        )}
        <h3>{t('admin.invite.pending')}</h3>
        <PendingList
          invitations={openInvitations(invitations, Date.now())}
          onRevoke={(i) => act(admin.revoke(i.id), t('admin.invite.revoked'))}
          onResend={resend}
        />
      </section>
    </div>
  )
}

function MemberRow(props: {
  member: Member
  lastAdmin: boolean
  onRole: (role: WorkspaceRole) => void
  onRemove: () => void
}) {
  const { t, lang } = useI18n()
  const m = props.member
  return (
    <li className="admin-list__item" data-testid="member">
      <div className="admin-list__who">
        <strong>{m.name}</strong>
        <small>{m.email}</small>
        <small>
          {m.last_login_at
            ? t('admin.members.lastActive', { when: formatDateTime(m.last_login_at, lang) })
            : t('admin.members.neverActive')}
        </small>
      </div>
      <div className="admin-list__actions">
        <RoleSelect
          label={t('admin.members.roleOf', { name: m.name })}
          value={m.role}
          disabled={props.lastAdmin}
          onChange={props.onRole}
        />
        <button
          type="button"
          className="button button--small button--danger"
          disabled={props.lastAdmin}
          onClick={props.onRemove}
        >
          {t('admin.members.remove')}
        </button>
      </div>
    </li>
  )
}

function RoleSelect(props: {
  id?: string
  label?: string
  value: WorkspaceRole
  disabled?: boolean
  onChange: (role: WorkspaceRole) => void
}) {
  const { t } = useI18n()
  return (
    <select
      id={props.id}
      aria-label={props.label}
      value={props.value}
      disabled={props.disabled}
      onChange={(e) => props.onChange(e.target.value as WorkspaceRole)}
    >
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {t(`role.workspace.${r}`)}
        </option>
      ))}
    </select>
  )
}

function InviteForm({ onInvite }: { onInvite: (e: string, r: WorkspaceRole) => Promise<boolean> }) {
  const { t } = useI18n()
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<WorkspaceRole>('staff')
  const id = useId()
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (await onInvite(email.trim(), role)) setEmail('')
  }
  return (
    <form className="admin-form" onSubmit={submit}>
      <label className="field">
        <span>{t('admin.invite.email')}</span>
        <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <div className="field">
        <label htmlFor={`${id}-role`}>{t('admin.invite.role')}</label>
        <RoleSelect id={`${id}-role`} value={role} onChange={setRole} />
      </div>
      <button type="submit" className="button button--primary">
        {t('admin.invite.submit')}
      </button>
    </form>
  )
}

function PendingList(props: {
  invitations: Invitation[]
  onRevoke: (i: Invitation) => void
  onResend: (i: Invitation) => void
}) {
  const { t, lang } = useI18n()
  if (props.invitations.length === 0) return <p className="muted">{t('admin.invite.none')}</p>
  return (
    <ul className="admin-list" data-testid="invitations">
      {props.invitations.map((i) => (
        <li key={i.id} className="admin-list__item">
          <div className="admin-list__who">
            <strong>{i.email}</strong>
            <small>
              {t(`role.workspace.${i.role}`)} ·{' '}
              {t('admin.invite.expires', { when: formatDateTime(i.expires_at, lang) })}
            </small>
          </div>
          <div className="admin-list__actions">
            <button
              type="button"
              className="button button--small"
              onClick={() => props.onResend(i)}
            >
              {t('admin.invite.resend')}
            </button>
            <button
              type="button"
              className="button button--small button--danger"
              onClick={() => props.onRevoke(i)}
            >
              {t('admin.invite.revoke')}
            </button>
          </div>
        </li>
      ))}
    </ul>
  )
}
