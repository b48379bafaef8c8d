// The next recurring cues (coupon pushes, lotteries), with the countdown to each; the live
// crew and managers shift one by some minutes or skip it, giving the reason.

import { useState, type FormEvent } from 'react'
import { runsApi } from '../api/runs'
import { roleLabel } from '../editor/labels'
import { useI18n } from '../i18n/react'
import type { CueLine } from '../model/controlRoom'
import { span } from '../model/countdown'
import { countdownText, durationWords } from '../model/durations'
import { errorText } from '../ui/errors'
import { formatTime } from '../ui/format'
import { Modal } from '../ui/Modal'
import { toast } from '../ui/toast'
import { durationsOf } from '../ui/durations'
import { StateBadge } from './words'

type Change = { line: CueLine; action: 'shift' | 'skip' }

export function CuePanel(props: {
  workspaceId: number
  runId: number
  cues: { upcoming: CueLine[]; lastSent: CueLine | null }
  now: number
  mayChange: boolean
  onChanged: () => Promise<void>
}) {
  const { t, lang, tx } = useI18n()
  const [change, setChange] = useState<Change | null>(null)
  const { upcoming, lastSent } = props.cues
  return (
    <section className="side-panel cues" aria-labelledby="cues-title" data-testid="cues">
      <h2 id="cues-title" className="room-panel__title">
        {t('room.cues')}
      </h2>
      {!upcoming.some((line) => line.state === 'planned') && (
        <p className="muted">{t('room.noCues')}</p>
      )}
      <ol className="cue-list">
        {upcoming.map((line) => {
          const left = span(Date.parse(line.cue.fire_at), props.now)
          const planned = line.state === 'planned'
          const next = planned && line === upcoming.find((l) => l.state === 'planned')
          return (
            <li
              key={line.cue.id}
              className={`cue cue--${line.state}${next ? ' cue--next' : ''}`}
              data-testid={`cue-${line.cue.id}`}
              data-state={line.state}
            >
              <div className="cue__when">
                <time className="cue__time" dateTime={line.cue.fire_at}>
                  {formatTime(line.cue.fire_at, lang)}
                </time>
                {planned ? (
                  <span className="cue__left">
                    {left.past
                      ? t('room.cueDue')
                      : t('room.cueIn', { span: countdownText(left, durationWords(t)) })}
                  </span>
                ) : (
                  <StateBadge kind="cue" value={line.state} />
                )}
              </div>
              <div className="cue__what">
                <span className="cue__title">
                  {line.title} <span className="muted">#{line.cue.index + 1}</span>
                </span>
                {line.role && <span className="muted">{roleLabel(tx, line.role)}</span>}
              </div>
              {props.mayChange && planned && (
                <div className="cue__actions">
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => setChange({ line, action: 'shift' })}
                    aria-label={t('room.shiftCue', { title: line.title })}
                  >
                    {t('room.shift')}
                  </button>
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => setChange({ line, action: 'skip' })}
                    aria-label={t('room.skipCue', { title: line.title })}
                  >
                    {t('room.skip')}
                  </button>
                </div>
              )}
            </li>
          )
        })}
      </ol>
      {lastSent && (
        <p className="muted cues__last">
          {t('room.lastSent', {
            title: lastSent.title,
            time: formatTime(lastSent.cue.fired_at ?? lastSent.cue.fire_at, lang),
          })}
        </p>
      )}
      {change && (
        <CueChangeDialog
          {...change}
          workspaceId={props.workspaceId}
          runId={props.runId}
          onClose={() => setChange(null)}
          onDone={async () => {
            setChange(null)
            await props.onChanged()
          }}
        />
      )}
    </section>
  )
}

function CueChangeDialog(
  props: Change & {
    workspaceId: number
    runId: number
    onClose: () => void
    onDone: () => Promise<void>
  },
) {
  const { t, tx } = useI18n()
  const [minutes, setMinutes] = useState(5)
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const shift = props.action === 'shift'

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (!reason.trim()) return
    setBusy(true)
    try {
      const api = runsApi(props.workspaceId)
      if (shift) await api.shiftCue(props.runId, props.line.cue.id, minutes, reason.trim())
      else await api.skipCue(props.runId, props.line.cue.id, reason.trim())
      const moved = durationsOf(t).duration(minutes)
      toast(
        shift
          ? t(minutes > 0 ? 'room.shiftedLater' : 'room.shiftedEarlier', { span: moved })
          : t('room.skipped'),
        'success',
      )
      await props.onDone()
    } catch (failure) {
      setError(errorText(failure, t, tx))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Modal
      title={
        shift
          ? t('room.shiftTitle', { title: props.line.title })
          : t('room.skipTitle', { title: props.line.title })
      }
      onClose={props.onClose}
    >
      <form className="form" onSubmit={submit}>
        {shift && (
          <div className="field">
            <span id="shift-minutes">{t('room.shiftBy')}</span>
            <div className="segmented" role="radiogroup" aria-labelledby="shift-minutes">
              {[-5, 2, 5, 10, 15].map((value) => (
                <label key={value} className="segmented__option">
                  <input
                    type="radio"
                    name="minutes"
                    checked={minutes === value}
                    onChange={() => setMinutes(value)}
                  />
                  <span>{t('room.minutes', { minutes: value > 0 ? `+${value}` : value })}</span>
                </label>
              ))}
            </div>
          </div>
        )}
        <label className="field">
          <span>{t('room.reason')}</span>
          <input
            required
            autoFocus
            maxLength={500}
            value={reason}
            placeholder={t('room.reasonPlaceholder')}
            onChange={(event) => setReason(event.target.value)}
          />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="modal__foot">
          <button type="button" className="button" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            className="button button--primary"
            disabled={busy || !reason.trim()}
          >
            {shift ? t('room.shift') : t('room.skip')}
          </button>
        </div>
      </form>
    </Modal>
  )
}
