import { useState, type FormEvent } from 'react'
import { Navigate, useSearchParams } from 'react-router-dom'
import { ApiError } from '../api/client'
import { login } from '../app/session'
import { useSession } from '../app/useSession'
import { LANGS, type Lang } from '../i18n'
import { useI18n } from '../i18n/react'
import { errorText } from '../ui/errors'
import { useDocumentTitle } from '../ui/useDocumentTitle'

export function LoginPage() {
  const session = useSession()
  const { t, lang, setLang, tx } = useI18n()
  const [params] = useSearchParams()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  useDocumentTitle(t('login.submit'))

  if (session.status === 'ready') {
    const next = params.get('next')
    return <Navigate to={next && next.startsWith('/') ? next : '/'} replace />
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await login(email.trim(), password)
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.status === 401
          ? t('login.wrong')
          : errorText(failure, t, tx),
      )
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="login">
      <form className="login__card" onSubmit={submit} aria-labelledby="login-title">
        <div className="login__brand">
          <img src="/favicon.svg" alt="" width={36} height={36} />
          <div>
            <h1 id="login-title">Cueflow</h1>
            <p>{t('login.tagline')}</p>
          </div>
        </div>
        <label className="field">
          <span>{t('login.email')}</span>
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('login.password')}</span>
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          {busy ? t('login.signingIn') : t('login.submit')}
        </button>
        <div className="login__lang">
          {LANGS.map((l: Lang) => (
            <button
              type="button"
              key={l}
              className={`link-button${l === lang ? ' is-current' : ''}`}
              aria-pressed={l === lang}
              onClick={() => setLang(l)}
            >
              {l === 'zh-CN' ? '中文' : 'English'}
            </button>
          ))}
        </div>
      </form>
    </div>
  )
}
