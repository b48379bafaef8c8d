// The runbook graph document as the editor holds it (engine/model/graph_format.py, format 1).
// Plain data, never mutated: every edit makes a new document (see graphReducer.ts).

import type { Operator } from './conditions'

export const PHASES = ['pre_event', 'execution', 'review'] as const
export type Phase = (typeof PHASES)[number]

export const NODE_KINDS = [
  'start',
  'task',
  'approval',
  'wait',
  'notify',
  'decision',
  'recurring',
  'end',
] as const
export type NodeKind = (typeof NODE_KINDS)[number]

/** The kinds a planner drags from the palette (a graph has exactly one start). */
export const PALETTE_KINDS: readonly NodeKind[] = [
  'task',
  'approval',
  'wait',
  'notify',
  'decision',
  'recurring',
  'end',
]

/** Well-known roles (engine/model/vocabulary.py Role); a node may use any other string. */
export const KNOWN_ROLES = [
  'host',
  'assistant',
  'operator',
  'controller',
  'planner',
  'content',
  'designer',
  'community',
  'service',
  'data',
  'manager',
] as const

export const CHANNELS = [
  'wecom',
  'feishu',
  'dingtalk',
  'email',
  'webhook',
  'sms',
  'official_account',
] as const

export type VariableType = 'number' | 'string' | 'bool'
export type Scalar = number | string | boolean

export interface Variable {
  key: string
  type: VariableType
  label: string
  default: Scalar | null
}

export interface ChecklistItem {
  id: string
  text: string
}
export type FieldType = 'number' | 'text' | 'bool' | 'choice'
export interface RequiredField {
  key: string
  label: string
  type: FieldType
  choices: string[]
  sets_variable: string | null
}
export type MetricType = 'number' | 'integer' | 'money' | 'percent'
export interface MetricField {
  key: string
  label: string
  unit: string
  type: MetricType
  target_variable: string | null
  sets_variable: string | null
}
export interface TaskSettings {
  checklist: ChecklistItem[]
  required_fields: RequiredField[]
  metric_fields: MetricField[]
}
export interface ApprovalSettings {
  instructions: string
  sets_variable: string | null
}
export type WaitMode = 'until_offset' | 'delay'
export interface WaitSettings {
  mode: WaitMode
  until_offset_minutes: number | null
  delay_minutes: number | null
}
export interface NotifySettings {
  channel: string | null
  to_role: string | null
  message: string
}
export interface RecurringSettings {
  every_minutes: number | null
  count: number | null
  until_offset_minutes: number | null
  cue: string
}
export type EmptySettings = Record<string, never>

export interface SettingsByKind {
  start: EmptySettings
  end: EmptySettings
  decision: EmptySettings
  task: TaskSettings
  approval: ApprovalSettings
  wait: WaitSettings
  notify: NotifySettings
  recurring: RecurringSettings
}

export interface GraphNode {
  id: string
  kind: NodeKind
  phase: Phase
  title: string
  description: string
  role: string | null
  offset_minutes: number | null
  duration_minutes: number | null
  x: number
  y: number
  /** Kind-specific; read it through `settingsOf` to get defaults filled in. */
  settings: Record<string, unknown>
}

/** A condition on run variables (engine/model/conditions.py): data, never code. */
export type Condition =
  | { var: string; op: Operator; value?: Scalar | Scalar[] | { var: string } }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }

export interface GraphEdge {
  id: string
  source: string
  target: string
  condition: Condition | null
  is_default: boolean
  label: string
}

export interface Graph {
  format: typeof GRAPH_FORMAT
  variables: Variable[]
  nodes: GraphNode[]
  edges: GraphEdge[]
}

export const GRAPH_FORMAT = 1 as const

const DEFAULT_SETTINGS: { [K in NodeKind]: SettingsByKind[K] } = {
  start: {},
  end: {},
  decision: {},
  task: { checklist: [], required_fields: [], metric_fields: [] },
  approval: { instructions: '', sets_variable: null },
  wait: { mode: 'delay', until_offset_minutes: null, delay_minutes: null },
  notify: { channel: null, to_role: null, message: '' },
  recurring: { every_minutes: null, count: null, until_offset_minutes: null, cue: '' },
}

export function defaultSettings<K extends NodeKind>(kind: K): SettingsByKind[K] {
  return structuredClone(DEFAULT_SETTINGS[kind])
}

/** A node's settings with every field the kind knows filled in. */
export function settingsOf<K extends NodeKind>(node: GraphNode, kind: K): SettingsByKind[K] {
  return { ...DEFAULT_SETTINGS[kind], ...(node.settings as Partial<SettingsByKind[K]>) }
}
