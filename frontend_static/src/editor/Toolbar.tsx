// The editor's toolbar: where the draft stands, undo/redo, layout and view, the panels,
// export and publish.

import { Link } from 'react-router-dom'
import { useI18n } from '../i18n/react'
import { isDirty, type EditorState } from '../model/editorState'
import { canRedo, canUndo } from '../model/history'
import type { ProblemCounts } from '../model/problems'
import { formatDateTime } from '../ui/format'

export function SaveStatus({ state }: { state: EditorState }) {
  const { t, lang } = useI18n()
  const { status, savedAt } = state.save
  let text: string
  let tone: string
  if (state.readOnly) [text, tone] = [t('save.readOnly'), 'muted']
  else if (status === 'conflict') [text, tone] = [t('save.conflict'), 'error']
  else if (status === 'saving') [text, tone] = [t('save.saving'), 'busy']
  else if (status === 'failed')
    [text, tone] = [
      state.save.error === 'graph.invalid_document' ? t('save.refused') : t('save.failed'),
      'error',
    ]
  else if (isDirty(state)) [text, tone] = [t('save.unsaved'), 'busy']
  else [text, tone] = [t('save.saved'), 'ok']
  return (
    <span
      className={`save-status save-status--${tone}`}
      role="status"
      data-testid="save-status"
      data-state={
        state.readOnly ? 'readonly' : status === 'idle' && isDirty(state) ? 'dirty' : status
      }
      title={
        savedAt
          ? t('save.lastSaved', {
              when: formatDateTime(savedAt, lang),
              revision: state.save.baseRevision,
            })
          : undefined
      }
    >
      {text}
    </span>
  )
}

export function Toolbar(props: {
  workspaceId: number
  name: string
  state: EditorState
  counts: ProblemCounts
  timelineOpen: boolean
  onUndo: () => void
  onRedo: () => void
  onLayout: () => void
  onFit: () => void
  onSave: () => void
  onTimeline: () => void
  onProblems: () => void
  onExport: () => void
  onPublish: () => void
  busy: boolean
}) {
  const { t } = useI18n()
  const { state, counts } = props
  const ro = state.readOnly
  return (
    <div className="toolbar" role="toolbar" aria-label={t('toolbar.label')}>
      <div className="toolbar__group toolbar__title">
        <Link
          to={`/w/${props.workspaceId}/runbooks`}
          className="back-link"
          aria-label={t('toolbar.back')}
        >
          ←
        </Link>
        <h1 title={props.name}>{props.name}</h1>
        <SaveStatus state={state} />
      </div>
      <div className="toolbar__group">
        <button
          type="button"
          className="tool"
          onClick={props.onUndo}
          disabled={ro || !canUndo(state.history)}
          aria-label={t('toolbar.undo')}
          title={`${t('toolbar.undo')} (Ctrl/⌘+Z)`}
        >
          ↶
        </button>
        <button
          type="button"
          className="tool"
          onClick={props.onRedo}
          disabled={ro || !canRedo(state.history)}
          aria-label={t('toolbar.redo')}
          title={`${t('toolbar.redo')} (Ctrl/⌘+Shift+Z)`}
        >
          ↷
        </button>
        <span className="toolbar__sep" />
        <button
          type="button"
          className="tool tool--text"
          onClick={props.onLayout}
          disabled={ro || props.busy}
          title={t('toolbar.layoutHint')}
        >
          {t('toolbar.layout')}
        </button>
        <button type="button" className="tool tool--text" onClick={props.onFit}>
          {t('toolbar.fit')}
        </button>
        <button
          type="button"
          className={`tool tool--text${props.timelineOpen ? ' is-on' : ''}`}
          aria-pressed={props.timelineOpen}
          onClick={props.onTimeline}
        >
          {t('toolbar.timeline')}
        </button>
      </div>
      <div className="toolbar__group toolbar__end">
        <button
          type="button"
          className={`problem-count${counts.errors ? ' problem-count--error' : counts.warnings ? ' problem-count--warning' : ' problem-count--ok'}`}
          onClick={props.onProblems}
          data-testid="problem-count"
          aria-label={t('toolbar.problems', { errors: counts.errors, warnings: counts.warnings })}
        >
          <span className="problem-count__errors">✕ {counts.errors}</span>
          <span className="problem-count__warnings">△ {counts.warnings}</span>
        </button>
        <button type="button" className="button" onClick={props.onExport}>
          {t('toolbar.export')}
        </button>
        {!ro && (
          <>
            <button
              type="button"
              className="button"
              onClick={props.onSave}
              disabled={props.busy}
              title="Ctrl/⌘+S"
            >
              {t('toolbar.save')}
            </button>
            <button
              type="button"
              className="button button--primary"
              onClick={props.onPublish}
              disabled={props.busy}
            >
              {t('toolbar.publish')}
            </button>
          </>
        )}
      </div>
    </div>
  )
}
