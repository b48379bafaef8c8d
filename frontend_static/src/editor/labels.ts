// Words for the graph's vocabulary in the reader's language.

import type { MessageKey, Translate } from '../i18n'
import type { NodeKind, Phase } from '../model/graph'
import type { UnitWords } from '../model/minutes'
import type { Problem } from '../model/problems'

type Lookup = (key: string, fallback: string) => string

export const kindLabel = (t: Translate, kind: NodeKind) => t(`kind.${kind}` as MessageKey)
export const phaseLabel = (t: Translate, phase: Phase) => t(`phase.${phase}` as MessageKey)

/** A well-known role's name ("主播"); a workspace's own role keeps its key. */
export const roleLabel = (tx: Lookup, role: string) => tx(`role.${role}`, role)

/** A problem's short title in the reader's language; the server's sentence otherwise. */
export const problemTitle = (tx: Lookup, problem: Problem) =>
  tx(`problem.${problem.code}`, problem.message)

export const unitWords = (t: Translate): UnitWords => ({
  d: t('unit.d'),
  h: t('unit.h'),
  m: t('unit.m'),
})
