// The caller's API tokens for scripts: create one (the secret shown once, to copy), see
// each token's last use, revoke.

import './admin.css'
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react'
import { tokensApi } from '../api/admin'
import type { ApiToken, NewApiToken } from '../api/types'
import { useI18n } from '../i18n/react'
import { errorText } from '../ui/errors'
import { formatDateTime } from '../ui/format'
import { toast } from '../ui/toast'
import { useDocumentTitle } from '../ui/useDocumentTitle'
import { CopyField } from './CopyField'

export default function TokensPage() {
  const { t, tx, lang } = useI18n()
  useDocumentTitle(t('admin.tokens.title'))
  const tokens = useMemo(() => tokensApi(), [])
  const [list, setList] = useState<ApiToken[] | null>(null)
  const [issued, setIssued] = useState<NewApiToken | null>(null)
  const [name, setName] = useState('')
  const fail = useCallback((e: unknown) => toast(errorText(e, t, tx), 'error'), [t, tx])
  const load = useCallback(() => tokens.list().then(setList).catch(fail), [tokens, fail])
  useEffect(() => {
    load()
  }, [load])

  const create = async (event: FormEvent) => {
    event.preventDefault()
    try {
      setIssued(await tokens.create(name.trim()))
      setName('')
      load()
    } catch (e) {
      fail(e)
    }
  }
  const revoke = (token: ApiToken) => {
    if (!window.confirm(t('admin.tokens.confirmRevoke', { name: token.name }))) return
    tokens
      .revoke(token.id)
      .then(() => {
        if (issued?.id === token.id) setIssued(null)
        toast(t('admin.tokens.revoked'), 'success')
        load()
      })
      .catch(fail)
  }

  return (
    <div className="page admin-page">
      <h1>{t('admin.tokens.title')}</h1>
      <p className="muted">{t('admin.tokens.intro')}</p>
      <form className="admin-form" onSubmit={create}>
        <label className="field">
          <span>{t('admin.tokens.name')}</span>
          <input required maxLength={120} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" className="button button--primary">
          {t('admin.tokens.create')}
        </button>
      </form>
      {issued && (
        <>
          <CopyField label={t('admin.tokens.secret')} value={issued.token} testId="token-secret" />
          <p className="field__hint">{t('admin.tokens.shownOnce')}</p>
        </>
      )}
      {list && list.length === 0 && <p className="muted">{t('admin.tokens.none')}</p>}
      <ul className="admin-list" data-testid="tokens">
        {list?.map((token) => (
          <li key={token.id} className="admin-list__item">
            <div className="admin-list__who">
              <strong>{token.name}</strong>
              <small>
                <code>{token.prefix}…</code> ·{' '}
                {token.last_used_at
                  ? t('admin.tokens.lastUsed', { when: formatDateTime(token.last_used_at, lang) })
                  : t('admin.tokens.neverUsed')}
              </small>
            </div>
            <div className="admin-list__actions">
              <button
                type="button"
                className="button button--small button--danger"
                onClick={() => revoke(token)}
              >
                {t('admin.tokens.revoke')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  )
}
