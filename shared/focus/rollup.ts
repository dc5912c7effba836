/**
 * From a focus and the scopes of its linked boards to the roll-up: pure, so the server, the
 * command line and the tests build the very same object. What counts is what the health checks
 * hold to: dropped problems and rejected solutions are out of play and left out, so the totals
 * agree with the boards' own checks (a board's "problems with a metric" is its problems minus
 * those the "problem-without-metric" check names, and so on).
 */
import type { Owner } from '../scope/card.ts'
import type { EdgeCase, Problem, Scope, Solution } from '../scope/types.ts'
import type { Focus } from './model.ts'
import {
  ROLLUP_SCHEMA_VERSION,
  type BoardTotals,
  type FocusRollup,
  type RollupBoard,
  type RollupEdgeCase,
  type RollupFocus,
  type RollupProblem,
  type RollupSolution,
  type RollupTotals,
} from './types.ts'

export function buildRollup(focus: RollupFocus | Focus, scopes: readonly Scope[]): FocusRollup {
  const boards = scopes.map(rollupBoard).sort(byTitle)
  const totals: RollupTotals = {
    boards: boards.length,
    boardsReadyForSprint: boards.filter((b) => b.health.ready).length,
    ...emptyTotals(),
  }
  for (const board of boards) {
    for (const key of TOTAL_KEYS) totals[key] += board.totals[key]
  }
  return {
    schemaVersion: ROLLUP_SCHEMA_VERSION,
    focus: {
      id: focus.id,
      sprint: focus.sprint,
      title: focus.title,
      goal: focus.goal,
      metric: focus.metric,
      strategy: focus.strategy,
      startDate: focus.startDate,
      endDate: focus.endDate,
      status: focus.status,
    },
    boards,
    totals,
  }
}

const TOTAL_KEYS = [
  'problems',
  'problemsWithMetric',
  'chosenSolutions',
  'chosenSolutionsWithEdgeCases',
  'openEdgeCases',
  'openHighSeverityEdgeCases',
] as const satisfies readonly (keyof BoardTotals)[]

function emptyTotals(): BoardTotals {
  return {
    problems: 0,
    problemsWithMetric: 0,
    chosenSolutions: 0,
    chosenSolutionsWithEdgeCases: 0,
    openEdgeCases: 0,
    openHighSeverityEdgeCases: 0,
  }
}

/**
 * Titles compared case-insensitively by code unit, not by locale, so every machine sorts alike;
 * the id breaks ties.
 */
function byTitle(a: RollupBoard, b: RollupBoard): number {
  return compare(a.title.toLowerCase(), b.title.toLowerCase()) || compare(a.title, b.title) || compare(a.id, b.id)
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function rollupBoard(scope: Scope): RollupBoard {
  const active = scope.problems.filter(
    (p): p is Problem & { status: RollupProblem['status'] } => p.status !== 'dropped',
  )
  const unlinkedInPlay = scope.unlinked.solutions.filter(notRejected)

  // One entry per card: a card linked under two parents is listed under both but counted once.
  const chosen = new Map<string, Solution>()
  const open = new Map<string, EdgeCase>()
  for (const solution of [...active.flatMap((p) => p.solutions), ...unlinkedInPlay]) {
    if (solution.status === 'chosen') chosen.set(solution.id, solution)
  }
  const problems = active.map((problem): RollupProblem => {
    const edgeCases = openEdgeCases([
      ...problem.solutions.filter(notRejected).flatMap((s) => s.edgeCases.map((e) => ({ edgeCase: e, solution: s }))),
      ...problem.edgeCases.map((e) => ({ edgeCase: e, solution: null })),
    ])
    for (const e of edgeCases) open.set(e.edgeCase.id, e.edgeCase)
    return {
      id: problem.id,
      title: problem.title,
      status: problem.status,
      owners: owners(problem.owners),
      metrics: problem.metrics.map((m) => ({ id: m.id, title: m.title, target: m.target, status: m.status })),
      chosenSolutions: problem.solutions.filter((s) => s.status === 'chosen').map(rollupSolution),
      openEdgeCases: edgeCases.map(rollupEdgeCase),
    }
  })
  const unlinkedEdgeCases = openEdgeCases([
    ...unlinkedInPlay.flatMap((s) => s.edgeCases.map((e) => ({ edgeCase: e, solution: s }))),
    ...scope.unlinked.edgeCases.map((e) => ({ edgeCase: e, solution: null })),
  ])
  for (const e of unlinkedEdgeCases) open.set(e.edgeCase.id, e.edgeCase)

  const openList = [...open.values()]
  return {
    id: scope.board.id,
    title: scope.board.title,
    problems,
    unlinked: {
      chosenSolutions: unlinkedInPlay.filter((s) => s.status === 'chosen').map(rollupSolution),
      openEdgeCases: unlinkedEdgeCases.map(rollupEdgeCase),
    },
    health: {
      ready: scope.health.ready,
      checks: scope.health.checks.map((c) => ({
        id: c.id,
        severity: c.severity,
        passed: c.passed,
        message: c.message,
        cardIds: [...c.cardIds],
      })),
    },
    totals: {
      problems: active.length,
      problemsWithMetric: active.filter((p) => p.metrics.length > 0).length,
      chosenSolutions: chosen.size,
      chosenSolutionsWithEdgeCases: [...chosen.values()].filter(thoughtThrough).length,
      openEdgeCases: openList.length,
      openHighSeverityEdgeCases: openList.filter((e) => e.severity === 'high').length,
    },
  }
}

function notRejected(solution: Solution): boolean {
  return solution.status !== 'rejected'
}

/** Edge cases thought through: at least one linked, or explicitly none found. */
function thoughtThrough(solution: Solution): boolean {
  return solution.edgeCases.length > 0 || solution.noEdgeCases
}

type Placed = { edgeCase: EdgeCase; solution: Solution | null }

/** The open ones, each once, in the order given (under a solution first, then on the problem). */
function openEdgeCases(placed: Placed[]): Placed[] {
  const seen = new Set<string>()
  return placed.filter(({ edgeCase }) => {
    if (edgeCase.status !== 'open' || seen.has(edgeCase.id)) return false
    seen.add(edgeCase.id)
    return true
  })
}

function rollupEdgeCase({ edgeCase, solution }: Placed): RollupEdgeCase {
  return {
    id: edgeCase.id,
    title: edgeCase.title,
    severity: edgeCase.severity,
    owners: owners(edgeCase.owners),
    solution: solution && { id: solution.id, title: solution.title },
  }
}

function rollupSolution(solution: Solution): RollupSolution {
  return {
    id: solution.id,
    title: solution.title,
    appetite: solution.appetite,
    owners: owners(solution.owners),
    noEdgeCases: solution.noEdgeCases,
    edgeCases: solution.edgeCases.length,
    openEdgeCases: solution.edgeCases.filter((e) => e.status === 'open').length,
  }
}

function owners(list: Owner[]): Owner[] {
  return list.map((o) => ({ name: o.name, discipline: o.discipline }))
}
