import { describe, expect, it } from 'vitest'
import type { AuditEvent } from '../api/types'
import { lookup, type Lang } from '../i18n'
import { changeSummary, eventSentence, kindsOf, type Words } from './auditView'

const words = (lang: Lang): Words => ({
  tx: (key, fallback, vars) => lookup(lang, key, vars) ?? fallback,
  when: (iso) => iso.slice(11, 16),
})
const zh = words('zh-CN')

function event(patch: Partial<AuditEvent>): AuditEvent {
  return {
    id: 1,
    at: '2026-11-11T12:00:00Z',
    kind: 'task.complete',
    actor_id: 7,
    actor: '运营总监',
    run_id: 3,
    runbook_id: 2,
    node_id: 'poster',
    task_id: 9,
    before: null,
    after: null,
    note: '',
    run_name: '双11 直播',
    runbook_name: '小场直播',
    node_title: '海报设计',
    people: {},
    ...patch,
  }
}

describe('an audit event as a sentence', () => {
  it('names the people, the node and the reason', () => {
    expect(eventSentence(event({ kind: 'task.skip', note: '嘉宾取消' }), zh)).toBe(
      '运营总监 跳过了「海报设计」：嘉宾取消',
    )
    const reassign = event({
      kind: 'task.reassign',
      before: { status: 'open', assignee_id: 4 },
      after: { status: 'open', assignee_id: 5 },
      people: { '4': '设计 李雷', '5': '设计 王芳' },
    })
    expect(eventSentence(reassign, zh)).toBe('运营总监 把「海报设计」改派给 设计 王芳')
    expect(eventSentence(reassign, words('en'))).toBe('运营总监 reassigned “海报设计” to 设计 王芳')
  })

  it('tells an approval from a rejection, and the system from a person', () => {
    const approval = (approved: boolean) =>
      event({ node_title: '上线审批', after: { status: 'done', result: { approved } } })
    expect(eventSentence(approval(true), zh)).toBe('运营总监 批准了「上线审批」')
    expect(eventSentence(approval(false), zh)).toBe('运营总监 驳回了「上线审批」')
    expect(eventSentence(event({ kind: 'run.complete', actor: null }), zh)).toBe(
      '运行「双11 直播」已完成',
    )
    expect(eventSentence(event({ kind: 'node.ready' }), zh)).toBe('「海报设计」就绪')
  })

  it('falls back to the kind for a kind it does not know', () => {
    expect(eventSentence(event({ kind: 'task.teleport' }), zh)).toBe('task.teleport')
  })
})

describe('an event’s change in one translated line', () => {
  it('translates statuses and names people, leaving out what kept its value', () => {
    const reassign = event({
      kind: 'task.complete',
      before: { status: 'claimed', blocked: false, assignee_id: 4 },
      after: { status: 'done', blocked: false, assignee_id: 4, result: { metrics: { gmv: 1 } } },
      people: { '4': '王芳' },
    })
    expect(changeSummary(reassign, zh)).toBe('状态：已认领 → 已完成')
    const run = event({
      kind: 'run.pause',
      before: { status: 'running' },
      after: { status: 'paused' },
    })
    expect(changeSummary(run, zh)).toBe('状态：进行中 → 已暂停')
  })

  it('copes with a side missing', () => {
    const moved = event({ kind: 'run.create', after: { go_live: '2026-11-24T20:00:00+08:00' } })
    expect(changeSummary(moved, zh)).toBe('开播时间：20:00')
    expect(changeSummary(event({ before: null, after: null }), zh)).toBe('')
  })
})

describe('the kind groups of the filter', () => {
  it('keeps improvement actions apart from the post-mortem sign-off', () => {
    expect(kindsOf('improvements')).toContain('postmortem.action_add')
    expect(kindsOf('postmortems')).toEqual(['postmortem.sign_off', 'postmortem.reopen'])
    expect(kindsOf('')).toEqual([])
  })
})
