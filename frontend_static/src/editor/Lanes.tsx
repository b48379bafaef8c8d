// The three phase swimlanes and the go-live line, drawn in the canvas's own coordinates
// under the nodes.

import { ViewportPortal } from '@xyflow/react'
import { memo } from 'react'
import { useI18n } from '../i18n/react'
import type { Lanes as LaneGeometry } from '../model/lanes'
import { phaseLabel } from './labels'

function LanesView({ lanes }: { lanes: LaneGeometry }) {
  const { t } = useI18n()
  const height = lanes.bottom - lanes.top
  return (
    <ViewportPortal>
      <div className="lanes" aria-hidden="true">
        {lanes.lanes.map((lane) => (
          <div
            key={lane.phase}
            className={`lane lane--${lane.phase}`}
            data-testid={`lane-${lane.phase}`}
            style={{ left: lane.x0, top: lanes.top, width: lane.x1 - lane.x0, height }}
          >
            <div className="lane__title">{phaseLabel(t, lane.phase)}</div>
          </div>
        ))}
        <div
          className="go-live"
          data-testid="go-live"
          style={{ left: lanes.goLiveX, top: lanes.top, height }}
        >
          <span className="go-live__label">{t('canvas.goLive')}</span>
        </div>
      </div>
    </ViewportPortal>
  )
}

export const Lanes = memo(LanesView)
