import { describe, expect, it } from 'vitest'
import { arrangeInbox, overdueCount } from './inbox'
import { task } from './testing'

const NOW = Date.parse('2026-11-24T12:00:00Z') // testing.ts NOW
const END_OF_DAY = Date.parse('2026-11-24T16:00:00Z')
const MIN = 60_000

const ids = (sections: ReturnType<typeof arrangeInbox>) =>
  sections.map((s) => [s.key, s.groups.map((g) => [g.runId, g.items.map((i) => i.task.id)])])

describe('arrangeInbox', () => {
  it('puts overdue and today’s tasks first, grouped by run, the most pressing run first', () => {
    const tasks = [
      task(1, 10, NOW + 3 * 3600_000), // today, run 10
      task(2, 20, NOW - 5 * MIN), // overdue, run 20
      task(3, 10, NOW + 2 * 86400_000), // later, run 10
      task(4, 20, NOW + 10 * MIN), // soon, run 20
      task(5, 30, null), // undated, run 30
      task(6, 10, NOW - 30 * MIN), // overdue, run 10: the most overdue of all
    ]
    expect(ids(arrangeInbox(tasks, NOW, END_OF_DAY))).toEqual([
      [
        'now',
        [
          [10, [6, 1]],
          [20, [2, 4]],
        ],
      ],
      [
        'later',
        [
          [10, [3]],
          [30, [5]],
        ],
      ],
    ])
  })

  it('marks each task’s urgency and counts each section', () => {
    const [now, later] = arrangeInbox(
      [task(1, 1, NOW - MIN), task(2, 1, NOW + 20 * MIN), task(3, 1, END_OF_DAY + MIN)],
      NOW,
      END_OF_DAY,
    )
    expect(now.count).toBe(2)
    expect(now.groups[0].items.map((i) => i.urgency)).toEqual(['overdue', 'soon'])
    expect(later.groups[0].items[0].urgency).toBe('later')
  })

  it('leaves out empty sections and orders equal due times by id', () => {
    const sections = arrangeInbox([task(9, 1, NOW + MIN), task(3, 1, NOW + MIN)], NOW, END_OF_DAY)
    expect(ids(sections)).toEqual([['now', [[1, [3, 9]]]]])
    expect(arrangeInbox([], NOW, END_OF_DAY)).toEqual([])
  })

  it('counts the overdue tasks for the badge', () => {
    expect(overdueCount([task(1, 1, NOW - 1), task(2, 1, NOW + 1), task(3, 1, null)], NOW)).toBe(1)
  })
})
