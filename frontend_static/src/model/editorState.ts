// The editor's state as one immutable value and every transition of it as a pure function:
// the graph with its undo stack, the selection, and where the draft stands with the server
// (saved revision, saving, failed, or in conflict with another tab's save).

import type { Draft, LayoutResult, SavedDraft } from '../api/types'
import type { Graph } from './graph'
import { applyEdit, withPositions, type GraphEdit } from './graphReducer'
import * as history from './history'
import type { History } from './history'
import { problemsFromFieldErrors, type FieldError, type Problem } from './problems'

export interface Selection {
  nodeIds: string[]
  edgeIds: string[]
}

export const NO_SELECTION: Selection = { nodeIds: [], edgeIds: [] }

export type SaveStatus = 'idle' | 'saving' | 'failed' | 'conflict'

export interface Conflict {
  /** The revision another tab (or person) saved, and what it holds. */
  revision: number
  draft: Draft
}

export interface SaveState {
  /** The server's draft revision that `savedGraph` is. Sent as If-Match. */
  baseRevision: number
  savedGraph: Graph
  status: SaveStatus
  /** Error code of the last failed save ("network.unreachable", "auth.forbidden", ...). */
  error: string | null
  conflict: Conflict | null
  savedAt: string | null
}

export interface EditorState {
  history: History<Graph>
  selection: Selection
  save: SaveState
  /** Validation problems of the last saved revision. */
  problems: Problem[]
  /** Why the server refused the last document (422 graph.invalid_document). */
  refusals: Problem[]
  readOnly: boolean
}

export function initialState(draft: Draft, readOnly = false): EditorState {
  return {
    history: history.createHistory(draft.graph),
    selection: NO_SELECTION,
    save: {
      baseRevision: draft.revision,
      savedGraph: draft.graph,
      status: 'idle',
      error: null,
      conflict: null,
      savedAt: draft.updated_at,
    },
    problems: draft.problems,
    refusals: [],
    readOnly,
  }
}

export function graphOf(state: EditorState): Graph {
  return state.history.present
}

/** Unsaved work: the graph on screen is not the one the server holds. */
export function isDirty(state: EditorState): boolean {
  return state.history.present !== state.save.savedGraph
}

function pruneSelection(selection: Selection, graph: Graph): Selection {
  const nodes = new Set(graph.nodes.map((n) => n.id))
  const edges = new Set(graph.edges.map((e) => e.id))
  const nodeIds = selection.nodeIds.filter((id) => nodes.has(id))
  const edgeIds = selection.edgeIds.filter((id) => edges.has(id))
  if (nodeIds.length === selection.nodeIds.length && edgeIds.length === selection.edgeIds.length)
    return selection
  return { nodeIds, edgeIds }
}

function withGraph(state: EditorState, next: History<Graph>): EditorState {
  if (next === state.history) return state
  return { ...state, history: next, selection: pruneSelection(state.selection, next.present) }
}

/** Apply a planner's edit; `key` merges a run of edits into one undo step. */
export function edit(
  state: EditorState,
  change: GraphEdit,
  key?: string,
  now?: number,
): EditorState {
  if (state.readOnly) return state
  const next = applyEdit(state.history.present, change)
  return withGraph(state, history.record(state.history, next, { key, now }))
}

export function undo(state: EditorState): EditorState {
  return state.readOnly ? state : withGraph(state, history.undo(state.history))
}

export function redo(state: EditorState): EditorState {
  return state.readOnly ? state : withGraph(state, history.redo(state.history))
}

export function select(state: EditorState, selection: Selection): EditorState {
  const same =
    selection.nodeIds.join() === state.selection.nodeIds.join() &&
    selection.edgeIds.join() === state.selection.edgeIds.join()
  return same ? state : { ...state, selection }
}

export function saveStarted(state: EditorState): EditorState {
  return { ...state, save: { ...state.save, status: 'saving', error: null } }
}

/** The server stored `sent` as a new revision. Edits made meanwhile stay unsaved. */
export function saveSucceeded(state: EditorState, sent: Graph, result: SavedDraft): EditorState {
  return {
    ...state,
    save: {
      ...state.save,
      baseRevision: result.revision,
      savedGraph: sent,
      status: 'idle',
      error: null,
      savedAt: result.updated_at,
    },
    problems: result.problems,
    refusals: [],
  }
}

export function saveFailed(
  state: EditorState,
  code: string,
  errors: FieldError[] = [],
): EditorState {
  return {
    ...state,
    save: { ...state.save, status: 'failed', error: code },
    refusals: code === 'graph.invalid_document' ? problemsFromFieldErrors(errors) : state.refusals,
  }
}

/** Another tab saved first (412). Nothing of the planner's work is touched. */
export function saveConflicted(state: EditorState, conflict: Conflict): EditorState {
  return { ...state, save: { ...state.save, status: 'conflict', error: null, conflict } }
}

/** Resolve a conflict by saving this tab's graph over the other one. */
export function keepMine(state: EditorState): EditorState {
  const conflict = state.save.conflict
  if (!conflict) return state
  return {
    ...state,
    save: {
      ...state.save,
      baseRevision: conflict.revision,
      savedGraph: conflict.draft.graph,
      status: 'idle',
      conflict: null,
    },
    problems: conflict.draft.problems,
  }
}

/** Resolve a conflict by loading the other save; one undo brings this tab's graph back. */
export function takeTheirs(state: EditorState): EditorState {
  const conflict = state.save.conflict
  if (!conflict) return state
  const theirs = conflict.draft.graph
  return {
    ...state,
    history: history.record(state.history, theirs),
    selection: pruneSelection(state.selection, theirs),
    save: {
      ...state.save,
      baseRevision: conflict.revision,
      savedGraph: theirs,
      status: 'idle',
      error: null,
      conflict: null,
      savedAt: conflict.draft.updated_at,
    },
    problems: conflict.draft.problems,
    refusals: [],
  }
}

/** The server laid the draft out and saved it: move the nodes there, as one undo step. */
export function layoutApplied(state: EditorState, result: LayoutResult): EditorState {
  const present = state.history.present
  const moved = withPositions(present, result.positions)
  const wasSaved = present === state.save.savedGraph
  return {
    ...state,
    history: history.record(state.history, moved),
    save: {
      ...state.save,
      baseRevision: result.revision,
      savedGraph: wasSaved ? moved : withPositions(state.save.savedGraph, result.positions),
      status: 'idle',
      error: null,
      savedAt: result.updated_at,
    },
    problems: result.problems,
  }
}
