import { describe, expect, it } from 'vitest'
import {
  EMPTY_LANE_WIDTH,
  LANE_PADDING,
  NODE_WIDTH,
  computeLanes,
  phaseAt,
  placeInPhase,
} from './lanes'
import { graph, node } from './testing'

describe('swimlanes', () => {
  it('match the engine layout: each lane spans its nodes plus padding', () => {
    // engine/model/layout.py: lane_start + 40 + column * 260
    const g = graph([
      node('start', 'start', 'pre_event', { x: 40 }),
      node('a', 'task', 'pre_event', { x: 300 }),
      node('b', 'task', 'execution', { x: 580 }),
      node('end', 'end', 'review', { x: 860 }),
    ])
    const lanes = computeLanes(g)
    expect(lanes.lanes.map((l) => [l.x0, l.x1])).toEqual([
      [0, 540],
      [540, 820],
      [820, 1100],
    ])
    expect(lanes.goLiveX).toBe(540)
  })

  it('give an empty phase a lane of its own between its neighbours', () => {
    const g = graph([
      node('start', 'start', 'pre_event', { x: 40 }),
      node('end', 'end', 'review', { x: 600 }),
    ])
    const { lanes } = computeLanes(g)
    const execution = lanes[1]
    expect(execution.x0).toBe(40 + NODE_WIDTH + LANE_PADDING)
    expect(execution.x1 - execution.x0).toBe(EMPTY_LANE_WIDTH)
  })

  it('find the phase under a point', () => {
    const lanes = computeLanes(
      graph([
        node('a', 'task', 'pre_event', { x: 40 }),
        node('b', 'task', 'execution', { x: 320 }),
        node('c', 'task', 'review', { x: 600 }),
      ]),
    )
    expect(phaseAt(lanes, -1000)).toBe('pre_event')
    expect(phaseAt(lanes, 400)).toBe('execution')
    expect(phaseAt(lanes, 5000)).toBe('review')
  })

  it('work for an empty graph', () => {
    const lanes = computeLanes(graph([]))
    expect(lanes.lanes).toHaveLength(3)
    expect(lanes.bottom).toBeGreaterThan(lanes.top)
  })
})

describe('moving a node to another phase', () => {
  const g = graph([
    node('start', 'start', 'pre_event', { x: 40, y: 0 }),
    node('a', 'task', 'pre_event', { x: 300, y: 0 }),
    node('b', 'task', 'execution', { x: 580, y: -55 }),
    node('c', 'task', 'execution', { x: 580, y: 55 }),
  ])

  it('puts it under the lowest node of that lane', () => {
    expect(placeInPhase(g, 'a', 'execution')).toEqual({ x: 580, y: 165 })
  })

  it('puts it at the start of an empty lane, at its own height', () => {
    const { x, y } = placeInPhase(g, 'a', 'review')
    const review = computeLanes(g).lanes[2]
    expect(x).toBe(review.x0 + LANE_PADDING)
    expect(y).toBe(0)
  })
})
