// Routes of the browser app: the planners' runbooks and editor, the staff task inbox, the
// runs with their live control room, all in one shell.

import { lazy, Suspense, type ReactNode } from 'react'
import { BrowserRouter, Navigate, Route, Routes, useLocation, useParams } from 'react-router-dom'
import { useI18n } from '../i18n/react'
import { LoginPage } from '../pages/LoginPage'
import { NotFoundPage } from '../pages/NotFoundPage'
import { RunbookListPage } from '../pages/RunbookListPage'
import { Toaster } from '../ui/Toaster'
import { homePath } from './session'
import { Shell } from './Shell'
import { useSession } from './useSession'

const EditorPage = lazy(() => import('../editor/EditorPage'))
const MyTasksPage = lazy(() => import('../tasks/MyTasksPage'))
const RunListPage = lazy(() => import('../runs/RunListPage'))
const PlanRunPage = lazy(() => import('../runs/PlanRunPage'))
const ControlRoomPage = lazy(() => import('../runs/ControlRoomPage'))
const PostMortemPage = lazy(() => import('../review/PostMortemPage'))
const AuditPage = lazy(() => import('../review/AuditPage'))
const MembersPage = lazy(() => import('../admin/MembersPage'))
const TokensPage = lazy(() => import('../admin/TokensPage'))
const AcceptInvitePage = lazy(() => import('../admin/AcceptInvitePage'))

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>
}

export function App() {
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route
          path="/invite/:token"
          element={
            <Lazy>
              <AcceptInvitePage />
            </Lazy>
          }
        />
        <Route
          element={
            <RequireLogin>
              <Shell />
            </RequireLogin>
          }
        >
          <Route index element={<Home />} />
          <Route path="w/:ws" element={<WorkspaceHome />} />
          <Route path="w/:ws/runbooks" element={<RunbookListPage />} />
          <Route
            path="w/:ws/runbooks/:id"
            element={
              <Lazy>
                <EditorPage />
              </Lazy>
            }
          />
          {['w/:ws/tasks', 'w/:ws/tasks/:taskId'].map((path) => (
            <Route
              key={path}
              path={path}
              element={
                <Lazy>
                  <MyTasksPage />
                </Lazy>
              }
            />
          ))}
          <Route
            path="w/:ws/runs"
            element={
              <Lazy>
                <RunListPage />
              </Lazy>
            }
          />
          <Route
            path="w/:ws/runs/new"
            element={
              <Lazy>
                <PlanRunPage />
              </Lazy>
            }
          />
          <Route
            path="w/:ws/runs/:id"
            element={
              <Lazy>
                <ControlRoomPage />
              </Lazy>
            }
          />
          <Route
            path="w/:ws/runs/:id/review"
            element={
              <Lazy>
                <PostMortemPage />
              </Lazy>
            }
          />
          <Route
            path="w/:ws/audit"
            element={
              <Lazy>
                <AuditPage />
              </Lazy>
            }
          />
          <Route
            path="w/:ws/members"
            element={
              <Lazy>
                <MembersPage />
              </Lazy>
            }
          />
          <Route
            path="account/tokens"
            element={
              <Lazy>
                <TokensPage />
              </Lazy>
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

/** `/`: the first workspace's start page (a user who belongs nowhere sees why). */
function Home() {
  const session = useSession()
  const { t } = useI18n()
  if (session.status !== 'ready') return null
  const first = session.workspaces[0]
  if (!first) return <p className="page-message">{t('home.noWorkspace')}</p>
  return <Navigate to={homePath(first)} replace />
}

/** `/w/:ws`: staff start on their tasks, everyone else on the runbooks. */
function WorkspaceHome() {
  const session = useSession()
  const { ws } = useParams()
  if (session.status !== 'ready') return null
  const workspace = session.workspaces.find((w) => w.id === Number(ws))
  return <Navigate to={workspace ? homePath(workspace) : `/w/${ws}/runbooks`} replace />
}
