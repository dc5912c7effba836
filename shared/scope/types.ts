/**
 * The structured scope of a board, as extracted from its records and exported as JSON. Bump
 * SCOPE_SCHEMA_VERSION on any change a consumer could notice; `scope.schema.json` is generated
 * from the zod schema in `validate.ts`.
 */
import type { CardKind, CardStatus, Owner, Severity } from './card.ts'

/** 2: cards carry their comment threads, and the scope its orphaned ones. */
export const SCOPE_SCHEMA_VERSION = 2

/** Card ids in exports are the tldraw shape id without its "shape:" prefix. */
export type CardId = string

/**
 * One message of a thread as exported: who wrote it (name and discipline only — never the
 * browser's profile id or colour) and what. A deleted message keeps its place so the thread still
 * reads in order, with an empty body and `deleted: true`.
 */
export interface ScopeMessage {
  author: Owner
  body: string
  createdAt: string
  deleted: boolean
}

/** A comment thread anchored to a card; its messages in thread order. */
export interface ScopeThread {
  id: string
  status: 'open' | 'resolved'
  createdAt: string
  messages: ScopeMessage[]
}

/** A thread whose shape was deleted: kept in the export so the feedback is not silently lost. */
export interface OrphanedThread extends ScopeThread {
  /** The deleted shape's id without its "shape:" prefix, as card ids are written. */
  anchorId: string
}

interface CardBase {
  id: CardId
  title: string
  details: string
  owners: Owner[]
  /** How many of `threads` are open. */
  openThreads: number
  /** The comment threads anchored to this card, open and resolved, oldest first. */
  threads: ScopeThread[]
}

export interface EdgeCase extends CardBase {
  kind: 'edge-case'
  status: Extract<CardStatus, 'open' | 'handled' | 'wont-handle'>
  severity: Severity
}

export interface Metric extends CardBase {
  kind: 'metric'
  status: Extract<CardStatus, 'proposed' | 'tracking'>
  target: string
}

export interface Solution extends CardBase {
  kind: 'solution'
  status: Extract<CardStatus, 'proposed' | 'chosen' | 'rejected'>
  appetite: string
  noEdgeCases: boolean
  edgeCases: EdgeCase[]
}

export interface Problem extends CardBase {
  kind: 'problem'
  status: Extract<CardStatus, 'open' | 'scoped' | 'dropped'>
  affected: string
  evidence: string
  metrics: Metric[]
  solutions: Solution[]
  /** Edge cases linked to the problem itself rather than to one of its solutions. */
  edgeCases: EdgeCase[]
}

export interface FocusRef {
  id: string
  sprint: string
  title: string
  goal: string | null
  metric: string | null
  strategy: string | null
}

export type HealthCheckId =
  | 'problem-without-metric'
  | 'single-solution'
  | 'no-engineering-owner'
  | 'chosen-solution-without-edge-cases'
  | 'open-high-severity-edge-case'
  | 'open-comment-on-chosen-solution'
  | 'no-sprint-focus'

export interface HealthCheck {
  id: HealthCheckId
  severity: 'blocking' | 'warning'
  passed: boolean
  /** Says what is wrong and how to fix it; for a passed check, what was checked. */
  message: string
  /** The cards the check concerns, sorted; empty when it passed or concerns the board. */
  cardIds: CardId[]
}

export interface Scope {
  schemaVersion: typeof SCOPE_SCHEMA_VERSION
  board: { id: string; title: string }
  focus: FocusRef | null
  problems: Problem[]
  /** Cards not linked to any parent they could hang under (problems are always roots). */
  unlinked: { solutions: Solution[]; edgeCases: EdgeCase[]; metrics: Metric[] }
  /** Threads anchored to a shape that no longer exists, open and resolved, oldest first. */
  orphanedThreads: OrphanedThread[]
  health: { ready: boolean; checks: HealthCheck[] }
  totals: {
    problems: number
    solutions: number
    chosenSolutions: number
    edgeCases: number
    openEdgeCases: number
    metrics: number
  }
}

export type AnyCard = Problem | Solution | EdgeCase | Metric
export type { CardKind }
