// The control room's head: the run, its status, the big clock (countdown to go-live, then
// show time), progress, and the managers' controls (start, pause, resume, cancel, move
// go-live).

import { useState } from 'react'
import { Link } from 'react-router-dom'
import { runsApi, type RunControl } from '../api/runs'
import type { Member, RunDetail } from '../api/types'
import type { MessageKey } from '../i18n'
import { useI18n } from '../i18n/react'
import { showClock } from '../model/countdown'
import { durationWords, showClockText } from '../model/durations'
import type { FeedState } from '../model/liveUpdates'
import { errorText } from '../ui/errors'
import { formatDateTime } from '../ui/format'
import { Modal } from '../ui/Modal'
import { toast } from '../ui/toast'
import { GoLiveDialog } from './GoLiveDialog'
import { LiveBadge, StateBadge } from './words'

const CONTROLS: Record<RunDetail['status'], RunControl[]> = {
  scheduled: ['start', 'cancel'],
  running: ['pause', 'cancel'],
  paused: ['resume', 'cancel'],
  completed: [],
  cancelled: [],
}

export function RoomHeader(props: {
  workspaceId: number
  run: RunDetail
  now: number
  live: FeedState
  mayManage: boolean
  members: Member[]
  onChanged: () => Promise<void>
}) {
  const { run, workspaceId } = props
  const { t, lang, tx } = useI18n()
  const [busy, setBusy] = useState(false)
  const [confirmCancel, setConfirmCancel] = useState(false)
  const [movingGoLive, setMovingGoLive] = useState(false)
  const clock = showClock(
    Date.parse(run.go_live),
    props.now,
    run.ended_at ? Date.parse(run.ended_at) : null,
  )
  const finished = run.status === 'completed' || run.status === 'cancelled'
  const percent = run.progress.total
    ? Math.round((run.progress.finished / run.progress.total) * 100)
    : 0

  async function control(action: RunControl) {
    setBusy(true)
    try {
      await runsApi(workspaceId).control(run.id, action)
      toast(t(`room.done.${action}` as MessageKey), 'success')
      await props.onChanged()
    } catch (failure) {
      toast(errorText(failure, t, tx), 'error')
      await props.onChanged()
    } finally {
      setBusy(false)
      setConfirmCancel(false)
    }
  }

  return (
    <header className="room__head">
      <div className="room__title">
        <Link className="room__back" to={`/w/${workspaceId}/runs`}>
          ← {t('runs.title')}
        </Link>
        <h1>{run.name}</h1>
        <div className="room__badges">
          <StateBadge kind="run" value={run.status} testId="run-status" />
          <span className="muted">{t('list.version', { number: run.version })}</span>
          <LiveBadge state={props.live} />
        </div>
      </div>

      <div
        className={`clock clock--${clock.mode}`}
        role="timer"
        aria-live="off"
        data-testid="show-clock"
      >
        <span className="clock__label">{t(`room.clock.${clock.mode}` as MessageKey)}</span>
        <span className="clock__time">
          {showClockText(clock.span, clock.mode === 'countdown', durationWords(t))}
        </span>
        <span className="clock__at">
          {t('room.goLiveAt', { when: formatDateTime(run.go_live, lang, run.tz), tz: run.tz })}
        </span>
      </div>

      <div className="room__progress">
        <span>
          {t('room.progress', { finished: run.progress.finished, total: run.progress.total })}
        </span>
        <progress max={100} value={percent} aria-label={t('room.progressLabel')}>
          {percent}%
        </progress>
      </div>

      <div className="room__actions">
        {props.mayManage &&
          CONTROLS[run.status].map((action) => (
            <button
              key={action}
              type="button"
              className={`button${action === 'cancel' ? ' button--danger' : ''}`}
              disabled={busy}
              onClick={() => (action === 'cancel' ? setConfirmCancel(true) : control(action))}
            >
              {t(`room.control.${action}` as MessageKey)}
            </button>
          ))}
        {props.mayManage && !finished && (
          <button type="button" className="button" onClick={() => setMovingGoLive(true)}>
            {t('room.moveGoLive')}
          </button>
        )}
        {finished && (
          <Link className="button button--primary" to={`/w/${workspaceId}/runs/${run.id}/review`}>
            {t('runs.review')}
          </Link>
        )}
      </div>

      {confirmCancel && (
        <Modal
          title={t('room.cancelTitle')}
          onClose={() => setConfirmCancel(false)}
          footer={
            <>
              <button type="button" className="button" onClick={() => setConfirmCancel(false)}>
                {t('common.cancel')}
              </button>
              <button
                type="button"
                className="button button--danger"
                disabled={busy}
                onClick={() => control('cancel')}
              >
                {t('room.control.cancel')}
              </button>
            </>
          }
        >
          <p>{t('room.cancelBody')}</p>
        </Modal>
      )}
      {movingGoLive && (
        <GoLiveDialog
          workspaceId={workspaceId}
          run={run}
          members={props.members}
          onClose={() => setMovingGoLive(false)}
          onMoved={async () => {
            setMovingGoLive(false)
            await props.onChanged()
          }}
        />
      )}
    </header>
  )
}
