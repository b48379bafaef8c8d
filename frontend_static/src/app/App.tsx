// Routes of the browser app. Planners' pages now; the staff task inbox (/w/:ws/tasks) and
// the live control room and post-mortem (/w/:ws/runs/:id) join the same shell later.

import { lazy, Suspense, type ReactNode } from 'react'
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom'
import { useI18n } from '../i18n/react'
import { LoginPage } from '../pages/LoginPage'
import { NotFoundPage } from '../pages/NotFoundPage'
import { RunbookListPage } from '../pages/RunbookListPage'
import { Toaster } from '../ui/Toaster'
import { Shell } from './Shell'
import { useSession } from './useSession'

const EditorPage = lazy(() => import('../editor/EditorPage'))

export function App() {
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route
          element={
            <RequireLogin>
              <Shell />
            </RequireLogin>
          }
        >
          <Route index element={<Home />} />
          <Route path="w/:ws" element={<Navigate to="runbooks" replace />} />
          <Route path="w/:ws/runbooks" element={<RunbookListPage />} />
          <Route
            path="w/:ws/runbooks/:id"
            element={
              <Suspense fallback={<Loading />}>
                <EditorPage />
              </Suspense>
            }
          />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
      <Toaster />
    </BrowserRouter>
  )
}

export function Loading() {
  const { t } = useI18n()
  return (
    <div className="loading" role="status">
      {t('common.loading')}
    </div>
  )
}

function RequireLogin({ children }: { children: ReactNode }) {
  const session = useSession()
  const location = useLocation()
  if (session.status === 'loading') return <Loading />
  if (session.status === 'anonymous') {
    const next = location.pathname + location.search
    return (
      <Navigate
        to={`/login${next && next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`}
        replace
      />
    )
  }
  return <>{children}</>
}

/** `/`: the first workspace's runbooks (a user who belongs nowhere sees why). */
function Home() {
  const session = useSession()
  const { t } = useI18n()
  if (session.status !== 'ready') return null
  const first = session.workspaces[0]
  if (!first) return <p className="page-message">{t('home.noWorkspace')}</p>
  return <Navigate to={`/w/${first.id}/runbooks`} replace />
}
