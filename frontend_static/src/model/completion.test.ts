import { describe, expect, it } from 'vitest'
import {
  allTicked,
  decimalsOf,
  doneMessageKey,
  emptyDraft,
  explainServerErrors,
  isOneTap,
  metricProblem,
  payloadOf,
  readNumber,
  specOf,
  validate,
} from './completion'
import { node } from './testing'

const review = node('sales', 'task', 'review', {
  settings: {
    checklist: [{ id: 'links', text: '商品链接已核对' }],
    required_fields: [
      { key: 'theme', label: '主题', type: 'text', choices: [], sets_variable: null },
      { key: 'reservations', label: '预约', type: 'number', choices: [], sets_variable: 'r' },
      { key: 'ok', label: '顺利', type: 'bool', choices: [], sets_variable: null },
      { key: 'mood', label: '气氛', type: 'choice', choices: ['好', '一般'], sets_variable: null },
    ],
    metric_fields: [
      {
        key: 'gmv',
        label: 'GMV',
        unit: '元',
        type: 'money',
        target_variable: 'gmv_target',
        sets_variable: null,
      },
      {
        key: 'orders',
        label: '订单',
        unit: '单',
        type: 'integer',
        target_variable: null,
        sets_variable: null,
      },
      {
        key: 'ctr',
        label: '点击率',
        unit: '%',
        type: 'percent',
        target_variable: null,
        sets_variable: null,
      },
      {
        key: 'roi',
        label: 'ROI',
        unit: '',
        type: 'number',
        target_variable: null,
        sets_variable: null,
      },
    ],
  },
})
const spec = specOf(review)

function filled() {
  const draft = emptyDraft(spec)
  draft.checklist.links = true
  draft.fields = { theme: '  双11 ', reservations: '1,234', ok: false, mood: '好' }
  draft.metrics = { gmv: '123456.78', orders: '42', ctr: '3.5', roi: '-0.5' }
  draft.note = ' 顺利 '
  return draft
}

describe('the completion form', () => {
  it('lists every missing tick, field and metric at once, by the server’s paths', () => {
    expect(validate(spec, emptyDraft(spec))).toEqual({
      'checklist.links': 'tick',
      'fields.theme': 'required',
      'fields.reservations': 'required',
      'fields.ok': 'required',
      'fields.mood': 'required',
      'metrics.gmv': 'required',
      'metrics.orders': 'required',
      'metrics.ctr': 'required',
      'metrics.roi': 'required',
    })
  })

  it('sends typed values: trimmed text, numbers, booleans, integers', () => {
    const draft = filled()
    expect(validate(spec, draft)).toEqual({})
    expect(payloadOf(spec, draft)).toEqual({
      checklist: { links: true },
      fields: { theme: '双11', reservations: 1234, ok: false, mood: '好' },
      metrics: { gmv: 123456.78, orders: 42, ctr: 3.5, roi: -0.5 },
      note: '顺利',
    })
  })

  it('applies each metric type’s rule as the server does', () => {
    expect(metricProblem('integer', '12.5')).toBe('integer')
    expect(metricProblem('integer', '12.0')).toBeNull()
    expect(metricProblem('money', '-1')).toBe('negativeMoney')
    expect(metricProblem('money', '12.345')).toBe('moneyDecimals')
    expect(metricProblem('money', '12.50')).toBeNull() // sent as 12.5
    expect(metricProblem('percent', '100.1')).toBe('percentRange')
    expect(metricProblem('percent', '0')).toBeNull()
    expect(metricProblem('number', '1e16')).toBe('tooLarge')
    expect(metricProblem('number', '12abc')).toBe('number')
    expect(metricProblem('number', '')).toBe('required')
  })

  it('refuses a choice outside the list and blank text', () => {
    const draft = filled()
    draft.fields.mood = '很好'
    draft.fields.theme = '   '
    expect(validate(spec, draft)).toEqual({ 'fields.mood': 'choice', 'fields.theme': 'required' })
  })

  it('reads numbers as typed on a phone', () => {
    expect(readNumber('１２,３４５.６')).toBe(12345.6)
    expect(readNumber(' 42 ')).toBe(42)
    expect(readNumber('')).toBeNull()
    expect(readNumber('1.2.3')).toBeNaN()
    expect(decimalsOf(0.1 + 0.2)).toBe(17)
    expect(decimalsOf(1e-7)).toBe(7)
  })

  it('asks an approval for a decision', () => {
    const approval = specOf(node('ok', 'approval', 'pre_event', { role: 'manager' }))
    const draft = emptyDraft(approval)
    expect(validate(approval, draft)).toEqual({ approved: 'approve' })
    draft.approved = false
    expect(payloadOf(approval, draft)).toEqual({ approved: false, note: '' })
    expect(doneMessageKey(approval, draft)).toBe('complete.rejectedDone')
    expect(doneMessageKey(approval, { ...draft, approved: true })).toBe('complete.approvedDone')
    expect(payloadOf(approval, { ...draft, approved: true, note: ' 脚本没问题 ' })).toEqual({
      approved: true,
      note: '脚本没问题',
    })
  })

  it('knows a task that needs only a tap, and ticks its whole checklist', () => {
    const simple = specOf(
      node('push', 'task', 'execution', {
        settings: { checklist: [{ id: 'a', text: 'A' }], required_fields: [], metric_fields: [] },
      }),
    )
    expect(isOneTap(simple)).toBe(true)
    expect(isOneTap(spec)).toBe(false)
    expect(payloadOf(simple, allTicked(simple))).toEqual({
      checklist: { a: true },
      fields: {},
      metrics: {},
      note: '',
    })
  })

  it('explains the server’s refusals in the form’s words where it agrees', () => {
    const draft = filled()
    draft.metrics.gmv = ''
    const shown = explainServerErrors(spec, draft, [
      { field: 'metrics.gmv', message: 'Fill in “GMV”.' },
      { field: 'fields.theme', message: 'Something only the server knows.' },
    ])
    expect(shown).toEqual({
      'metrics.gmv': { code: 'required' },
      'fields.theme': { message: 'Something only the server knows.' },
    })
  })
})
