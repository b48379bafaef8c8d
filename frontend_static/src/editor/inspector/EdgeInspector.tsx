// The form of the selected connection: its label and, leaving a decision, its condition or
// whether it is the default ("otherwise") path.

import { useEffect, useState } from 'react'
import { useI18n } from '../../i18n/react'
import {
  OPERATORS,
  coerce,
  describeCondition,
  isComparison,
  parseConditionJson,
  type Comparison,
  type Operator,
} from '../../model/conditions'
import type { EditorSession } from '../../model/editorSession'
import type { Condition, Graph, GraphEdge, Scalar } from '../../model/graph'
import type { Problem } from '../../model/problems'
import type { MessageKey } from '../../i18n'
import { CheckboxField, DeleteSelection, SelectionProblems, TextField } from './fields'

export function EdgeInspector(props: {
  session: EditorSession
  graph: Graph
  edge: GraphEdge
  problems: Problem[] | undefined
  readOnly: boolean
}) {
  const { session, graph, edge, readOnly } = props
  const { t } = useI18n()
  const title = (id: string) => graph.nodes.find((n) => n.id === id)?.title ?? id
  const fromDecision = graph.nodes.find((n) => n.id === edge.source)?.kind === 'decision'
  const update = (patch: Partial<GraphEdge>, field: string) =>
    session.edit({ type: 'updateEdge', id: edge.id, patch }, `edge:${edge.id}:${field}`)

  return (
    <section
      className="inspector"
      aria-label={t('inspector.edgeTitle')}
      data-testid="inspector-edge"
    >
      <header className="inspector__head">
        <span className="kind-badge" aria-hidden="true">
          →
        </span>
        <div>
          <h2 className="panel-title">{t('inspector.edgeTitle')}</h2>
          <small className="muted">
            {title(edge.source)} → {title(edge.target)}
          </small>
        </div>
      </header>
      <SelectionProblems problems={props.problems} />
      <fieldset disabled={readOnly} className="inspector__fields">
        <TextField
          label={t('inspector.edgeLabel')}
          value={edge.label}
          maxLength={200}
          onChange={(label) => update({ label }, 'label')}
        />
        {fromDecision && (
          <>
            <CheckboxField
              label={t('inspector.isDefault')}
              hint={t('inspector.isDefaultHint')}
              checked={edge.is_default}
              onChange={(is_default) =>
                update(is_default ? { is_default, condition: null } : { is_default }, 'default')
              }
            />
            {!edge.is_default && (
              <ConditionEditor
                condition={edge.condition}
                graph={graph}
                onChange={(condition) => update({ condition }, 'condition')}
              />
            )}
          </>
        )}
        {!fromDecision && edge.condition !== null && (
          <p className="muted">
            {t('inspector.conditionOutsideDecision')}{' '}
            <code>{describeCondition(edge.condition)}</code>{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => update({ condition: null, is_default: false }, 'condition')}
            >
              {t('inspector.clearCondition')}
            </button>
          </p>
        )}
      </fieldset>
      <DeleteSelection
        id={edge.id}
        label={t('inspector.deleteEdge')}
        canDelete={!readOnly}
        onDelete={() => session.edit({ type: 'remove', edgeIds: [edge.id] })}
      />
    </section>
  )
}

/** One comparison edited in a form; anything richer (all / any / not) as JSON. */
function ConditionEditor(props: {
  condition: Condition | null
  graph: Graph
  onChange: (c: Condition | null) => void
}) {
  const { t } = useI18n()
  const simple = props.condition === null || isComparison(props.condition)
  const [advanced, setAdvanced] = useState(!simple)
  const variables = props.graph.variables

  if (advanced) {
    return (
      <>
        <JsonCondition condition={props.condition} onChange={props.onChange} />
        {simple && (
          <button type="button" className="link-button" onClick={() => setAdvanced(false)}>
            {t('condition.simple')}
          </button>
        )}
      </>
    )
  }
  const current: Comparison = isComparison(props.condition)
    ? props.condition
    : { var: variables[0]?.key ?? '', op: '>=' }
  const variable = variables.find((v) => v.key === current.var)
  const set = (patch: Partial<Comparison>) => {
    const next: Comparison = { ...current, ...patch }
    if (next.op === 'is_set') delete next.value
    else if (next.value === undefined)
      next.value = variable?.type === 'bool' ? true : variable?.type === 'number' ? 0 : ''
    if (!next.var) return
    props.onChange(next as Condition)
  }
  const byVariable =
    current.value !== null && typeof current.value === 'object' && !Array.isArray(current.value)
  const valueText = Array.isArray(current.value)
    ? current.value.join(', ')
    : byVariable
      ? ''
      : current.value === undefined
        ? ''
        : String(current.value)

  return (
    <div className="field condition" role="group" aria-label={t('condition.title')}>
      <span className="field__label">{t('condition.title')}</span>
      {variables.length === 0 ? (
        <small className="muted">{t('condition.noVariables')}</small>
      ) : (
        <>
          <div className="row">
            <select
              aria-label={t('condition.variable')}
              value={current.var}
              onChange={(e) => set({ var: e.target.value })}
            >
              {!variable && <option value={current.var}>{current.var || '—'}</option>}
              {variables.map((v) => (
                <option key={v.key} value={v.key}>
                  {v.label || v.key}
                </option>
              ))}
            </select>
            <select
              aria-label={t('condition.operator')}
              value={current.op}
              onChange={(e) => set({ op: e.target.value as Operator })}
            >
              {OPERATORS.map((op) => (
                <option key={op} value={op}>
                  {t(`op.${op}` as MessageKey)}
                </option>
              ))}
            </select>
          </div>
          {current.op !== 'is_set' && (
            <div className="row">
              <select
                aria-label={t('condition.compareWith')}
                value={byVariable ? 'variable' : 'value'}
                onChange={(e) =>
                  set({
                    value:
                      e.target.value === 'variable'
                        ? { var: variables.find((v) => v.key !== current.var)?.key ?? current.var }
                        : coerce('', variable?.type),
                  })
                }
              >
                <option value="value">{t('condition.aValue')}</option>
                <option value="variable">{t('condition.aVariable')}</option>
              </select>
              {byVariable ? (
                <select
                  aria-label={t('condition.otherVariable')}
                  value={(current.value as { var: string }).var}
                  onChange={(e) => set({ value: { var: e.target.value } })}
                >
                  {variables.map((v) => (
                    <option key={v.key} value={v.key}>
                      {v.label || v.key}
                    </option>
                  ))}
                </select>
              ) : variable?.type === 'bool' && current.op !== 'in' && current.op !== 'not_in' ? (
                <select
                  aria-label={t('condition.value')}
                  value={String(current.value)}
                  onChange={(e) => set({ value: e.target.value === 'true' })}
                >
                  <option value="true">{t('common.yes')}</option>
                  <option value="false">{t('common.no')}</option>
                </select>
              ) : (
                <LiteralInput
                  text={valueText}
                  list={current.op === 'in' || current.op === 'not_in'}
                  onChange={(text, list) =>
                    set({
                      value: list
                        ? (text
                            .split(/[,，]/)
                            .map((s) => s.trim())
                            .filter(Boolean)
                            .map((s) => coerce(s, variable?.type)) as Scalar[])
                        : coerce(text, variable?.type),
                    })
                  }
                />
              )}
            </div>
          )}
          <small className="field__hint">
            {props.condition ? describeCondition(props.condition) : t('condition.none')}
          </small>
        </>
      )}
      <button type="button" className="link-button" onClick={() => setAdvanced(true)}>
        {t('condition.advanced')}
      </button>
    </div>
  )
}

function LiteralInput(props: {
  text: string
  list: boolean
  onChange: (text: string, list: boolean) => void
}) {
  const { t } = useI18n()
  const [text, setText] = useState(props.text)
  useEffect(() => setText(props.text), [props.text])
  return (
    <input
      aria-label={t('condition.value')}
      placeholder={props.list ? t('condition.listHint') : t('condition.value')}
      value={text}
      onChange={(e) => {
        setText(e.target.value)
        props.onChange(e.target.value, props.list)
      }}
    />
  )
}

function JsonCondition(props: {
  condition: Condition | null
  onChange: (c: Condition | null) => void
}) {
  const { t } = useI18n()
  const [text, setText] = useState(props.condition ? JSON.stringify(props.condition, null, 2) : '')
  const [error, setError] = useState(false)
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label htmlFor="condition-json">{t('condition.json')}</label>
      <textarea
        id="condition-json"
        rows={6}
        className="code"
        value={text}
        aria-invalid={error || undefined}
        onChange={(e) => {
          setText(e.target.value)
          const parsed = parseConditionJson(e.target.value)
          setError(parsed instanceof Error)
          if (!(parsed instanceof Error)) props.onChange(parsed)
        }}
      />
      <small className={error ? 'field__error' : 'field__hint'}>
        {error ? t('condition.jsonInvalid') : t('condition.jsonHint')}
      </small>
    </div>
  )
}
