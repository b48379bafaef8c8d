// The post-mortem (复盘) of a run: the Gantt chart of planned against actual, lateness by
// role and person, targets against actuals, problems, where the slack went, improvement
// actions, the manager's summary and sign-off (or reopen), and the downloads (PDF,
// Markdown, the tasks as CSV).

import '../styles/review.css'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { Link, useParams } from 'react-router-dom'
import { postmortemApi } from '../api/postmortems'
import type { Member, PostMortem } from '../api/types'
import { workspacesApi } from '../api/workspaces'
import { can } from '../app/session'
import { useSession } from '../app/useSession'
import { useI18n } from '../i18n/react'
import { StateBadge } from '../runs/words'
import { durationsOf } from '../ui/durations'
import { errorText } from '../ui/errors'
import { formatDateTime } from '../ui/format'
import { Modal } from '../ui/Modal'
import { toast } from '../ui/toast'
import { useDocumentTitle } from '../ui/useDocumentTitle'
import { ActionsPanel } from './ActionsPanel'
import { GanttChart } from './GanttChart'
import { LatenessTable, Meter, ProblemsList, SlackCard, TargetsTable } from './ReviewTables'

type Dialog = 'sign' | 'reopen' | null

export default function PostMortemPage() {
  const params = useParams()
  const workspaceId = Number(params.ws)
  const runId = Number(params.id)
  const session = useSession()
  const me = session.status === 'ready' ? session.user.id : 0
  const mayWrite = can(session, workspaceId, 'postmortems.sign_off')
  const { t, lang, tx } = useI18n()
  const api = useMemo(() => postmortemApi(workspaceId, runId), [workspaceId, runId])
  const [report, setReport] = useState<PostMortem | null>(null)
  const [members, setMembers] = useState<Member[]>([])
  const [error, setError] = useState<string | null>(null)
  const [summary, setSummary] = useState('')
  const [dialog, setDialog] = useState<Dialog>(null)
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState(false)
  useDocumentTitle(report ? `${t('review.title')} · ${report.run_name}` : t('review.title'))

  const load = useCallback(async () => {
    try {
      const loaded = await api.get()
      setReport(loaded)
      setSummary(loaded.summary)
      setError(null)
    } catch (failure) {
      setError(errorText(failure, t, tx))
    }
  }, [api, t, tx])

  useEffect(() => {
    void load()
    workspacesApi(workspaceId)
      .members()
      .then(setMembers)
      .catch(() => setMembers([]))
  }, [load, workspaceId])

  async function act(action: () => Promise<PostMortem>, done: string) {
    setBusy(true)
    try {
      const next = await action()
      setReport(next)
      setSummary(next.summary)
      setDialog(null)
      toast(done, 'success')
    } catch (failure) {
      toast(errorText(failure, t, tx), 'error')
      await load()
    } finally {
      setBusy(false)
    }
  }

  if (error) {
    return (
      <div className="page">
        <p className="form-error" role="alert">
          {error}
        </p>
      </div>
    )
  }
  if (!report) return <p className="loading">{t('common.loading')}</p>

  const figures = report.report
  const locked = report.status === 'signed_off'
  const ended = report.run_status === 'completed' || report.run_status === 'cancelled'
  const titles = new Map(figures.nodes.map((n) => [n.node_id, n.title]))
  const showMinutes =
    figures.started_at && figures.ended_at
      ? (Date.parse(figures.ended_at) - Date.parse(figures.started_at)) / 60000
      : null

  return (
    <div className="page page--wide review" data-testid="postmortem" data-status={report.status}>
      <header className="review__head">
        <div>
          <Link to={`/w/${workspaceId}/runs/${runId}`} className="room__back">
            ← {t('review.backToRun')}
          </Link>
          <h1>
            {t('review.title')} · {report.run_name}
          </h1>
          <div className="room__badges">
            <StateBadge kind="run" value={report.run_status} />
            <span
              className={`state ${locked ? 'state--done' : 'state--open'}`}
              data-testid="report-status"
            >
              {locked
                ? t('review.signedOff', { revision: report.revision })
                : t('review.open', { revision: report.revision })}
            </span>
            <span className="muted">{report.live ? t('review.live') : t('review.asSigned')}</span>
          </div>
        </div>
        <nav className="review__downloads" aria-label={t('review.downloads')}>
          <a className="button" href={api.exports.pdf} download>
            {t('review.pdf')}
          </a>
          <a className="button" href={api.exports.markdown} download>
            {t('review.markdown')}
          </a>
          <a className="button" href={api.exports.csv} download>
            {t('review.csv')}
          </a>
        </nav>
      </header>

      <dl className="kpis">
        <div className="kpi">
          <dt>{t('review.onTimeRate')}</dt>
          <dd>
            {figures.on_time.percent === null ? '—' : `${figures.on_time.percent}%`}
            <Meter percent={figures.on_time.percent} />
            <small>
              {t('review.onTimeDetail', {
                on_time: figures.on_time.on_time,
                judged: figures.on_time.judged,
              })}
            </small>
          </dd>
        </div>
        <div className="kpi">
          <dt>{t('review.duration')}</dt>
          <dd>
            {durationsOf(t).duration(showMinutes)}
            <small>{formatDateTime(figures.go_live, lang, figures.tz)}</small>
          </dd>
        </div>
        <div className="kpi">
          <dt>{t('room.problems')}</dt>
          <dd>
            {figures.problems.length}
            <small>
              {t('review.unresolved', {
                count: figures.problems.filter((p) => !p.resolution).length,
              })}
            </small>
          </dd>
        </div>
        {figures.metrics
          .filter((m) => m.achievement_percent !== null)
          .slice(0, 2)
          .map((m) => (
            <div className="kpi" key={`${m.node_id}.${m.key}`}>
              <dt>{m.label}</dt>
              <dd>
                {m.achievement_percent}%
                <Meter percent={m.achievement_percent} />
                <small>{t('review.ofTarget')}</small>
              </dd>
            </div>
          ))}
      </dl>

      <GanttChart nodes={figures.nodes} goLive={figures.go_live} tz={figures.tz} />

      <div className="review__grid">
        <LatenessTable rows={figures.by_role} kind="role" titles={titles} />
        <LatenessTable rows={figures.by_person} kind="person" titles={titles} />
        <TargetsTable report={figures} />
        <SlackCard report={figures} />
        <ProblemsList
          problems={figures.problems}
          people={figures.people}
          titles={titles}
          tz={figures.tz}
        />
        <ActionsPanel
          workspaceId={workspaceId}
          actions={report.actions}
          members={members}
          me={me}
          mayWrite={mayWrite}
          locked={locked}
          onAdd={async (input) => {
            await api.addAction(input)
            await load()
          }}
          onChanged={load}
        />
      </div>

      <section className="review-card review__signoff" aria-labelledby="signoff-title">
        <h2 id="signoff-title">{t('review.summaryTitle')}</h2>
        {mayWrite && !locked ? (
          <>
            <label className="field">
              <span>{t('review.summary')}</span>
              <textarea
                rows={5}
                value={summary}
                maxLength={20000}
                placeholder={t('review.summaryPlaceholder')}
                onChange={(event) => setSummary(event.target.value)}
              />
            </label>
            <div className="review__signoff-actions">
              <button
                type="button"
                className="button"
                disabled={busy || summary === report.summary}
                onClick={() => act(() => api.saveSummary(summary), t('review.summarySaved'))}
              >
                {t('review.saveSummary')}
              </button>
              <button
                type="button"
                className="button button--primary"
                disabled={busy || !ended}
                onClick={() => setDialog('sign')}
              >
                {t('review.signOff')}
              </button>
              {!ended && <span className="muted">{t('review.notEnded')}</span>}
            </div>
          </>
        ) : (
          <p className="review__summary">{report.summary || t('review.noSummary')}</p>
        )}
        {report.signed_off && (
          <p className="ok-message" data-testid="signed-off">
            {t('review.signedBy', {
              who: report.signed_off.signed_by?.name ?? '—',
              when: formatDateTime(report.signed_off.signed_at, lang),
              revision: report.signed_off.revision,
            })}
          </p>
        )}
        {mayWrite && locked && (
          <button type="button" className="button" onClick={() => setDialog('reopen')}>
            {t('review.reopen')}
          </button>
        )}
        {report.sign_offs.length > 1 && (
          <details>
            <summary>{t('review.history', { count: report.sign_offs.length })}</summary>
            <ul>
              {report.sign_offs.map((s) => (
                <li key={s.revision}>
                  {t('review.signedBy', {
                    who: s.signed_by?.name ?? '—',
                    when: formatDateTime(s.signed_at, lang),
                    revision: s.revision,
                  })}
                </li>
              ))}
            </ul>
          </details>
        )}
      </section>

      {dialog === 'sign' && (
        <Modal
          title={t('review.signTitle')}
          onClose={() => setDialog(null)}
          footer={
            <>
              <button type="button" className="button" onClick={() => setDialog(null)}>
                {t('common.cancel')}
              </button>
              <button
                type="button"
                className="button button--primary"
                disabled={busy}
                onClick={() => act(() => api.signOff(summary), t('review.signedToast'))}
              >
                {t('review.signConfirm')}
              </button>
            </>
          }
        >
          <p>{t('review.signBody', { revision: report.revision })}</p>
        </Modal>
      )}
      {dialog === 'reopen' && (
        <Modal
          title={t('review.reopenTitle')}
          onClose={() => setDialog(null)}
          footer={
            <>
              <button type="button" className="button" onClick={() => setDialog(null)}>
                {t('common.cancel')}
              </button>
              <button
                type="button"
                className="button button--primary"
                disabled={busy || !reason.trim()}
                onClick={() => act(() => api.reopen(reason.trim()), t('review.reopened'))}
              >
                {t('review.reopen')}
              </button>
            </>
          }
        >
          <label className="field">
            <span>{t('room.reason')}</span>
            <input
              autoFocus
              value={reason}
              maxLength={2000}
              onChange={(event) => setReason(event.target.value)}
            />
          </label>
        </Modal>
      )}
    </div>
  )
}
