// Small line icons (24×24, currentColor), so no glyph depends on the fonts installed.

import type { NodeKind } from '../model/graph'

const PATHS: Record<NodeKind | 'duration', string> = {
  start: 'M8 5.5v13l10-6.5z',
  task: 'M4 5h16v14H4zM8 12l3 3 5-6',
  approval: 'M12 3v4M6 7h12M6 7l-3 7h6zM18 7l-3 7h6zM8 21h8M12 7v14',
  wait: 'M12 21a8 8 0 1 0 0-16 8 8 0 0 0 0 16zM12 9v4l3 2M10 2h4',
  notify: 'M4 6h16v12H4zM4 7l8 6 8-6',
  decision: 'M12 3l9 9-9 9-9-9z',
  recurring: 'M17 2l3 3-3 3M4 11V9a4 4 0 0 1 4-4h12M7 22l-3-3 3-3M20 13v2a4 4 0 0 1-4 4H4',
  end: 'M6 6h12v12H6z',
  duration: 'M7 3h10M7 21h10M8 3c0 5 8 5 8 9s-8 4-8 9M16 3c0 5-8 5-8 9s8 4 8 9',
}

export function Icon({ name, size = 14 }: { name: NodeKind | 'duration'; size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} fill={name === 'start' || name === 'end' ? 'currentColor' : 'none'} />
    </svg>
  )
}
