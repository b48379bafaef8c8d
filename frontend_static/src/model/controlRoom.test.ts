import { describe, expect, it } from 'vitest'
import type { Cue, Member, RunEvent, RunNode } from '../api/types'
import {
  lastEventId,
  nextCues,
  nodeLateness,
  nodesByPhase,
  phaseProgress,
  problemsOf,
  tasksByRole,
} from './controlRoom'
import { NOW, task } from './testing'

const MIN = 60_000
const iso = (ms: number) => new Date(ms).toISOString()

function runNode(id: string, phase: string, start: number, extra: Partial<RunNode> = {}): RunNode {
  return {
    node_id: id,
    title: `title ${id}`,
    kind: 'task',
    phase,
    role: 'host',
    state: 'pending',
    planned_start: iso(start),
    planned_due: iso(start + 10 * MIN),
    ready_at: null,
    finished_at: null,
    task_id: null,
    ...extra,
  }
}

function event(
  id: number,
  kind: string,
  taskId: number | null,
  extra: Partial<RunEvent> = {},
): RunEvent {
  return {
    id,
    at: iso(NOW + id * MIN),
    actor_id: 4,
    kind,
    node_id: 'show',
    task_id: taskId,
    before: null,
    after: null,
    note: '',
    ...extra,
  }
}

describe('the control room', () => {
  it('puts the nodes in their phases in planned order, without the start and end markers', () => {
    const phases = nodesByPhase([
      runNode('b', 'execution', NOW + 20 * MIN),
      runNode('a', 'execution', NOW),
      runNode('prep', 'pre_event', NOW - 60 * MIN),
      runNode('start', 'pre_event', NOW - 90 * MIN, { kind: 'start' }),
      runNode('end', 'review', NOW + 90 * MIN, { kind: 'end' }),
    ])
    expect(phases.pre_event.map((n) => n.node_id)).toEqual(['prep'])
    expect(phases.execution.map((n) => n.node_id)).toEqual(['a', 'b'])
    expect(phases.review).toEqual([])
  })

  it('counts a phase’s finished and open nodes, and a node’s lateness', () => {
    const nodes = [
      runNode('a', 'execution', NOW - 30 * MIN, {
        state: 'done',
        finished_at: iso(NOW - 15 * MIN),
      }),
      runNode('b', 'execution', NOW - 30 * MIN, { state: 'active' }),
      runNode('c', 'execution', NOW, { state: 'pending' }),
    ]
    expect(phaseProgress(nodes)).toEqual({ finished: 1, total: 3, open: 1 })
    expect(nodeLateness(nodes[0], NOW)).toBe(5) // finished 5 minutes after its due
    expect(nodeLateness(nodes[1], NOW)).toBe(20) // still open, 20 minutes past due
    expect(nodeLateness(nodes[2], NOW)).toBeNull()
  })

  it('groups tasks by role with who holds them and how late the open ones are', () => {
    const members: Member[] = [
      { id: 1, user_id: 4, name: '主播 Host', email: 'h@x', role: 'staff', created_at: '' },
      { id: 2, user_id: 6, name: '中控 Operator', email: 'o@x', role: 'staff', created_at: '' },
    ]
    const roster = [
      { role: 'operator', user_id: 6, name: '中控 Operator' },
      { role: 'host', user_id: 4, name: '主播 Host' },
    ]
    const groups = tasksByRole(
      [
        task(1, 1, NOW - 12 * MIN, { role: 'host', assignee_id: 4 }),
        task(2, 1, NOW - 40 * MIN, {
          role: 'host',
          status: 'done',
          completed_at: iso(NOW - 35 * MIN),
        }),
        task(3, 1, NOW + 5 * MIN, { role: 'host', status: 'claimed', assignee_id: 4 }),
        task(4, 1, NOW + 5 * MIN, { role: 'operator' }),
      ],
      roster,
      members,
      NOW,
    )
    expect(groups.map((g) => g.role)).toEqual(['host', 'operator'])
    const host = groups[0]
    expect(host.people).toEqual([{ userId: 4, name: '主播 Host' }])
    expect(host.lines.map((l) => [l.task.id, l.assignee, l.late])).toEqual([
      [3, '主播 Host', null],
      [1, '主播 Host', 12],
      [2, null, 5],
    ])
    expect(host.lateCount).toBe(1)
    expect(groups[1].lines[0].assignee).toBeNull()
  })

  it('lists the cues ahead soonest first, skipped ones marked, and the last one sent', () => {
    const cue = (
      id: number,
      at: number,
      status: Cue['status'],
      fired: number | null = null,
    ): Cue => ({
      id,
      node_id: 'coupon',
      index: id,
      fire_at: iso(at),
      status,
      fired_at: fired === null ? null : iso(fired),
    })
    const nodes = [
      runNode('coupon', 'execution', NOW, { kind: 'recurring', role: 'operator', title: '推券' }),
    ]
    const { upcoming, lastSent } = nextCues(
      [
        cue(3, NOW + 40 * MIN, 'planned'),
        cue(2, NOW + 20 * MIN, 'planned'),
        cue(1, NOW, 'sent', NOW),
        cue(4, NOW + 60 * MIN, 'skipped'),
        cue(5, NOW - 5 * MIN, 'skipped'),
      ],
      nodes,
      NOW,
      3,
    )
    expect(upcoming.map((c) => [c.cue.id, c.state, c.title, c.role])).toEqual([
      [2, 'planned', '推券', 'operator'],
      [3, 'planned', '推券', 'operator'],
      [4, 'skipped', '推券', 'operator'],
    ])
    expect(lastSent?.cue.id).toBe(1)
  })

  it('pairs each reported problem with its resolution, newest first', () => {
    const lines = problemsOf(
      [
        event(1, 'task.report_problem', 7, { note: '声卡没声音', after: { blocked: true } }),
        event(2, 'task.note', 7, { note: 'ignored' }),
        event(3, 'task.resolve_problem', 7, { note: '换了声卡', actor_id: 6 }),
        event(4, 'task.report_problem', 8, { note: '网速慢', after: { blocked: false } }),
      ],
      [runNode('show', 'execution', NOW, { title: '开场' })],
    )
    expect(
      lines.map((l) => [l.taskId, l.title, l.note, l.blocking, l.resolved?.note ?? null]),
    ).toEqual([
      [8, '开场', '网速慢', false, null],
      [7, '开场', '声卡没声音', true, '换了声卡'],
    ])
    expect(lastEventId([event(3, 'x', null), event(9, 'x', null), event(4, 'x', null)])).toBe(9)
    expect(lastEventId([])).toBeNull()
  })
})
