// The frame around every signed-in page: brand, workspace switcher, sections, language,
// account. Pages render in the outlet below it. On a phone the bar is compact: the brand,
// the section's name and a menu button that opens the rest.

import { useEffect, useState } from 'react'
import { Link, NavLink, Outlet, useLocation, useMatch, useNavigate } from 'react-router-dom'
import { LANGS, type Lang } from '../i18n'
import { useI18n } from '../i18n/react'
import { can, logout } from './session'
import { useSession } from './useSession'

export function Shell() {
  const session = useSession()
  const { t, lang, setLang } = useI18n()
  const navigate = useNavigate()
  const match = useMatch('/w/:ws/*')
  const workspaceId = match ? Number(match.params.ws) : null
  const [menuOpen, setMenuOpen] = useState(false)
  const { pathname } = useLocation()
  useEffect(() => setMenuOpen(false), [pathname])
  if (session.status !== 'ready') return null
  const current = session.workspaces.find((w) => w.id === workspaceId)

  return (
    <div className="shell">
      <header className={`topbar${menuOpen ? ' is-open' : ''}`}>
        <Link className="brand" to="/" aria-label="Cueflow">
          <img src="/favicon.svg" alt="" width={22} height={22} />
          <span>Cueflow</span>
        </Link>
        <span className="topbar__here">{current?.name}</span>
        <button
          type="button"
          className="topbar__toggle"
          aria-expanded={menuOpen}
          aria-controls="shell-menu"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          <span aria-hidden="true">{menuOpen ? '✕' : '☰'}</span>
          <span className="visually-hidden">{t('shell.menu')}</span>
        </button>
        <div
          className="topbar__menu"
          id="shell-menu"
          // A section chosen (even the one shown) closes the menu.
          onClick={(event) => {
            if ((event.target as HTMLElement).closest('a')) setMenuOpen(false)
          }}
        >
          {session.workspaces.length > 0 && (
            <label className="topbar__workspace">
              <span className="visually-hidden">{t('shell.workspace')}</span>
              <select
                value={current?.id ?? ''}
                onChange={(event) => navigate(`/w/${event.target.value}`)}
              >
                {!current && <option value="">{t('shell.chooseWorkspace')}</option>}
                {session.workspaces.map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <nav className="topbar__nav" aria-label={t('shell.sections')}>
            {current && (
              <>
                <NavLink to={`/w/${current.id}/tasks`}>{t('shell.tasks')}</NavLink>
                <NavLink to={`/w/${current.id}/runs`}>{t('shell.runs')}</NavLink>
                <NavLink to={`/w/${current.id}/runbooks`}>{t('shell.runbooks')}</NavLink>
                {can(session, current.id, 'audit.read') && (
                  <NavLink to={`/w/${current.id}/audit`}>{t('shell.audit')}</NavLink>
                )}
                {can(session, current.id, 'workspace.manage_members') && (
                  <NavLink to={`/w/${current.id}/members`}>{t('admin.members.nav')}</NavLink>
                )}
              </>
            )}
          </nav>
          <div className="topbar__end">
            <label>
              <span className="visually-hidden">{t('shell.language')}</span>
              <select
                aria-label={t('shell.language')}
                value={lang}
                onChange={(event) => setLang(event.target.value as Lang)}
              >
                {LANGS.map((l) => (
                  <option key={l} value={l}>
                    {l === 'zh-CN' ? '中文' : 'English'}
                  </option>
                ))}
              </select>
            </label>
            <span className="topbar__user" title={session.user.email} data-testid="current-user">
              {session.user.name}
              {current && <small> · {t(`role.workspace.${current.role}`)}</small>}
            </span>
            <NavLink className="button button--ghost" to="/account/tokens">
              {t('admin.tokens.nav')}
            </NavLink>
            <button
              type="button"
              className="button button--ghost"
              onClick={async () => {
                await logout()
                navigate('/login')
              }}
            >
              {t('shell.logout')}
            </button>
          </div>
        </div>
      </header>
      <main className="shell__main">
        <Outlet />
      </main>
    </div>
  )
}
