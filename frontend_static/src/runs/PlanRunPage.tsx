// Plan a run: pick a published runbook and version, set go-live and time zone, cast
// workspace members into every role the version needs, set its targets, and start it
// (or keep it scheduled). The API's field errors land next to their inputs.

import '../styles/runs.css'
import { useEffect, useMemo, useState, type FormEvent } from 'react'
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom'
import { ApiError } from '../api/client'
import { draftApi, runbooksApi } from '../api/runbooks'
import { runsApi } from '../api/runs'
import type { Member, RunbookSummary, Version, VersionWithGraph } from '../api/types'
import { workspacesApi } from '../api/workspaces'
import type { MessageKey } from '../i18n'
import { useI18n } from '../i18n/react'
import {
  initialVariables,
  planBody,
  prefilledRoster,
  rolesNeeded,
  targetVariables,
  toggleCast,
  validatePlan,
  type PlanForm,
} from '../model/runPlan'
import { messagesByField } from '../model/problems'
import { defaultGoLive } from '../model/timezone'
import { can } from '../app/session'
import { useSession } from '../app/useSession'
import { errorText } from '../ui/errors'
import { toast } from '../ui/toast'
import { Field, RosterSection, TargetsSection } from './PlanFields'
import { useDocumentTitle } from '../ui/useDocumentTitle'

export const ZONES = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Europe/London',
  'America/Los_Angeles',
  'UTC',
]

export default function PlanRunPage() {
  const { ws } = useParams()
  const workspaceId = Number(ws)
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const { t, tx } = useI18n()
  const mayPlan = can(useSession(), workspaceId, 'runs.manage')
  useDocumentTitle(t('plan.title'))
  const [runbooks, setRunbooks] = useState<RunbookSummary[] | null>(null)
  const [members, setMembers] = useState<Member[]>([])
  const [versions, setVersions] = useState<Version[]>([])
  const [version, setVersion] = useState<VersionWithGraph | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [form, setForm] = useState<PlanForm>(() => ({
    runbookId: Number(params.get('runbook')) || null,
    version: null,
    name: '',
    goLive: defaultGoLive(new Date(), 'Asia/Shanghai'),
    tz: 'Asia/Shanghai',
    roster: {},
    variables: {},
    start: true,
  }))
  const [shown, setShown] = useState<Record<string, string>>({})
  const [prefilledFrom, setPrefilledFrom] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    if (!mayPlan) return
    Promise.all([runbooksApi(workspaceId).list(), workspacesApi(workspaceId).members()])
      .then(([list, people]) => {
        const published = list.filter((r) => r.latest_version !== null)
        setRunbooks(published)
        setMembers(people)
        setForm((f) => ({ ...f, runbookId: f.runbookId ?? published[0]?.id ?? null }))
      })
      .catch((failure) => setLoadError(errorText(failure, t, tx)))
  }, [workspaceId, mayPlan, t, tx])

  // The runbook's versions, the latest chosen.
  useEffect(() => {
    if (form.runbookId === null) return
    let stale = false
    draftApi(workspaceId, form.runbookId)
      .versions()
      .then((list) => {
        if (stale) return
        setVersions(list)
        const latest = Math.max(0, ...list.map((v) => v.number)) || null
        setForm((f) => ({ ...f, version: latest }))
      })
      .catch((failure) => setLoadError(errorText(failure, t, tx)))
    return () => {
      stale = true
    }
  }, [workspaceId, form.runbookId, t, tx])

  // The runbook's last run: its roster starts the form (the planner edits from there).
  useEffect(() => {
    if (form.runbookId === null || members.length === 0) return
    let stale = false
    const memberIds = new Set(members.map((m) => m.user_id))
    runbooksApi(workspaceId)
      .lastRoster(form.runbookId)
      .then((last) => {
        if (stale) return
        setForm((f) => ({ ...f, roster: prefilledRoster(last.roster, memberIds) }))
        setPrefilledFrom(last.run_id === null ? null : (last.run_name ?? ''))
      })
      .catch(() => setPrefilledFrom(null))
    return () => {
      stale = true
    }
  }, [workspaceId, form.runbookId, members])

  // The version's graph: the roles to fill and the targets to set.
  useEffect(() => {
    if (form.runbookId === null || form.version === null) return
    let stale = false
    draftApi(workspaceId, form.runbookId)
      .version(form.version)
      .then((loaded) => {
        if (stale) return
        setVersion(loaded)
        setForm((f) => ({ ...f, variables: initialVariables(loaded.graph) }))
      })
      .catch((failure) => setLoadError(errorText(failure, t, tx)))
    return () => {
      stale = true
    }
  }, [workspaceId, form.runbookId, form.version, t, tx])

  const graph = version?.graph ?? null
  const roles = useMemo(() => (graph ? rolesNeeded(graph) : []), [graph])
  const targets = useMemo(() => (graph ? targetVariables(graph) : []), [graph])
  const people = useMemo(
    () => [...members].sort((a, b) => Number(b.role === 'staff') - Number(a.role === 'staff')),
    [members],
  )

  function update(patch: Partial<PlanForm>, ...fields: string[]) {
    setForm((f) => ({ ...f, ...patch }))
    if (fields.some((field) => shown[field])) {
      const rest = { ...shown }
      for (const field of fields) delete rest[field]
      setShown(rest)
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    const local = validatePlan(form, graph)
    if (Object.keys(local).length || !graph) {
      setShown(
        Object.fromEntries(
          Object.entries(local).map(([field, code]) => [
            field,
            t(`plan.error.${code}` as MessageKey),
          ]),
        ),
      )
      showFirstError()
      return
    }
    setBusy(true)
    try {
      const run = await runsApi(workspaceId).create(planBody(form, graph))
      toast(t(form.start ? 'plan.started' : 'plan.scheduled', { name: run.name }), 'success')
      navigate(`/w/${workspaceId}/runs/${run.id}`)
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 422 && failure.errors.length) {
        setShown(messagesByField(failure.errors))
        showFirstError()
      } else {
        setShown({ '': errorText(failure, t, tx) })
      }
    } finally {
      setBusy(false)
    }
  }

  const known = new Set([
    'runbook_id',
    'version',
    'name',
    'go_live',
    'tz',
    ...roles.map((r) => `roster.${r}`),
    ...targets.map((v) => `variables.${v.key}`),
  ])
  const other = Object.entries(shown).filter(([field]) => !known.has(field))

  if (!mayPlan) {
    return (
      <div className="page">
        <p className="form-error" role="alert">
          {t('plan.notAllowed')}
        </p>
      </div>
    )
  }
  if (loadError) {
    return (
      <div className="page">
        <p className="form-error" role="alert">
          {loadError}
        </p>
      </div>
    )
  }
  if (runbooks === null) return <p className="loading">{t('common.loading')}</p>

  return (
    <div className="page page--narrow">
      <div className="page__head">
        <h1>{t('plan.title')}</h1>
        <Link to={`/w/${workspaceId}/runs`}>{t('plan.backToRuns')}</Link>
      </div>
      {runbooks.length === 0 ? (
        <div className="empty">
          <p>{t('plan.noPublished')}</p>
          <Link to={`/w/${workspaceId}/runbooks`}>{t('shell.runbooks')}</Link>
        </div>
      ) : (
        <form className="plan" onSubmit={submit} noValidate aria-label={t('plan.title')}>
          <section className="plan__section" aria-labelledby="plan-what">
            <h2 id="plan-what">{t('plan.what')}</h2>
            <div className="field-row">
              <Field label={t('plan.runbook')} error={shown.runbook_id} id="plan-runbook">
                <select
                  id="plan-runbook"
                  value={form.runbookId ?? ''}
                  onChange={(e) =>
                    update({ runbookId: Number(e.target.value), version: null }, 'runbook_id')
                  }
                >
                  {runbooks.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label={t('plan.version')} error={shown.version} id="plan-version">
                <select
                  id="plan-version"
                  value={form.version ?? ''}
                  onChange={(e) => update({ version: Number(e.target.value) }, 'version')}
                >
                  {[...versions]
                    .sort((a, b) => b.number - a.number)
                    .map((v) => (
                      <option key={v.number} value={v.number}>
                        {t('list.version', { number: v.number })}
                        {v.note ? ` · ${v.note}` : ''}
                      </option>
                    ))}
                </select>
              </Field>
            </div>
            <Field
              label={t('plan.name')}
              error={shown.name}
              id="plan-name"
              hint={t('plan.nameHint')}
            >
              <input
                id="plan-name"
                value={form.name}
                maxLength={200}
                onChange={(e) => update({ name: e.target.value }, 'name')}
              />
            </Field>
            <div className="field-row">
              <Field label={t('plan.goLive')} error={shown.go_live} id="plan-go-live">
                <input
                  id="plan-go-live"
                  type="datetime-local"
                  value={form.goLive}
                  onChange={(e) => update({ goLive: e.target.value }, 'go_live')}
                />
              </Field>
              <Field label={t('timeline.tz')} error={shown.tz} id="plan-tz">
                <select
                  id="plan-tz"
                  value={form.tz}
                  onChange={(e) => update({ tz: e.target.value }, 'tz')}
                >
                  {ZONES.map((z) => (
                    <option key={z} value={z}>
                      {z}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
          </section>

          <RosterSection
            roles={roles}
            people={people}
            roster={form.roster}
            errors={shown}
            loading={!graph}
            prefilledFrom={prefilledFrom}
            onToggle={(role, userId) =>
              update({ roster: toggleCast(form.roster, role, userId) }, `roster.${role}`)
            }
          />
          <TargetsSection
            targets={targets}
            values={form.variables}
            errors={shown}
            onChange={(key, value) =>
              update({ variables: { ...form.variables, [key]: value } }, `variables.${key}`)
            }
          />

          {other.length > 0 && (
            <div className="form-error" role="alert">
              <ul>
                {other.map(([field, message]) => (
                  <li key={field}>{field ? `${field}: ${message}` : message}</li>
                ))}
              </ul>
            </div>
          )}
          <div className="plan__submit">
            {Object.keys(shown).length > 0 && (
              <p className="plan__problems" role="alert" data-testid="plan-problems">
                {t('plan.problems', { count: Object.keys(shown).length })}{' '}
                <button type="button" className="link-button" onClick={showFirstError}>
                  {t('plan.showProblem')}
                </button>
              </p>
            )}
            <label className="check-row">
              <input
                type="checkbox"
                checked={form.start}
                onChange={(e) => update({ start: e.target.checked })}
              />
              <span>{t('plan.startNow')}</span>
            </label>
            <button type="submit" className="button button--primary button--large" disabled={busy}>
              {form.start ? t('plan.submitStart') : t('plan.submit')}
            </button>
          </div>
        </form>
      )}
    </div>
  )
}

/** Bring the first field with a problem into view above the sticky submit bar. */
function showFirstError() {
  requestAnimationFrame(() => {
    const first = document.querySelector<HTMLElement>(
      '.plan [aria-invalid="true"], .plan .is-invalid',
    )
    first?.scrollIntoView({ block: 'center', behavior: 'smooth' })
    first?.focus({ preventScroll: true })
  })
}
