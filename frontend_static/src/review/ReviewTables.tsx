// The post-mortem's figures as tables: lateness by role and by person, targets against
// actuals, the problems raised, and where the slack to go-live went.

import type { Lateness, MetricResult, PostMortemFigures, ReportedProblem } from '../api/types'
import { roleLabel } from '../editor/labels'
import type { MessageKey } from '../i18n'
import { useI18n } from '../i18n/react'
import { formatDayTime } from '../ui/format'
import { durationsOf } from '../ui/durations'

const number = (value: number, lang: string) =>
  new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(value)

export function LatenessTable(props: {
  rows: Lateness[]
  kind: 'role' | 'person'
  titles: Map<string, string>
}) {
  const { t, lang, tx } = useI18n()
  const said = durationsOf(t)
  const heading = props.kind === 'role' ? t('review.byRole') : t('review.byPerson')
  if (props.rows.length === 0) {
    return (
      <section className="review-card" aria-label={heading}>
        <h2>{heading}</h2>
        <p className="muted">{t('review.nothingJudged')}</p>
      </section>
    )
  }
  return (
    <section className="review-card" aria-labelledby={`lateness-${props.kind}`}>
      <h2 id={`lateness-${props.kind}`}>{heading}</h2>
      <table className="data-table" data-testid={`lateness-${props.kind}`}>
        <thead>
          <tr>
            <th scope="col">{props.kind === 'role' ? t('review.role') : t('review.person')}</th>
            <th scope="col">{t('review.onTimeRate')}</th>
            <th scope="col">{t('review.lateTasks')}</th>
            <th scope="col">{t('review.earlyTasks')}</th>
            <th scope="col">{t('review.totalLate')}</th>
            <th scope="col">{t('review.worst')}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={String(row.key)}>
              <th scope="row">
                {props.kind === 'role'
                  ? roleLabel(tx, String(row.key ?? ''))
                  : row.name || t('room.unassigned')}
              </th>
              <td>
                <Meter percent={row.on_time_percent} />
                {t('review.onTimeOf', {
                  percent: number(row.on_time_percent, lang),
                  on_time: row.on_time,
                  judged: row.judged,
                })}
              </td>
              <td className={row.late > 0 ? 'late' : ''}>
                {row.late > 0
                  ? t('review.lateCount', {
                      count: row.late,
                      span: said.duration(row.mean_late_minutes),
                    })
                  : t('review.noneCount')}
              </td>
              <td>
                {row.early > 0
                  ? t('review.earlyCount', {
                      count: row.early,
                      span: said.duration(row.mean_early_minutes),
                    })
                  : t('review.noneCount')}
              </td>
              <td className={row.total_late_minutes > 0 ? 'late' : ''}>
                {row.total_late_minutes > 0 ? said.duration(row.total_late_minutes) : '—'}
              </td>
              <td>
                {props.titles.get(row.worst_node_id) ?? row.worst_node_id} ·{' '}
                {said.lateness(row.worst_lateness_minutes)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

export function Meter({ percent }: { percent: number | null }) {
  const value = Math.max(0, Math.min(100, percent ?? 0))
  return (
    <span className="meter" aria-hidden="true">
      <span className="meter__fill" style={{ width: `${value}%` }} />
    </span>
  )
}

export function TargetsTable({ report }: { report: PostMortemFigures }) {
  const { t, lang } = useI18n()
  return (
    <section className="review-card" aria-labelledby="targets-title">
      <h2 id="targets-title">{t('review.targets')}</h2>
      {report.metrics.length === 0 && <p className="muted">{t('review.noMetrics')}</p>}
      {report.metrics.length > 0 && (
        <table className="data-table" data-testid="targets">
          <thead>
            <tr>
              <th scope="col">{t('review.metric')}</th>
              <th scope="col">{t('review.actual')}</th>
              <th scope="col">{t('review.target')}</th>
              <th scope="col">{t('review.achievement')}</th>
            </tr>
          </thead>
          <tbody>
            {report.metrics.map((m: MetricResult) => (
              <tr key={`${m.node_id}.${m.key}`}>
                <th scope="row">
                  {m.label}
                  <small className="muted"> · {m.node_title}</small>
                </th>
                <td>
                  {number(m.actual, lang)} {m.unit}
                </td>
                <td>{m.target === null ? '—' : `${number(m.target, lang)} ${m.unit}`}</td>
                <td>
                  {m.achievement_percent === null ? (
                    '—'
                  ) : (
                    <>
                      <Meter percent={m.achievement_percent} />
                      <span className={m.achievement_percent >= 100 ? 'ok-message' : 'late'}>
                        {number(m.achievement_percent, lang)}%
                      </span>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.unfilled_metrics.length > 0 && (
        <p className="muted">
          {t('review.unfilled')}{' '}
          {report.unfilled_metrics.map((m) => `${m.label}（${m.node_title}）`).join('、')}
        </p>
      )}
    </section>
  )
}

export function ProblemsList(props: {
  problems: ReportedProblem[]
  people: Record<string, string>
  titles: Map<string, string>
  tz: string
}) {
  const { t, lang } = useI18n()
  const who = (id: number | null) => (id === null ? '—' : (props.people[String(id)] ?? `#${id}`))
  return (
    <section className="review-card" aria-labelledby="review-problems">
      <h2 id="review-problems">{t('room.problems')}</h2>
      {props.problems.length === 0 && <p className="muted">{t('room.noProblems')}</p>}
      <ul className="issue-list">
        {props.problems.map((p, index) => (
          <li key={index} className={`issue-item${p.resolution ? ' is-resolved' : ''}`}>
            <div className="issue-item__head">
              <span>{(p.node_id && props.titles.get(p.node_id)) || p.node_id || '—'}</span>
              {p.blocking && <span className="badge badge--error">{t('room.blocking')}</span>}
            </div>
            <p className="issue-item__note">{p.text}</p>
            <p className="muted issue-item__by">
              {t('room.reportedBy', {
                who: who(p.reported_by),
                time: formatDayTime(p.reported_at, lang, props.tz),
              })}
              {' · '}
              {p.resolution
                ? t('review.resolution', {
                    how: t(`review.how.${p.resolution.how}` as MessageKey),
                    who: who(p.resolution.by),
                    span: durationsOf(t).duration(p.resolution.minutes_open),
                  })
                : t('room.open')}
            </p>
            {p.resolution?.text && <p className="issue-item__note">{p.resolution.text}</p>}
          </li>
        ))}
      </ul>
    </section>
  )
}

export function SlackCard({ report }: { report: PostMortemFigures }) {
  const { t } = useI18n()
  const slack = report.go_live_slack
  if (!slack) return null
  const most = slack.steps.find((s) => s.node_id === slack.most_lost_node_id)
  const said = durationsOf(t)
  const minutes = (value: number | null) => said.duration(value)
  const lost = (value: number | null) =>
    value !== null && value < 0
      ? t('review.gained', { span: said.duration(value) })
      : minutes(value)
  return (
    <section className="review-card" aria-labelledby="slack-title">
      <h2 id="slack-title">{t('review.slack')}</h2>
      <p>{t('review.slackMilestone', { title: slack.milestone_title })}</p>
      <dl className="figures">
        <div>
          <dt>{t('review.plannedMargin')}</dt>
          <dd>{minutes(slack.planned_margin_minutes)}</dd>
        </div>
        <div>
          <dt>{t('review.actualMargin')}</dt>
          <dd>{minutes(slack.actual_margin_minutes)}</dd>
        </div>
        <div>
          <dt>{t('review.lost')}</dt>
          <dd className={(slack.lost_minutes ?? 0) > 0 ? 'late' : ''}>
            {lost(slack.lost_minutes)}
          </dd>
        </div>
      </dl>
      {most && (most.lost_minutes ?? 0) > 0 && (
        <p>{t('review.mostLost', { title: most.title, minutes: minutes(most.lost_minutes) })}</p>
      )}
    </section>
  )
}
