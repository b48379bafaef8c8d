// The three phase swimlanes, left to right, derived from where the nodes stand. Their
// geometry matches the engine's auto-layout (engine/model/layout.py): a lane spans its
// nodes plus LANE_PADDING on each side; go-live (T0) is the execution lane's left edge.

import { PHASES, type Graph, type Phase } from './graph'

export const NODE_WIDTH = 200
export const NODE_HEIGHT = 76
export const LANE_PADDING = 40
/** Width of a lane without nodes (as the engine's layout gives an empty phase). */
export const EMPTY_LANE_WIDTH = 2 * LANE_PADDING + NODE_WIDTH
const MIN_LANE_WIDTH = 80
const VERTICAL_MARGIN = 140
const MIN_HEIGHT = 420

export interface Lane {
  phase: Phase
  x0: number
  x1: number
}

export interface Lanes {
  lanes: Lane[]
  /** x of go-live: where the execution lane starts. */
  goLiveX: number
  top: number
  bottom: number
}

type Extent = [number, number] | null

/** Contiguous lanes in phase order. Each lane covers its own nodes; a gap between two
 * lanes goes to the later one, so go-live sits at the first execution node's margin. */
export function computeLanes(graph: Graph): Lanes {
  const extents = new Map<Phase, Extent>(PHASES.map((p) => [p, null]))
  let top = Infinity
  let bottom = -Infinity
  for (const node of graph.nodes) {
    const extent = extents.get(node.phase)
    const lo = node.x - LANE_PADDING
    const hi = node.x + NODE_WIDTH + LANE_PADDING
    extents.set(node.phase, extent ? [Math.min(extent[0], lo), Math.max(extent[1], hi)] : [lo, hi])
    top = Math.min(top, node.y)
    bottom = Math.max(bottom, node.y + NODE_HEIGHT)
  }
  const [pre, exe, rev] = PHASES.map((p) => extents.get(p) ?? null)
  const firstLeft = pre?.[0] ?? exe?.[0] ?? rev?.[0] ?? 0
  const b0 = pre ? pre[0] : firstLeft - (exe || rev ? EMPTY_LANE_WIDTH : 0)
  const b1 = Math.max(exe ? exe[0] : pre ? pre[1] : b0 + EMPTY_LANE_WIDTH, b0 + MIN_LANE_WIDTH)
  const b2 = Math.max(
    rev ? rev[0] : exe ? exe[1] : b1 + EMPTY_LANE_WIDTH,
    b1 + (exe ? MIN_LANE_WIDTH : EMPTY_LANE_WIDTH),
  )
  const b3 = Math.max(rev ? rev[1] : b2 + EMPTY_LANE_WIDTH, b2 + MIN_LANE_WIDTH)
  if (!Number.isFinite(top)) {
    top = 0
    bottom = 0
  }
  const middle = (top + bottom) / 2
  const half = Math.max((bottom - top) / 2 + VERTICAL_MARGIN, MIN_HEIGHT / 2)
  return {
    lanes: [
      { phase: 'pre_event', x0: b0, x1: b1 },
      { phase: 'execution', x0: b1, x1: b2 },
      { phase: 'review', x0: b2, x1: b3 },
    ],
    goLiveX: b1,
    top: middle - half,
    bottom: middle + half,
  }
}

/** The phase of the lane at flow x; left of all lanes is pre-event, right is review. */
export function phaseAt(lanes: Lanes, x: number): Phase {
  for (const lane of lanes.lanes) if (x < lane.x1) return lane.phase
  return 'review'
}

/** Where the centre of a node at (x, y) falls. */
export function phaseOfNodeAt(lanes: Lanes, x: number): Phase {
  return phaseAt(lanes, x + NODE_WIDTH / 2)
}

const ROW_HEIGHT = 110 // engine/model/layout.py ROW_HEIGHT

/** Where a node goes when the planner moves it to another phase from the inspector: into
 * that lane, under the lane's lowest node (or level with where it was, in an empty lane). */
export function placeInPhase(graph: Graph, nodeId: string, phase: Phase): { x: number; y: number } {
  const node = graph.nodes.find((n) => n.id === nodeId)
  const others = graph.nodes.filter((n) => n.phase === phase && n.id !== nodeId)
  if (others.length === 0) {
    const lane = computeLanes(graph).lanes.find((l) => l.phase === phase)!
    return { x: lane.x0 + LANE_PADDING, y: node?.y ?? 0 }
  }
  const lowest = others.reduce((a, b) => (b.y > a.y || (b.y === a.y && b.x > a.x) ? b : a))
  return { x: lowest.x, y: lowest.y + ROW_HEIGHT }
}
