import { describe, expect, it } from 'vitest'
import type { Graph, GraphNode, Phase } from './graph'
import { NODE_HEIGHT, NODE_WIDTH, computeLanes } from './lanes'
import { graph, node } from './testing'
import { MIN_READABLE_ZOOM, needsLayout, openingViewport, type Viewport } from './viewport'

// The canvas of the editor at 1280 × 800 (palette and side panel beside it).
const W = 790
const H = 660

/** Like the built-in 直播 SOP as the engine lays it out: 13 pre-event columns, a show of
 * three columns, five review columns (engine/model/layout.py: 40 + column * 260). */
function liveStream(): Graph {
  const nodes: GraphNode[] = []
  const column = (phase: Phase, start: number, count: number, rows: number[] = [0]) => {
    for (let c = 0; c < count; c++)
      for (const y of rows)
        nodes.push(node(`${phase}${c}.${y}`, 'task', phase, { x: start + 40 + c * 260, y }))
  }
  column('pre_event', 0, 13, [-110, 0, 110])
  column('execution', 3400, 3, [-220, -110, 0, 110, 220])
  column('review', 4200, 5, [-55, 55])
  return graph(nodes)
}

/** The flow rectangle a viewport shows on the canvas. */
function window(view: Viewport) {
  return {
    left: -view.x / view.zoom,
    right: (W - view.x) / view.zoom,
    top: -view.y / view.zoom,
    bottom: (H - view.y) / view.zoom,
  }
}

function visible(g: Graph, view: Viewport) {
  const box = window(view)
  return g.nodes.filter(
    (n) =>
      n.x >= box.left &&
      n.x + NODE_WIDTH <= box.right &&
      n.y >= box.top &&
      n.y + NODE_HEIGHT <= box.bottom,
  )
}

describe('the view a runbook opens with', () => {
  it('shows a small runbook whole', () => {
    const small = graph([
      node('a', 'task', 'pre_event', { x: 40 }),
      node('b', 'task', 'execution', { x: 340 }),
      node('c', 'end', 'review', { x: 640 }),
    ])
    const view = openingViewport(small, computeLanes(small), W, H)
    expect(view.zoom).toBeGreaterThanOrEqual(MIN_READABLE_ZOOM)
    expect(visible(small, view)).toHaveLength(3)
  })

  it('keeps a long one readable, with T0 and nodes of every lane in view', () => {
    const g = liveStream()
    const lanes = computeLanes(g)
    const view = openingViewport(g, lanes, W, H)
    expect(view.zoom).toBeGreaterThanOrEqual(MIN_READABLE_ZOOM)
    const box = window(view)
    expect(lanes.goLiveX).toBeGreaterThan(box.left)
    expect(lanes.goLiveX).toBeLessThan(box.right)
    const phases = new Set(visible(g, view).map((n) => n.phase))
    expect([...phases].sort()).toEqual(['execution', 'pre_event', 'review'])
  })

  it('is not blank after a node was put far below the others', () => {
    const g = liveStream()
    g.nodes.push(node('low', 'task', 'execution', { x: 3440, y: 2400 }))
    const view = openingViewport(g, computeLanes(g), W, H)
    expect(visible(g, view).length).toBeGreaterThan(5)
  })

  it('is not blank for a show far away from the other lanes', () => {
    const g = graph([
      node('a', 'task', 'pre_event', { x: 40, y: 5000 }),
      node('b', 'task', 'execution', { x: 6000, y: -3000 }),
      node('c', 'task', 'review', { x: 9000, y: 0 }),
    ])
    const view = openingViewport(g, computeLanes(g), W, H)
    expect(visible(g, view).length).toBeGreaterThan(0)
  })
})

describe('a graph without positions', () => {
  it('needs a layout when nodes share a spot', () => {
    expect(needsLayout(graph([node('a'), node('b')]))).toBe(true)
    expect(needsLayout(liveStream())).toBe(false)
  })
})
