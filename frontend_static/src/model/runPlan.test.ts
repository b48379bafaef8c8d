import { describe, expect, it } from 'vitest'
import type { Graph } from './graph'
import {
  castRoles,
  prefilledRoster,
  initialVariables,
  planBody,
  rolesNeeded,
  targetVariables,
  toggleCast,
  validatePlan,
  type PlanForm,
} from './runPlan'
import { messagesByField } from './problems'
import { graph, node } from './testing'

const live: Graph = {
  ...graph([
    node('start', 'start'),
    node('script', 'task', 'pre_event', { role: 'content' }),
    node('scene', 'task', 'pre_event', { role: 'controller' }),
    node('show', 'task', 'execution', { role: 'host' }),
    node('merch', 'task', 'execution', { role: 'merch_lead' }),
    node('ok', 'approval', 'review', { role: 'manager', settings: { sets_variable: 'approved' } }),
    node('data', 'task', 'review', {
      role: 'data',
      settings: {
        checklist: [],
        required_fields: [],
        metric_fields: [
          {
            key: 'gmv',
            label: 'GMV',
            unit: '元',
            type: 'money',
            target_variable: 'gmv_target',
            sets_variable: 'gmv',
          },
        ],
      },
    }),
    node('end', 'end', 'review'),
  ]),
  variables: [
    { key: 'gmv_target', type: 'number', label: 'GMV 目标', default: 100000 },
    { key: 'theme', type: 'string', label: '主题', default: null },
    { key: 'vip_only', type: 'bool', label: '仅会员', default: false },
    { key: 'gmv', type: 'number', label: '实际 GMV', default: null },
    { key: 'approved', type: 'bool', label: '通过', default: null },
  ],
}

function form(extra: Partial<PlanForm> = {}): PlanForm {
  return {
    runbookId: 3,
    version: 2,
    name: '',
    goLive: '2026-11-24T20:00',
    tz: 'Asia/Shanghai',
    roster: {},
    variables: initialVariables(live),
    start: true,
    ...extra,
  }
}

describe('planning a run', () => {
  it('asks for every role a node names: the well-known ones in their usual order first', () => {
    expect(rolesNeeded(live)).toEqual([
      'host',
      'controller',
      'content',
      'data',
      'manager',
      'merch_lead',
    ])
  })

  it('offers as targets only the variables no task or approval fills in', () => {
    expect(targetVariables(live).map((v) => v.key)).toEqual(['gmv_target', 'theme', 'vip_only'])
    expect(initialVariables(live)).toEqual({ gmv_target: '100000', theme: '', vip_only: false })
  })

  it('names each empty role and unreadable target as the server would', () => {
    const errors = validatePlan(
      form({
        roster: { host: [4] },
        variables: { gmv_target: '十万', theme: '', vip_only: false },
      }),
      live,
    )
    expect(errors).toEqual({
      'roster.controller': 'roster',
      'roster.content': 'roster',
      'roster.data': 'roster',
      'roster.manager': 'roster',
      'roster.merch_lead': 'roster',
      'variables.gmv_target': 'number',
    })
    expect(validatePlan(form({ runbookId: null, goLive: '' }), null)).toEqual({
      runbook_id: 'runbook',
      go_live: 'goLive',
    })
  })

  it('builds the request: go-live with its offset, typed targets, the roster of needed roles', () => {
    const roster = Object.fromEntries(rolesNeeded(live).map((r, i) => [r, [i + 1]]))
    const body = planBody(
      form({
        roster: { ...roster, stray: [9] },
        variables: { gmv_target: '250,000', theme: '双11', vip_only: true },
      }),
      live,
    )
    expect(body).toEqual({
      runbook_id: 3,
      version: 2,
      name: null,
      go_live: '2026-11-24T20:00:00+08:00',
      tz: 'Asia/Shanghai',
      roster,
      variables: { gmv_target: 250000, theme: '双11', vip_only: true },
      start: true,
    })
  })

  it('leaves an emptied target out, so the runbook’s default applies', () => {
    const body = planBody(form({ variables: { gmv_target: '', theme: '', vip_only: false } }), live)
    expect(body.variables).toEqual({ vip_only: false })
  })

  it('casts and uncasts people role by role', () => {
    let roster = toggleCast({}, 'host', 4)
    roster = toggleCast(roster, 'host', 5)
    roster = toggleCast(roster, 'host', 4)
    expect(roster).toEqual({ host: [5] })
  })

  it('keeps the server’s field errors by field, joining several on one', () => {
    expect(
      messagesByField([
        { field: 'roster.host', message: 'User 9 is not a member.' },
        { field: 'roster.host', message: 'User 8 is not a member.' },
        { field: 'variables.gmv_target', message: 'Must be a number.' },
      ]),
    ).toEqual({
      'roster.host': 'User 9 is not a member. User 8 is not a member.',
      'variables.gmv_target': 'Must be a number.',
    })
  })
})

describe('the roster from the last run', () => {
  it('keeps the people still members and drops roles left empty', () => {
    const last = { host: [1, 2], designer: [9], content: [3] }
    expect(prefilledRoster(last, new Set([1, 3]))).toEqual({ host: [1], content: [3] })
    expect(prefilledRoster({}, new Set([1]))).toEqual({})
  })

  it('names the roles one person holds, in the roles’ order', () => {
    const roster = { host: [1], designer: [2, 1], content: [1] }
    expect(castRoles(roster, ['host', 'content', 'designer', 'service'], 1)).toEqual([
      'host',
      'content',
      'designer',
    ])
    expect(castRoles(roster, ['host'], 2)).toEqual([])
  })
})
