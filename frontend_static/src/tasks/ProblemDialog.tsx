// Report a problem on a task: what is wrong, and whether it stops the work (blocking).

import { useState, type FormEvent } from 'react'
import { useI18n } from '../i18n/react'
import { Modal } from '../ui/Modal'

export function ProblemDialog(props: {
  onClose: () => void
  onSend: (note: string, blocking: boolean) => Promise<void>
}) {
  const { t } = useI18n()
  const [note, setNote] = useState('')
  const [blocking, setBlocking] = useState(true)
  const [busy, setBusy] = useState(false)

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (!note.trim()) return
    setBusy(true)
    try {
      await props.onSend(note.trim(), blocking)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Modal title={t('report.title')} onClose={props.onClose} testId="problem-dialog">
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span>{t('report.what')}</span>
          <textarea
            rows={4}
            required
            autoFocus
            maxLength={5000}
            value={note}
            placeholder={t('report.placeholder')}
            onChange={(event) => setNote(event.target.value)}
          />
        </label>
        <label className="check-row">
          <input
            type="checkbox"
            checked={blocking}
            onChange={(event) => setBlocking(event.target.checked)}
          />
          <span>{t('report.blocking')}</span>
        </label>
        <div className="modal__foot">
          <button type="button" className="button button--large" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            className="button button--primary button--large"
            disabled={busy || !note.trim()}
          >
            {t('report.send')}
          </button>
        </div>
      </form>
    </Modal>
  )
}
