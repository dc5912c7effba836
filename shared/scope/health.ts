/**
 * Scope health: the checks that say whether a scope is sound enough for a sprint, straight from
 * the pitfalls of scoping (DESIGN.md, "Scope health"). All seven checks are always reported, in
 * the design's order, so a consumer can show what passed as well as what failed.
 *
 * Dropped problems and rejected solutions stay in the tree but are not held to the checks; a
 * chosen solution or an edge case that only hangs under such cards is not held to them either.
 */
import type { EdgeCase, FocusRef, HealthCheck, HealthCheckId, Problem, Scope, Solution } from './types.ts'

export type HealthInput = Pick<Scope, 'problems' | 'unlinked' | 'focus'>

/** The design's table, in order: which checks block a sprint and which only warn. */
export const HEALTH_CHECK_SEVERITY: Readonly<Record<HealthCheckId, HealthCheck['severity']>> = {
  'problem-without-metric': 'blocking',
  'single-solution': 'warning',
  'no-engineering-owner': 'blocking',
  'chosen-solution-without-edge-cases': 'blocking',
  'open-high-severity-edge-case': 'blocking',
  'open-comment-on-chosen-solution': 'warning',
  'no-sprint-focus': 'warning',
}

export const HEALTH_CHECK_IDS = Object.keys(HEALTH_CHECK_SEVERITY) as [HealthCheckId, ...HealthCheckId[]]

/** The cards the checks apply to: everything not set aside by a dropped problem or a rejected solution. */
interface InPlay {
  problems: Problem[]
  chosenSolutions: Solution[]
  edgeCases: EdgeCase[]
}

export function evaluateHealth(input: HealthInput): Scope['health'] {
  const cards = inPlay(input)
  const hasEngineer = (card: { owners: { discipline: string }[] }) =>
    card.owners.some((o) => o.discipline === 'engineering')

  const withoutMetric = cards.problems.filter((p) => p.metrics.length === 0)
  const singleSolution = cards.problems.filter((p) => p.solutions.length < 2)
  const problemsWithoutEngineer = cards.problems.filter((p) => !hasEngineer(p))
  const solutionsWithoutEngineer = cards.chosenSolutions.filter((s) => !hasEngineer(s))
  const withoutEdgeCases = cards.chosenSolutions.filter((s) => s.edgeCases.length === 0 && !s.noEdgeCases)
  const openHigh = cards.edgeCases.filter((e) => e.severity === 'high' && e.status === 'open')
  const commented = cards.chosenSolutions.filter((s) => s.openThreads > 0)
  const focus = input.focus

  const checks: HealthCheck[] = [
    check(
      'problem-without-metric',
      withoutMetric,
      `${count(withoutMetric.length, 'problem has', 'problems have')} no success metric: add a metric card and link it to the problem with an arrow.`,
      'Every problem has a success metric.',
    ),
    check(
      'single-solution',
      singleSolution,
      `${count(singleSolution.length, 'problem has', 'problems have')} fewer than two solutions considered: sketch an alternative solution and link it to the problem, even if you reject it.`,
      'Every problem has at least two solutions considered.',
    ),
    check(
      'no-engineering-owner',
      [...problemsWithoutEngineer, ...solutionsWithoutEngineer],
      `${ownerlessSubject(problemsWithoutEngineer.length, solutionsWithoutEngineer.length)} no engineering owner: add an engineer as owner or co-owner.`,
      'Every problem and chosen solution has an engineering owner or co-owner.',
    ),
    check(
      'chosen-solution-without-edge-cases',
      withoutEdgeCases,
      `${count(withoutEdgeCases.length, 'chosen solution has', 'chosen solutions have')} no edge cases: add edge-case cards and link them to the solution, or mark it "no edge cases found".`,
      'Every chosen solution has its edge cases thought through.',
    ),
    check(
      'open-high-severity-edge-case',
      openHigh,
      `${count(openHigh.length, 'high-severity edge case is', 'high-severity edge cases are')} still open: handle ${openHigh.length === 1 ? 'it' : 'them'}, or decide explicitly not to.`,
      'No high-severity edge case is left open.',
    ),
    check(
      'open-comment-on-chosen-solution',
      commented,
      `${count(commented.length, 'chosen solution has', 'chosen solutions have')} open comment threads: resolve the feedback before the sprint starts.`,
      'No chosen solution has an open comment thread.',
    ),
    focusCheck(focus),
  ]
  const blockingFailed = checks.some((c) => !c.passed && c.severity === 'blocking')
  const activeProblem = input.problems.some((p) => p.status !== 'dropped')
  return { ready: activeProblem && !blockingFailed, checks }
}

function check(id: HealthCheckId, failing: { id: string }[], failMessage: string, passMessage: string): HealthCheck {
  const cardIds = [...new Set(failing.map((c) => c.id))].sort()
  const passed = cardIds.length === 0
  return { id, severity: HEALTH_CHECK_SEVERITY[id], passed, message: passed ? passMessage : failMessage, cardIds }
}

function focusCheck(focus: FocusRef | null): HealthCheck {
  const id = 'no-sprint-focus'
  const severity = HEALTH_CHECK_SEVERITY[id]
  if (!focus) {
    return {
      id,
      severity,
      passed: false,
      message: 'The board is not linked to a sprint focus: link it to the focus it serves.',
      cardIds: [],
    }
  }
  const name = focusName(focus)
  if (!focus.strategy?.trim()) {
    return {
      id,
      severity,
      passed: false,
      message: `The sprint focus ${name} names no strategy: add the strategy it serves to the focus.`,
      cardIds: [],
    }
  }
  return {
    id,
    severity,
    passed: true,
    message: `The board serves sprint focus ${name}, which names its strategy.`,
    cardIds: [],
  }
}

function focusName(focus: FocusRef): string {
  const label = [focus.sprint.trim(), focus.title.trim()].filter(Boolean).join(': ')
  return label ? `"${label}"` : `"${focus.id}"`
}

function count(n: number, singular: string, plural: string): string {
  return `${n} ${n === 1 ? singular : plural}`
}

function ownerlessSubject(problems: number, solutions: number): string {
  const parts = [
    problems ? `${problems} ${problems === 1 ? 'problem' : 'problems'}` : '',
    solutions ? `${solutions} chosen ${solutions === 1 ? 'solution' : 'solutions'}` : '',
  ].filter(Boolean)
  return `${parts.join(' and ')} ${problems + solutions === 1 ? 'has' : 'have'}`
}

function inPlay({ problems, unlinked }: HealthInput): InPlay {
  const active = problems.filter((p) => p.status !== 'dropped')
  const solutions = new Map<string, Solution>()
  for (const s of [...active.flatMap((p) => p.solutions), ...unlinked.solutions]) {
    if (s.status !== 'rejected') solutions.set(s.id, s)
  }
  const edgeCases = new Map<string, EdgeCase>()
  for (const e of [
    ...active.flatMap((p) => p.edgeCases),
    ...[...solutions.values()].flatMap((s) => s.edgeCases),
    ...unlinked.edgeCases,
  ]) {
    edgeCases.set(e.id, e)
  }
  return {
    problems: active,
    chosenSolutions: [...solutions.values()].filter((s) => s.status === 'chosen'),
    edgeCases: [...edgeCases.values()],
  }
}
