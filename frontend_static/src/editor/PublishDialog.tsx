// Publish the saved draft as a new immutable version, with an optional note. When the
// draft still has errors, the server refuses and the dialog lists them.

import { useState, type FormEvent } from 'react'
import { useI18n } from '../i18n/react'
import type { EditorSession } from '../model/editorSession'
import type { Graph } from '../model/graph'
import type { Problem } from '../model/problems'
import { errorText } from '../ui/errors'
import { Modal } from '../ui/Modal'
import { toast } from '../ui/toast'
import { ProblemList } from './ProblemsPanel'

export function PublishDialog(props: {
  session: EditorSession
  graph: Graph
  onClose: () => void
  onPublished: () => void
  onFocus: (nodeIds: string[], edgeIds: string[]) => void
}) {
  const { t, tx } = useI18n()
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [refused, setRefused] = useState<Problem[] | null>(null)
  const [error, setError] = useState<string | null>(null)

  async function submit(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setError(null)
    const outcome = await props.session.publish(note.trim())
    setBusy(false)
    if (outcome.kind === 'published') {
      toast(t('publish.done', { number: outcome.version.number }), 'success')
      props.onPublished()
      props.onClose()
    } else if (outcome.kind === 'refused') setRefused(outcome.problems)
    else if (outcome.kind === 'unsaved') setError(t('publish.unsaved'))
    else setError(errorText(outcome.error, t, tx))
  }

  return (
    <Modal
      title={refused ? t('publish.refusedTitle') : t('publish.title')}
      onClose={props.onClose}
      testId="publish-dialog"
      wide={refused !== null}
    >
      {refused ? (
        <div data-testid="publish-refused">
          <p>
            {t('publish.refused', { count: refused.filter((p) => p.severity === 'error').length })}
          </p>
          <ProblemList
            problems={refused}
            graph={props.graph}
            onFocus={(nodes, edges) => {
              props.onFocus(nodes, edges)
              props.onClose()
            }}
          />
          <div className="modal__foot">
            <button type="button" className="button" onClick={props.onClose}>
              {t('common.close')}
            </button>
          </div>
        </div>
      ) : (
        <form className="form" onSubmit={submit}>
          <p className="muted">{t('publish.explain')}</p>
          <label className="field">
            <span>{t('publish.note')}</span>
            <textarea
              rows={3}
              value={note}
              maxLength={2000}
              placeholder={t('publish.notePlaceholder')}
              onChange={(e) => setNote(e.target.value)}
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
            <button type="submit" className="button button--primary" disabled={busy}>
              {busy ? t('publish.publishing') : t('publish.submit')}
            </button>
          </div>
        </form>
      )}
    </Modal>
  )
}
