// Small shared pieces of the run pages: states as coloured badges that also say their
// name (never colour alone), due times as countdowns, the live connection's state.

import '../styles/states.css'
import type { MessageKey, Translate } from '../i18n'
import { useI18n } from '../i18n/react'
import { span, type Urgency } from '../model/countdown'
import { durationsOf } from '../ui/durations'
import type { FeedState } from '../model/liveUpdates'
import type { CueState } from '../model/controlRoom'
import type { NodeState, RunStatus, TaskStatus } from '../api/types'

/** "还剩 2小时5分钟" / "逾期 12 分钟" / "" without a due time. */
export function dueText(t: Translate, due: string | null, now: number): string {
  if (!due) return ''
  const s = span(Date.parse(due), now)
  const text = durationsOf(t).duration(s.seconds / 60)
  return s.past ? t('due.overdue', { span: text }) : t('due.left', { span: text })
}

/** "晚 6天19小时", or nothing when the thing is not late. */
export function lateText(t: Translate, minutes: number | null): string {
  return minutes === null ? '' : durationsOf(t).lateness(minutes)
}

type Kind = 'node' | 'task' | 'run' | 'cue'
type Value = NodeState | TaskStatus | RunStatus | CueState

/** A state as a badge: its colour from the stylesheet (`state--<value>`), its name in text. */
export function StateBadge({ kind, value, testId }: { kind: Kind; value: Value; testId?: string }) {
  const { t } = useI18n()
  return (
    <span
      className={`state state--${kind} state--${value}`}
      data-state={value}
      data-testid={testId}
    >
      {t(`${kind}State.${value}` as MessageKey)}
    </span>
  )
}

export function UrgencyText({ urgency, text }: { urgency: Urgency; text: string }) {
  if (!text) return null
  return <span className={`due due--${urgency}`}>{text}</span>
}

/** Whether the page is following changes live: a dot and a word. */
export function LiveBadge({ state }: { state: FeedState }) {
  const { t } = useI18n()
  return (
    <span className={`live live--${state}`} role="status" data-testid="live-state">
      <span className="live__dot" aria-hidden="true" />
      {t(`live.${state}` as MessageKey)}
    </span>
  )
}
