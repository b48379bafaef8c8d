import { describe, expect, it } from 'vitest'
import { translate, type Lang, type MessageKey } from '../i18n'
import { durationWords } from './durations'
import {
  arrangeInbox,
  arrangeUpcoming,
  dayIn,
  doneToday,
  nextStep,
  offsetText,
  overdueCount,
} from './inbox'
import { task, upcomingStep } from './testing'

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

const words = (lang: Lang) => durationWords((key: MessageKey) => translate(lang, key))

describe('what is coming', () => {
  it('groups the coming steps by run, the run with the soonest step first', () => {
    const steps = [
      upcomingStep('live', 1, NOW + 3 * 3600_000),
      upcomingStep('brief', 2, NOW + 30 * MIN),
      upcomingStep('rehearse', 1, NOW + 60 * MIN),
      upcomingStep('later', 2, null),
      upcomingStep('wrap', 2, NOW + 4 * 3600_000),
    ]
    const groups = arrangeUpcoming(steps)
    expect(groups.map((g) => [g.runId, g.steps.map((s) => s.node_id)])).toEqual([
      [2, ['brief', 'wrap', 'later']],
      [1, ['rehearse', 'live']],
    ])
    expect(groups[0].runTz).toBe('Asia/Shanghai')
    expect(nextStep(steps)?.node_id).toBe('brief')
    expect(nextStep([])).toBeNull()
    expect(arrangeUpcoming([])).toEqual([])
  })

  it('says the offset against go-live in humane units, T0 at go-live', () => {
    expect(offsetText(-90, words('zh-CN'))).toBe('T\u22121小时30分钟')
    expect(offsetText(-60, words('zh-CN'))).toBe('T\u22121小时')
    expect(offsetText(45, words('zh-CN'))).toBe('T+45 分钟')
    expect(offsetText(-9839, words('en'))).toBe('T\u22126 d 19 h')
    expect(offsetText(0, words('en'))).toBe('T0')
  })

  it('knows today and tomorrow in the run’s zone, not the reader’s', () => {
    // NOW is 20:00 in Shanghai on 24 November.
    expect(dayIn('2026-11-24T15:59:00Z', 'Asia/Shanghai', NOW)).toBe('today')
    expect(dayIn('2026-11-24T16:00:00Z', 'Asia/Shanghai', NOW)).toBe('tomorrow')
    expect(dayIn('2026-11-25T16:00:00Z', 'Asia/Shanghai', NOW)).toBeNull()
    expect(dayIn('2026-11-24T16:00:00Z', 'UTC', NOW)).toBe('today')
    expect(dayIn('2026-11-23T23:00:00Z', 'UTC', NOW)).toBeNull() // yesterday
  })

  it('lists what was done today, the latest first', () => {
    const done = [
      task(1, 1, null, { status: 'done', completed_at: '2026-11-24T09:00:00Z' }),
      task(2, 1, null, { status: 'done', completed_at: '2026-11-24T11:00:00Z' }),
      task(3, 2, null, { status: 'done', completed_at: '2026-11-24T10:00:00Z' }),
    ]
    expect(doneToday(done).map((t) => t.id)).toEqual([2, 3, 1])
  })
})
