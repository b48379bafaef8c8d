// Another tab (or a colleague) saved this draft first. The planner's work stays on screen
// until they choose: save theirs over it, or load the other save (undo brings theirs back).

import { useI18n } from '../i18n/react'
import type { Conflict } from '../model/editorState'
import { formatDateTime } from '../ui/format'

export function ConflictBanner(props: {
  conflict: Conflict
  onKeepMine: () => void
  onTakeTheirs: () => void
}) {
  const { t, lang } = useI18n()
  const { draft } = props.conflict
  return (
    <div className="banner banner--conflict" role="alert" data-testid="conflict-banner">
      <div>
        <strong>{t('conflict.title')}</strong>
        <p>
          {t('conflict.body', {
            revision: props.conflict.revision,
            when: formatDateTime(draft.updated_at, lang),
            nodes: draft.graph.nodes.length,
          })}
        </p>
      </div>
      <div className="banner__actions">
        <button type="button" className="button button--primary" onClick={props.onKeepMine}>
          {t('conflict.keepMine')}
        </button>
        <button type="button" className="button" onClick={props.onTakeTheirs}>
          {t('conflict.takeTheirs')}
        </button>
      </div>
    </div>
  )
}
