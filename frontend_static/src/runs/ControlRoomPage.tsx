// The live control room of one run, for a laptop beside the stream: the clock (countdown
// to go-live, then show time), the three phases with every node's state, tasks by role
// with their people and lateness, the next cues, the problems raised. It follows the
// run's event stream, so a change made on another device shows here within moments.

import '../styles/runs.css'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { Link, useParams } from 'react-router-dom'
import { draftApi } from '../api/runbooks'
import { runsApi } from '../api/runs'
import { tasksApi } from '../api/tasks'
import type { Cue, Member, RunDetail, RunEvent, Task } from '../api/types'
import { workspacesApi } from '../api/workspaces'
import { can } from '../app/session'
import { useLiveUpdates } from '../app/useLiveUpdates'
import { useSession } from '../app/useSession'
import { useI18n } from '../i18n/react'
import {
  isLiveCrew,
  lastEventId,
  nextCues,
  problemsOf,
  rolesOf,
  tasksByRole,
} from '../model/controlRoom'
import type { GraphNode } from '../model/graph'
import { controlRoomTopics, type ControlRoomTopic } from '../model/liveUpdates'
import { errorText } from '../ui/errors'
import { useDocumentTitle } from '../ui/useDocumentTitle'
import { useNow } from '../ui/useNow'
import { CuePanel } from './CuePanel'
import { PhaseBoard } from './PhaseBoard'
import { ProblemPanel } from './ProblemPanel'
import { RoleBoard } from './RoleBoard'
import { RoomHeader } from './RoomHeader'

const ALL_STATUSES = ['open', 'claimed', 'done', 'skipped', 'cancelled'] as const
const TOPICS: readonly ControlRoomTopic[] = ['run', 'tasks', 'cues', 'events']

export interface RoomData {
  run: RunDetail
  tasks: Task[]
  cues: Cue[]
  events: RunEvent[]
}

export default function ControlRoomPage() {
  const params = useParams()
  const workspaceId = Number(params.ws)
  const runId = Number(params.id)
  const session = useSession()
  const me = session.status === 'ready' ? session.user.id : 0
  const { t, tx } = useI18n()
  const now = useNow()
  const runs = useMemo(() => runsApi(workspaceId), [workspaceId])
  const tasksOf = useMemo(() => tasksApi(workspaceId), [workspaceId])
  const [data, setData] = useState<RoomData | null>(null)
  const [members, setMembers] = useState<Member[]>([])
  const [nodes, setNodes] = useState<Map<string, GraphNode>>(new Map())
  const [error, setError] = useState<string | null>(null)
  useDocumentTitle(data ? data.run.name : t('room.title'))

  const fetchTopics = useCallback(
    async (topics: ReadonlySet<ControlRoomTopic>) => {
      const [run, tasks, cues, events] = await Promise.all([
        topics.has('run') ? runs.get(runId) : null,
        topics.has('tasks') ? tasksOf.list({ run_id: runId, status: [...ALL_STATUSES] }) : null,
        topics.has('cues') ? runs.cues(runId) : null,
        topics.has('events') ? runs.events(runId) : null,
      ])
      setData((before) => {
        const next = {
          run: run ?? before?.run,
          tasks: tasks ?? before?.tasks ?? [],
          cues: cues ?? before?.cues ?? [],
          events: events ?? before?.events ?? [],
        }
        return next.run ? (next as RoomData) : before
      })
    },
    [runs, tasksOf, runId],
  )

  useEffect(() => {
    setData(null)
    setError(null)
    fetchTopics(new Set(TOPICS)).catch((failure) => setError(errorText(failure, t, tx)))
    workspacesApi(workspaceId)
      .members()
      .then(setMembers)
      .catch(() => setMembers([]))
  }, [fetchTopics, workspaceId, t, tx])

  // The version's graph: which tasks need only a tap (no fields or metrics to enter).
  const runbookId = data?.run.runbook_id
  const versionNumber = data?.run.version
  useEffect(() => {
    if (!runbookId || !versionNumber) return
    draftApi(workspaceId, runbookId)
      .version(versionNumber)
      .then((version) => setNodes(new Map(version.graph.nodes.map((n) => [n.id, n]))))
      .catch(() => setNodes(new Map()))
  }, [workspaceId, runbookId, versionNumber])

  const live = useLiveUpdates<ControlRoomTopic>({
    workspaceId,
    runId,
    enabled: data !== null,
    after: data ? lastEventId(data.events) : null,
    allTopics: TOPICS,
    topicsOf: controlRoomTopics,
    fetch: fetchTopics,
  })
  const refresh = useCallback(() => fetchTopics(new Set(TOPICS)), [fetchTopics])

  if (error) {
    return (
      <div className="page">
        <p className="form-error" role="alert">
          {error}
        </p>
        <Link to={`/w/${workspaceId}/runs`}>{t('plan.backToRuns')}</Link>
      </div>
    )
  }
  if (!data) return <p className="loading">{t('common.loading')}</p>

  const { run } = data
  const supervisor = can(session, workspaceId, 'tasks.supervise')
  const liveCrew = isLiveCrew(run, me)
  const underway = run.status === 'running' || run.status === 'paused'
  const roles = tasksByRole(data.tasks, run.roster, members, now)
  const cues = nextCues(data.cues, run.nodes, now)
  const problems = problemsOf(data.events, run.nodes)
  const names = new Map(members.map((m) => [m.user_id, m.name]))

  return (
    <div className="room" data-testid="control-room" data-run-status={run.status}>
      <RoomHeader
        workspaceId={workspaceId}
        run={run}
        now={now}
        live={live}
        mayManage={can(session, workspaceId, 'runs.manage')}
        members={members}
        onChanged={refresh}
      />
      <div className="room__grid">
        <PhaseBoard run={run} now={now} />
        <aside className="room__side">
          <CuePanel
            workspaceId={workspaceId}
            runId={run.id}
            cues={cues}
            now={now}
            mayChange={underway && (supervisor || liveCrew)}
            onChanged={refresh}
          />
          <ProblemPanel workspaceId={workspaceId} problems={problems} names={names} />
        </aside>
        <RoleBoard
          workspaceId={workspaceId}
          groups={roles}
          me={me}
          myRoles={rolesOf(run, me)}
          oneTap={underway && liveCrew}
          supervise={underway && supervisor}
          ended={run.status === 'completed' || run.status === 'cancelled'}
          nodes={nodes}
          now={now}
          onChanged={refresh}
        />
      </div>
    </div>
  )
}
