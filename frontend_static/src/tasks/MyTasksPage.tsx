// My tasks, mobile first: overdue and today's tasks first, grouped by run, each with the
// countdown to its due time; then what is coming (my roles' steps not open yet) and what I
// did today. A task opens beside the list (or in its place on a phone). The page follows
// the workspace's live stream: a step that opens moves from "upcoming" to the tasks.

import '../styles/work.css'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { Link, useParams } from 'react-router-dom'
import { tasksApi } from '../api/tasks'
import type { Task, TaskDetail, UpcomingStep } from '../api/types'
import { useLiveUpdates } from '../app/useLiveUpdates'
import { useSession } from '../app/useSession'
import { useI18n } from '../i18n/react'
import { endOfLocalDay, startOfLocalDay } from '../model/countdown'
import { arrangeInbox, doneToday, nextStep, overdueCount, type InboxItem } from '../model/inbox'
import { inboxTopics, type InboxTopic } from '../model/liveUpdates'
import { roleLabel } from '../editor/labels'
import { errorText } from '../ui/errors'
import { useDocumentTitle } from '../ui/useDocumentTitle'
import { useNow } from '../ui/useNow'
import { dueText, LiveBadge, UrgencyText } from '../runs/words'
import { DoneTodaySection, NextUpLine, UpcomingSection } from './InboxSections'
import { TaskPanel } from './TaskPanel'

export default function MyTasksPage() {
  const params = useParams()
  const workspaceId = Number(params.ws)
  const openId = params.taskId ? Number(params.taskId) : null
  const session = useSession()
  const me = session.status === 'ready' ? session.user.id : 0
  const { t, tx } = useI18n()
  const tasks = useMemo(() => tasksApi(workspaceId), [workspaceId])
  const now = useNow()
  const [list, setList] = useState<Task[] | null>(null)
  const [upcoming, setUpcoming] = useState<UpcomingStep[]>([])
  const [done, setDone] = useState<Task[]>([])
  const [error, setError] = useState<string | null>(null)
  // The open task's panel registers its reload here, so a live change can refresh it.
  const reloadTask = useRef<(() => Promise<void>) | null>(null)
  const [openTask, setOpenTask] = useState<TaskDetail | null>(null)
  const registerReload = useCallback((reload: () => Promise<void>) => {
    reloadTask.current = reload
  }, [])
  const overdue = list ? overdueCount(list, now) : 0
  useDocumentTitle(overdue ? `(${overdue}) ${t('inbox.title')}` : t('inbox.title'))

  const loadList = useCallback(async () => {
    try {
      const since = new Date(startOfLocalDay(Date.now())).toISOString()
      const [open, coming, finished] = await Promise.all([
        tasks.list({ mine: true }),
        tasks.upcoming(),
        tasks.list({ mine: true, status: ['done'], completed_after: since }),
      ])
      setList(open)
      setUpcoming(coming)
      setDone(doneToday(finished))
      setError(null)
    } catch (failure) {
      setError(errorText(failure, t, tx))
    }
  }, [tasks, t, tx])

  useEffect(() => {
    setList(null)
    void loadList()
  }, [loadList])

  const live = useLiveUpdates<InboxTopic>({
    workspaceId,
    enabled: list !== null,
    allTopics: ['list', 'task'],
    topicsOf: (message) =>
      inboxTopics(message, openTask ? { id: openTask.id, runId: openTask.run_id } : null),
    fetch: async (topics) => {
      await Promise.all([
        topics.has('list') ? loadList() : null,
        topics.has('task') ? reloadTask.current?.() : null,
      ])
    },
  })

  const next = useMemo(() => nextStep(upcoming), [upcoming])
  const sections = useMemo(
    () => (list ? arrangeInbox(list, now, endOfLocalDay(now)) : []),
    [list, now],
  )

  return (
    <div className={`inbox${openId ? ' inbox--task-open' : ''}`} data-testid="inbox">
      <section className="inbox__list" aria-labelledby="inbox-title">
        <header className="inbox__head">
          <h1 id="inbox-title">{t('inbox.title')}</h1>
          <LiveBadge state={live} />
        </header>
        {overdue > 0 && (
          <p className="inbox__alert" role="status">
            {t('inbox.overdueCount', { count: overdue })}
          </p>
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {list === null && !error && <p className="muted">{t('common.loading')}</p>}
        {list !== null && list.length === 0 && (
          <div className="empty inbox__empty" data-testid="inbox-empty">
            {next ? (
              <>
                <p>{t('inbox.nothingOpen')}</p>
                <NextUpLine step={next} now={now} />
              </>
            ) : (
              <p>{t('inbox.empty')}</p>
            )}
          </div>
        )}
        {sections.map((section) => (
          <section
            key={section.key}
            className={`inbox-section inbox-section--${section.key}`}
            aria-labelledby={`inbox-${section.key}`}
          >
            <h2 id={`inbox-${section.key}`}>
              {t(section.key === 'now' ? 'inbox.now' : 'inbox.later')}
              <span className="inbox-section__count">{section.count}</span>
            </h2>
            {section.groups.map((group) => (
              <div key={group.runId} className="inbox-run">
                <h3 className="inbox-run__name">
                  <Link to={`/w/${workspaceId}/runs/${group.runId}`}>{group.runName}</Link>
                </h3>
                <ul className="inbox-run__tasks">
                  {group.items.map((item) => (
                    <TaskCard
                      key={item.task.id}
                      item={item}
                      href={`/w/${workspaceId}/tasks/${item.task.id}`}
                      open={item.task.id === openId}
                      mine={item.task.assignee_id === me}
                      now={now}
                      roleText={item.task.role ? roleLabel(tx, item.task.role) : ''}
                    />
                  ))}
                </ul>
              </div>
            ))}
          </section>
        ))}
        {list !== null && (
          <>
            <UpcomingSection steps={upcoming} workspaceId={workspaceId} now={now} />
            <DoneTodaySection tasks={done} workspaceId={workspaceId} />
          </>
        )}
      </section>
      {openId === null && list !== null && list.length > 0 && (
        <p className="inbox__placeholder muted">{t('inbox.pick')}</p>
      )}
      {openId !== null && (
        <TaskPanel
          key={openId}
          workspaceId={workspaceId}
          taskId={openId}
          now={now}
          onLoaded={setOpenTask}
          registerReload={registerReload}
          onChanged={loadList}
        />
      )}
    </div>
  )
}

function TaskCard(props: {
  item: InboxItem
  href: string
  open: boolean
  mine: boolean
  now: number
  roleText: string
}) {
  const { t } = useI18n()
  const { task, urgency } = props.item
  const due = dueText(t, task.due_at, props.now)
  return (
    <li>
      <Link
        to={props.href}
        className={`task-card task-card--${urgency}${props.open ? ' is-open' : ''}`}
        aria-current={props.open ? 'page' : undefined}
        data-testid={`task-card-${task.id}`}
      >
        <span className="task-card__title">{task.title}</span>
        <span className="task-card__meta">
          {props.roleText && <span className="chip chip--small">{props.roleText}</span>}
          <span className="task-card__who">
            {task.status === 'claimed' || props.mine ? t('inbox.mine') : t('inbox.openToRole')}
          </span>
          {task.blocked && <span className="badge badge--error">{t('task.blocked')}</span>}
        </span>
        <UrgencyText urgency={urgency} text={due} />
      </Link>
    </li>
  )
}
