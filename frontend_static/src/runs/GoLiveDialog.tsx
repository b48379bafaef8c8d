// Move a run's go-live: choose the new time, see every time that would shift and who would
// be told (the preview changes nothing), then apply.

import { useState, type FormEvent } from 'react'
import { runsApi } from '../api/runs'
import type { GoLiveMove, Member, RunDetail } from '../api/types'
import type { MessageKey } from '../i18n'
import { useI18n } from '../i18n/react'
import { isoToZoned, zonedToIso } from '../model/timezone'
import { errorText } from '../ui/errors'
import { formatDateTime } from '../ui/format'
import { Modal } from '../ui/Modal'
import { toast } from '../ui/toast'

export function GoLiveDialog(props: {
  workspaceId: number
  run: RunDetail
  members: Member[]
  onClose: () => void
  onMoved: () => Promise<void>
}) {
  const { run } = props
  const { t, lang, tx } = useI18n()
  const [initial] = useState(() => isoToZoned(run.go_live, run.tz))
  const [local, setLocal] = useState(initial)
  const [preview, setPreview] = useState<GoLiveMove | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const api = runsApi(props.workspaceId)
  const titles = new Map(run.nodes.map((n) => [n.node_id, n.title]))
  const names = new Map(props.members.map((m) => [m.user_id, m.name]))

  async function ask(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      setPreview(await api.previewGoLive(run.id, zonedToIso(local, run.tz)))
    } catch (failure) {
      setError(errorText(failure, t, tx))
    } finally {
      setBusy(false)
    }
  }

  async function apply() {
    setBusy(true)
    try {
      await api.moveGoLive(run.id, zonedToIso(local, run.tz))
      toast(t('goLive.moved'), 'success')
      await props.onMoved()
    } catch (failure) {
      setError(errorText(failure, t, tx))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Modal title={t('goLive.title')} onClose={props.onClose} wide testId="go-live-dialog">
      <form className="golive__form" onSubmit={ask}>
        <label className="field">
          <span>{t('goLive.newTime', { tz: run.tz })}</span>
          <input
            type="datetime-local"
            required
            value={local}
            onChange={(event) => {
              setLocal(event.target.value)
              setPreview(null)
            }}
          />
        </label>
        <button type="submit" className="button" disabled={busy || local === initial}>
          {t('goLive.preview')}
        </button>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {preview && (
        <div className="golive__preview" data-testid="go-live-preview">
          <p>
            {t('goLive.summary', {
              from: formatDateTime(preview.old, lang, run.tz),
              to: formatDateTime(preview.new, lang, run.tz),
              count: preview.shifts.length,
              people: preview.notified_user_ids.length,
            })}
          </p>
          {preview.shifts.length > 0 && (
            <table className="golive__table">
              <thead>
                <tr>
                  <th scope="col">{t('goLive.what')}</th>
                  <th scope="col">{t('goLive.kind')}</th>
                  <th scope="col">{t('goLive.old')}</th>
                  <th scope="col">{t('goLive.new')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.shifts.slice(0, 50).map((shift) => (
                  <tr key={`${shift.node_id}-${shift.kind}-${shift.index}`}>
                    <td>{titles.get(shift.node_id) ?? shift.node_id}</td>
                    <td>{t(`goLive.kind.${shift.kind}` as MessageKey)}</td>
                    <td>{formatDateTime(shift.old, lang, run.tz)}</td>
                    <td>{formatDateTime(shift.new, lang, run.tz)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {preview.shifts.length > 50 && (
            <p className="muted">{t('goLive.more', { count: preview.shifts.length - 50 })}</p>
          )}
          {preview.notified_user_ids.length > 0 && (
            <p>
              {t('goLive.notified')}{' '}
              {preview.notified_user_ids.map((id) => names.get(id) ?? `#${id}`).join('、')}
            </p>
          )}
        </div>
      )}
      <footer className="modal__foot">
        <button type="button" className="button" onClick={props.onClose}>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className="button button--primary"
          disabled={!preview || busy}
          onClick={apply}
        >
          {t('goLive.apply')}
        </button>
      </footer>
    </Modal>
  )
}
