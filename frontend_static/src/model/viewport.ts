// Where the editor's canvas looks when a runbook opens (and when the planner asks to fit):
// the whole runbook when it fits at a readable zoom; otherwise readable, centred on the
// show (the execution lane with go-live, T0, and the edge of the lanes either side), the
// rest reached by panning along the lanes. Never a blank view: the window is moved
// vertically to where the nodes are. Pure: lanes.ts geometry in, a viewport out.

import type { Graph } from './graph'
import { NODE_HEIGHT, NODE_WIDTH, type Lanes } from './lanes'

/** Below this zoom a node's title (13 px) is no longer legible. */
export const MIN_READABLE_ZOOM = 0.6
export const MAX_OPENING_ZOOM = 1
/** Room left around the content, in screen pixels. */
const MARGIN = 24
/** A wide show starts this much flow width before T0 (a column of the lane before). */
const NEIGHBOUR = 260
/** Above the top node: room for the lane's title and the T0 label. */
const HEADROOM = 70

export interface Viewport {
  x: number
  y: number
  zoom: number
}

/** The opening view of `graph` (with its `lanes`) on a canvas `width` × `height` px. */
export function openingViewport(graph: Graph, lanes: Lanes, width: number, height: number) {
  const x0 = lanes.lanes[0].x0
  const x1 = lanes.lanes[2].x1
  const room = (px: number) => Math.max(px - 2 * MARGIN, 1)
  const whole = Math.min(
    room(width) / (x1 - x0),
    room(height) / (lanes.bottom - lanes.top),
    MAX_OPENING_ZOOM,
  )
  if (whole >= MIN_READABLE_ZOOM) {
    return centred((x0 + x1) / 2, (lanes.top + lanes.bottom) / 2, whole, width, height)
  }
  // Readable: the show in the middle, the lanes either side as far as they reach.
  const show = lanes.lanes[1]
  const zoom = MIN_READABLE_ZOOM
  const span = width / zoom
  const cx =
    show.x1 - show.x0 + (2 * MARGIN) / zoom <= span
      ? (show.x0 + show.x1) / 2
      : show.x0 - NEIGHBOUR / 2 + span / 2 // a wide show: start just before T0
  const left = clamp(cx - span / 2, x0 - MARGIN / zoom, Math.max(x1 - span, x0))
  const cy = verticalCentre(graph, left, left + span, height / zoom)
  return centred(left + span / 2, cy, zoom, width, height)
}

/** The flow y to centre on: the nodes inside [left, right] all in view when they fit,
 * else the middle of them (the median node), so the view is never empty. */
function verticalCentre(graph: Graph, left: number, right: number, span: number): number {
  const inside = graph.nodes.filter((n) => n.x + NODE_WIDTH > left && n.x < right)
  const nodes = inside.length ? inside : graph.nodes
  if (nodes.length === 0) return 0
  const top = Math.min(...nodes.map((n) => n.y)) - HEADROOM
  const bottom = Math.max(...nodes.map((n) => n.y + NODE_HEIGHT))
  if (bottom - top <= span) return (top + bottom) / 2
  const ys = nodes.map((n) => n.y).sort((a, b) => a - b)
  return ys[Math.floor((ys.length - 1) / 2)] + NODE_HEIGHT / 2
}

function centred(cx: number, cy: number, zoom: number, width: number, height: number) {
  return { x: width / 2 - cx * zoom, y: height / 2 - cy * zoom, zoom }
}

const clamp = (value: number, lo: number, hi: number) => Math.min(Math.max(value, lo), hi)

/** Whether nodes share a spot (a graph written without positions): it needs a layout. */
export function needsLayout(graph: Graph): boolean {
  const spots = new Set(graph.nodes.map((n) => `${Math.round(n.x)},${Math.round(n.y)}`))
  return spots.size < graph.nodes.length
}
