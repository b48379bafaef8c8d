// The form of the selected node: what every node has, then its kind's own settings.

import { useI18n } from '../../i18n/react'
import type { EditorSession } from '../../model/editorSession'
import {
  CHANNELS,
  KNOWN_ROLES,
  PHASES,
  settingsOf,
  type Graph,
  type GraphNode,
  type Phase,
  type WaitMode,
} from '../../model/graph'
import { placeInPhase } from '../../model/lanes'
import type { Problem } from '../../model/problems'
import type { MessageKey } from '../../i18n'
import { Icon } from '../../ui/icons'
import { kindLabel, phaseLabel, roleLabel } from '../labels'
import {
  DeleteSelection,
  MinutesField,
  NumberField,
  SelectField,
  SelectionProblems,
  TextField,
} from './fields'
import { TaskSettingsEditor } from './TaskSettingsEditor'

export function RoleOptions() {
  const { tx } = useI18n()
  return (
    <datalist id="known-roles">
      {KNOWN_ROLES.map((role) => (
        <option key={role} value={role}>
          {roleLabel(tx, role)}
        </option>
      ))}
    </datalist>
  )
}

export function NodeInspector(props: {
  session: EditorSession
  graph: Graph
  node: GraphNode
  problems: Problem[] | undefined
  readOnly: boolean
}) {
  const { session, node, graph, readOnly } = props
  const { t, tx } = useI18n()
  const update = (patch: Partial<GraphNode>, field: string) =>
    session.edit({ type: 'updateNode', id: node.id, patch }, `node:${node.id}:${field}`)
  const updateSettings = (patch: Record<string, unknown>, field: string) =>
    update({ settings: { ...node.settings, ...patch } }, `settings.${field}`)
  const variableOptions = [
    { value: '', label: t('inspector.none') },
    ...graph.variables.map((v) => ({
      value: v.key,
      label: v.label ? `${v.label} (${v.key})` : v.key,
    })),
  ]

  return (
    <section
      className="inspector"
      aria-label={t('inspector.nodeTitle')}
      data-testid="inspector-node"
    >
      <header className="inspector__head">
        <span className={`kind-badge kind-badge--${node.kind}`} aria-hidden="true">
          <Icon name={node.kind} size={18} />
        </span>
        <div>
          <h2 className="panel-title">{kindLabel(t, node.kind)}</h2>
          <small className="muted">{t(`kindHint.${node.kind}` as MessageKey)}</small>
        </div>
      </header>
      <SelectionProblems problems={props.problems} label={t('problems.title')} />
      <fieldset disabled={readOnly} className="inspector__fields">
        <TextField
          label={t('inspector.title')}
          value={node.title}
          required
          maxLength={200}
          onChange={(title) => update({ title }, 'title')}
        />
        <SelectField<Phase>
          label={t('inspector.phase')}
          value={node.phase}
          options={PHASES.map((p) => ({ value: p, label: phaseLabel(t, p) }))}
          onChange={(phase) => {
            const to = placeInPhase(graph, node.id, phase)
            session.edit({
              type: 'batch',
              edits: [
                { type: 'updateNode', id: node.id, patch: { phase } },
                { type: 'moveNodes', positions: [{ id: node.id, ...to }] },
              ],
            })
          }}
        />
        {node.kind !== 'start' && node.kind !== 'end' && (
          <TextField
            label={t('inspector.role')}
            value={node.role ?? ''}
            list="known-roles"
            maxLength={64}
            hint={node.role ? roleLabel(tx, node.role) : t('inspector.roleHint')}
            onChange={(role) => update({ role: role.trim() || null }, 'role')}
          />
        )}
        {node.kind !== 'start' && node.kind !== 'end' && (
          <div className="field-row">
            <MinutesField
              label={t('inspector.offset')}
              value={node.offset_minutes}
              signed
              onChange={(offset_minutes) => update({ offset_minutes }, 'offset')}
            />
            {node.kind !== 'wait' && node.kind !== 'decision' && (
              <MinutesField
                label={
                  node.kind === 'recurring' ? t('inspector.cueDuration') : t('inspector.duration')
                }
                value={node.duration_minutes}
                signed={false}
                min={0}
                onChange={(duration_minutes) => update({ duration_minutes }, 'duration')}
              />
            )}
          </div>
        )}
        <TextField
          label={t('inspector.description')}
          value={node.description}
          multiline
          maxLength={5000}
          onChange={(description) => update({ description }, 'description')}
        />

        {node.kind === 'task' && (
          <TaskSettingsEditor
            settings={settingsOf(node, 'task')}
            variables={graph.variables}
            onChange={(settings, field) =>
              update({ settings: { ...settings } }, `settings.${field}`)
            }
          />
        )}
        {node.kind === 'approval' && (
          <>
            <TextField
              label={t('inspector.instructions')}
              value={settingsOf(node, 'approval').instructions}
              multiline
              onChange={(instructions) => updateSettings({ instructions }, 'instructions')}
            />
            <SelectField
              label={t('inspector.setsVariable')}
              hint={t('inspector.approvalSetsHint')}
              value={settingsOf(node, 'approval').sets_variable ?? ''}
              options={variableOptions}
              onChange={(key) => updateSettings({ sets_variable: key || null }, 'sets_variable')}
            />
          </>
        )}
        {node.kind === 'wait' && <WaitSettingsEditor node={node} onChange={updateSettings} />}
        {node.kind === 'notify' && (
          <>
            <SelectField
              label={t('inspector.channel')}
              value={settingsOf(node, 'notify').channel ?? ''}
              options={[
                { value: '', label: t('inspector.none') },
                ...CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}` as MessageKey) })),
              ]}
              onChange={(channel) => updateSettings({ channel: channel || null }, 'channel')}
            />
            <TextField
              label={t('inspector.toRole')}
              value={settingsOf(node, 'notify').to_role ?? ''}
              list="known-roles"
              onChange={(role) => updateSettings({ to_role: role.trim() || null }, 'to_role')}
            />
            <TextField
              label={t('inspector.message')}
              value={settingsOf(node, 'notify').message}
              multiline
              hint={t('inspector.messageHint')}
              onChange={(message) => updateSettings({ message }, 'message')}
            />
          </>
        )}
        {node.kind === 'recurring' && (
          <>
            <div className="field-row">
              <NumberField
                label={t('inspector.everyMinutes')}
                value={settingsOf(node, 'recurring').every_minutes}
                min={1}
                max={1440}
                onChange={(every_minutes) => updateSettings({ every_minutes }, 'every')}
              />
              <NumberField
                label={t('inspector.count')}
                value={settingsOf(node, 'recurring').count}
                min={1}
                max={1000}
                onChange={(count) => updateSettings({ count }, 'count')}
              />
            </div>
            <MinutesField
              label={t('inspector.until')}
              value={settingsOf(node, 'recurring').until_offset_minutes}
              signed={false}
              min={0}
              hint={t('inspector.untilHint')}
              onChange={(until) => updateSettings({ until_offset_minutes: until }, 'until')}
            />
            <TextField
              label={t('inspector.cue')}
              value={settingsOf(node, 'recurring').cue}
              maxLength={500}
              onChange={(cue) => updateSettings({ cue }, 'cue')}
            />
          </>
        )}
      </fieldset>
      {node.kind !== 'end' && (
        <NextSteps session={session} graph={graph} node={node} readOnly={readOnly} />
      )}
      <DeleteSelection
        id={node.id}
        label={t('inspector.deleteNode')}
        canDelete={!readOnly && node.kind !== 'start'}
        onDelete={() => session.edit({ type: 'remove', nodeIds: [node.id] })}
      />
    </section>
  )
}

function WaitSettingsEditor(props: {
  node: GraphNode
  onChange: (patch: Record<string, unknown>, field: string) => void
}) {
  const { t } = useI18n()
  const settings = settingsOf(props.node, 'wait')
  return (
    <>
      <SelectField<WaitMode>
        label={t('inspector.waitMode')}
        value={settings.mode}
        options={[
          { value: 'delay', label: t('inspector.waitDelay') },
          { value: 'until_offset', label: t('inspector.waitUntil') },
        ]}
        onChange={(mode) =>
          props.onChange(
            mode === 'delay' ? { mode, until_offset_minutes: null } : { mode, delay_minutes: null },
            'mode',
          )
        }
      />
      {settings.mode === 'delay' ? (
        <MinutesField
          label={t('inspector.delay')}
          value={settings.delay_minutes}
          signed={false}
          min={0}
          onChange={(delay) => props.onChange({ delay_minutes: delay }, 'delay')}
        />
      ) : (
        <MinutesField
          label={t('inspector.untilOffset')}
          value={settings.until_offset_minutes}
          signed
          onChange={(until) => props.onChange({ until_offset_minutes: until }, 'until')}
        />
      )}
    </>
  )
}

/** The node's outgoing connections, and a way to add one without dragging (keyboard,
 * touch): pick the next step from a list. */
function NextSteps(props: {
  session: EditorSession
  graph: Graph
  node: GraphNode
  readOnly: boolean
}) {
  const { session, graph, node, readOnly } = props
  const { t } = useI18n()
  const titleOf = (id: string) => graph.nodes.find((n) => n.id === id)?.title ?? id
  const edges = graph.edges.filter((e) => e.source === node.id)
  const linked = new Set(edges.map((e) => e.target))
  const candidates = graph.nodes.filter(
    (n) => n.id !== node.id && n.kind !== 'start' && !linked.has(n.id),
  )
  return (
    <div className="field" role="group" aria-label={t('inspector.next')}>
      <span className="field__label">
        {node.kind === 'decision' ? t('inspector.paths') : t('inspector.next')}
      </span>
      {node.kind === 'decision' && edges.length === 0 && (
        <small className="muted">{t('inspector.noPaths')}</small>
      )}
      <ul className="path-list">
        {edges.map((edge) => (
          <li key={edge.id}>
            <button
              type="button"
              className="link-button"
              onClick={() => session.select({ nodeIds: [], edgeIds: [edge.id] })}
            >
              → {titleOf(edge.target)}
            </button>
            {node.kind === 'decision' && (
              <small className="muted">
                {edge.is_default
                  ? t('canvas.otherwise')
                  : edge.condition
                    ? t('inspector.hasCondition')
                    : t('inspector.noCondition')}
              </small>
            )}
            {!readOnly && (
              <button
                type="button"
                className="icon-button"
                aria-label={t('inspector.disconnect', { title: titleOf(edge.target) })}
                onClick={() => session.edit({ type: 'remove', edgeIds: [edge.id] })}
              >
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      {!readOnly && candidates.length > 0 && (
        <select
          aria-label={t('inspector.connectTo')}
          value=""
          onChange={(event) =>
            event.target.value &&
            session.edit({
              type: 'addEdge',
              edge: {
                source: node.id,
                target: event.target.value,
                condition: null,
                is_default: false,
                label: '',
              },
            })
          }
        >
          <option value="">{t('inspector.connectTo')}…</option>
          {candidates.map((n) => (
            <option key={n.id} value={n.id}>
              {n.title}
            </option>
          ))}
        </select>
      )}
    </div>
  )
}
