import { describe, expect, it } from 'vitest'
import type { Member, RosterEntry } from '../api/types'
import { managerActions, readyToSend, reassignCandidates } from './taskActions'

const member = (user_id: number, name: string): Member =>
  ({ id: user_id + 100, user_id, name, email: `${user_id}@x.cn`, role: 'staff' }) as Member

describe('a manager’s actions on a task', () => {
  it('keeps only the manager actions the server allows, in a fixed order', () => {
    expect(managerActions(['skip', 'claim', 'reassign', 'report_problem'])).toEqual([
      'reassign',
      'skip',
    ])
    expect(managerActions(['reopen'])).toEqual(['reopen'])
    expect(managerActions(['claim', 'complete'])).toEqual([])
  })

  it('lists the role’s holders first, then the other members, without the assignee', () => {
    const members = [member(1, '王芳'), member(2, '李雷'), member(3, '陈静'), member(4, '赵强')]
    const roster: RosterEntry[] = [
      { role: 'designer', user_id: 3, name: '陈静' },
      { role: 'designer', user_id: 1, name: '王芳' },
      { role: 'host', user_id: 2, name: '李雷' },
      { role: 'designer', user_id: 9, name: '已离开' },
    ]
    const { holders, others } = reassignCandidates('designer', roster, members, 1)
    expect(holders.map((m) => m.name)).toEqual(['陈静'])
    expect(others.map((m) => m.user_id).sort()).toEqual([2, 4])
  })

  it('asks a skip for its reason and a reassign for a person', () => {
    expect(readyToSend('skip', '  ', null)).toBe(false)
    expect(readyToSend('skip', '嘉宾取消', null)).toBe(true)
    expect(readyToSend('reassign', '', null)).toBe(false)
    expect(readyToSend('reassign', '', 4)).toBe(true)
    expect(readyToSend('reopen', '', null)).toBe(true)
  })
})
