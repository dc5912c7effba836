/**
 * The roll-up of a sprint focus: the focus, then every linked board's scope reduced to what a
 * sprint plan needs — problems in play with their metrics, chosen solutions and open edge cases,
 * and the board's health. `GET /api/focuses/:id/scope.json` serves it; `validate.ts` holds its
 * zod schema. Bump ROLLUP_SCHEMA_VERSION on any change a consumer could notice.
 */
import type { Owner, Severity } from '../scope/card.ts'
import type { CardId, HealthCheck, Metric, Problem } from '../scope/types.ts'
import type { Focus } from './model.ts'

export const ROLLUP_SCHEMA_VERSION = 1

/** The focus as the roll-up shows it: everything but its bookkeeping times. */
export type RollupFocus = Omit<Focus, 'createdAt' | 'updatedAt'>

export interface RollupMetric {
  id: CardId
  title: string
  target: string
  status: Metric['status']
}

export interface RollupSolution {
  id: CardId
  title: string
  appetite: string
  owners: Owner[]
  /** Marked "no edge cases found" on the board. */
  noEdgeCases: boolean
  /** Edge cases linked to the solution, whatever their status. */
  edgeCases: number
  openEdgeCases: number
}

/** An open edge case; `solution` is the one it hangs under, null when on the problem itself. */
export interface RollupEdgeCase {
  id: CardId
  title: string
  severity: Severity
  owners: Owner[]
  solution: { id: CardId; title: string } | null
}

export interface RollupProblem {
  id: CardId
  title: string
  status: Exclude<Problem['status'], 'dropped'>
  owners: Owner[]
  metrics: RollupMetric[]
  chosenSolutions: RollupSolution[]
  /** Open edge cases on the problem and on its solutions that are not rejected. */
  openEdgeCases: RollupEdgeCase[]
}

/** Counted per board; a card linked under two parents counts once. */
export interface BoardTotals {
  /** Problems in play (not dropped). */
  problems: number
  problemsWithMetric: number
  /** Chosen solutions in play: under a problem in play, or not linked yet. */
  chosenSolutions: number
  /** Chosen solutions with at least one edge case, or marked "no edge cases found". */
  chosenSolutionsWithEdgeCases: number
  openEdgeCases: number
  openHighSeverityEdgeCases: number
}

export interface RollupTotals extends BoardTotals {
  boards: number
  /** Boards whose scope is ready for sprint (no blocking health check fails). */
  boardsReadyForSprint: number
}

export interface RollupBoard {
  id: string
  title: string
  problems: RollupProblem[]
  /** In-play cards not linked to a problem yet, so nothing open drops out of the plan. */
  unlinked: { chosenSolutions: RollupSolution[]; openEdgeCases: RollupEdgeCase[] }
  /** The board's own health, as in its scope export: all seven checks, and readiness. */
  health: { ready: boolean; checks: HealthCheck[] }
  totals: BoardTotals
}

export interface FocusRollup {
  schemaVersion: typeof ROLLUP_SCHEMA_VERSION
  focus: RollupFocus
  /** Sorted by title, then id. */
  boards: RollupBoard[]
  totals: RollupTotals
}
