// `/invite/:token`: what the invitation is for; a signed-in person with the invited e-mail
// joins with one click, someone new creates their account here; then the workspace opens.

import './admin.css'
import { useEffect, useMemo, useState, type FormEvent } from 'react'
import { Link, useNavigate, useParams } from 'react-router-dom'
import { invitationApi } from '../api/admin'
import type { InvitationPreview } from '../api/types'
import { adoptSession } from '../app/session'
import { useSession } from '../app/useSession'
import { useI18n } from '../i18n/react'
import { errorText } from '../ui/errors'
import { useDocumentTitle } from '../ui/useDocumentTitle'

export default function AcceptInvitePage() {
  const token = useParams().token ?? ''
  const session = useSession()
  const navigate = useNavigate()
  const { t, tx } = useI18n()
  useDocumentTitle(t('admin.accept.title'))
  const invitation = useMemo(() => invitationApi(token), [token])
  const [preview, setPreview] = useState<InvitationPreview | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [name, setName] = useState('')
  const [password, setPassword] = useState('')

  useEffect(() => {
    invitation
      .preview()
      .then(setPreview)
      .catch((e) => setError(errorText(e, t, tx)))
  }, [invitation, t, tx])

  const signedIn = session.status === 'ready' ? session.user : null
  const accept = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    try {
      const joined = await invitation.accept(signedIn ? undefined : { name, password })
      await adoptSession(joined)
      const into = joined.user.workspaces.find((w) => w.workspace_name === preview?.workspace_name)
      navigate(into ? `/w/${into.workspace_id}` : '/')
    } catch (e) {
      setError(errorText(e, t, tx))
    }
  }

  return (
    <div className="login accept-page">
      <form className="login__card" onSubmit={accept}>
        <h1>{t('admin.accept.title')}</h1>
        {preview && (
          <p data-testid="invite-preview">
            {t('admin.accept.intro', {
              workspace: preview.workspace_name,
              role: t(`role.workspace.${preview.role}`),
              email: preview.email,
            })}
          </p>
        )}
        {preview && signedIn && (
          <p className="muted">{t('admin.accept.as', { email: signedIn.email })}</p>
        )}
        {preview && !signedIn && (
          <>
            <label className="field">
              <span>{t('admin.accept.name')}</span>
              <input required value={name} onChange={(e) => setName(e.target.value)} />
            </label>
            <label className="field">
              <span>{t('admin.accept.password')}</span>
              <input
                type="password"
                required
                minLength={10}
                autoComplete="new-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </label>
            <p className="muted">
              <Link to={`/login?next=${encodeURIComponent(`/invite/${token}`)}`}>
                {t('admin.accept.haveAccount')}
              </Link>
            </p>
          </>
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {preview && (
          <button type="submit" className="button button--primary button--block">
            {t('admin.accept.join')}
          </button>
        )}
      </form>
    </div>
  )
}
