// The node kinds a planner drags onto the canvas (or adds with Enter from the keyboard).

import { useI18n } from '../i18n/react'
import { PALETTE_KINDS, type NodeKind } from '../model/graph'
import type { MessageKey } from '../i18n'
import { Icon } from '../ui/icons'
import { kindLabel } from './labels'
import { KIND_MIME } from './useAddNode'

export function Palette(props: { onAdd: (kind: NodeKind) => void; disabled: boolean }) {
  const { t } = useI18n()
  return (
    <aside className="palette" aria-label={t('palette.title')}>
      <h2 className="panel-title">{t('palette.title')}</h2>
      <p className="palette__hint">{t('palette.hint')}</p>
      <ul>
        {PALETTE_KINDS.map((kind) => (
          <li key={kind}>
            <button
              type="button"
              className={`palette__item palette__item--${kind}`}
              draggable={!props.disabled}
              disabled={props.disabled}
              data-testid={`palette-${kind}`}
              title={t(`kindHint.${kind}` as MessageKey)}
              onDragStart={(event) => {
                event.dataTransfer.setData(KIND_MIME, kind)
                event.dataTransfer.effectAllowed = 'copy'
              }}
              onClick={() => props.onAdd(kind)}
            >
              <span className="palette__icon" aria-hidden="true">
                <Icon name={kind} />
              </span>
              <span>{kindLabel(t, kind)}</span>
            </button>
          </li>
        ))}
      </ul>
    </aside>
  )
}
