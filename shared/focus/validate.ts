/**
 * The roll-up's contract as a zod schema: what `renderRollupJson` writes and what a consumer of
 * `GET /api/focuses/:id/scope.json` may rely on. Objects are strict, so a stray key is an error.
 */
import { z } from 'zod'
import { DISCIPLINES, SEVERITIES, STATUSES } from '../scope/card.ts'
import { HEALTH_CHECK_IDS } from '../scope/health.ts'
import { FOCUS_STATUSES } from './model.ts'
import { ROLLUP_SCHEMA_VERSION, type FocusRollup } from './types.ts'

const cardId = z.string().min(1)
const count = z.int().min(0)
const owners = z.array(z.strictObject({ name: z.string().min(1), discipline: z.enum(DISCIPLINES) }))
const isoDate = z.iso.date().nullable()

const solutionSchema = z.strictObject({
  id: cardId,
  title: z.string(),
  appetite: z.string(),
  owners,
  noEdgeCases: z.boolean(),
  edgeCases: count,
  openEdgeCases: count,
})

const edgeCaseSchema = z.strictObject({
  id: cardId,
  title: z.string(),
  severity: z.enum(SEVERITIES),
  owners,
  solution: z.strictObject({ id: cardId, title: z.string() }).nullable(),
})

const problemSchema = z.strictObject({
  id: cardId,
  title: z.string(),
  status: z.enum(STATUSES.problem).exclude(['dropped']),
  owners,
  metrics: z.array(
    z.strictObject({ id: cardId, title: z.string(), target: z.string(), status: z.enum(STATUSES.metric) }),
  ),
  chosenSolutions: z.array(solutionSchema),
  openEdgeCases: z.array(edgeCaseSchema),
})

const boardTotals = {
  problems: count,
  problemsWithMetric: count,
  chosenSolutions: count,
  chosenSolutionsWithEdgeCases: count,
  openEdgeCases: count,
  openHighSeverityEdgeCases: count,
}

const boardSchema = z.strictObject({
  id: z.string().min(1),
  title: z.string(),
  problems: z.array(problemSchema),
  unlinked: z.strictObject({ chosenSolutions: z.array(solutionSchema), openEdgeCases: z.array(edgeCaseSchema) }),
  health: z.strictObject({
    ready: z.boolean(),
    checks: z.array(
      z.strictObject({
        id: z.enum(HEALTH_CHECK_IDS),
        severity: z.enum(['blocking', 'warning']),
        passed: z.boolean(),
        message: z.string().min(1),
        cardIds: z.array(cardId),
      }),
    ),
  }),
  totals: z.strictObject(boardTotals),
})

export const rollupSchema = z.strictObject({
  schemaVersion: z.literal(ROLLUP_SCHEMA_VERSION),
  focus: z.strictObject({
    id: z.string().min(1),
    sprint: z.string().min(1),
    title: z.string().min(1),
    goal: z.string().nullable(),
    metric: z.string().nullable(),
    strategy: z.string().nullable(),
    startDate: isoDate,
    endDate: isoDate,
    status: z.enum(FOCUS_STATUSES),
  }),
  boards: z.array(boardSchema),
  totals: z.strictObject({ boards: count, boardsReadyForSprint: count, ...boardTotals }),
})

export type ValidateRollupResult = { ok: true; rollup: FocusRollup } | { ok: false; error: string }

export function validateRollup(value: unknown): ValidateRollupResult {
  const result = rollupSchema.safeParse(value)
  if (result.success) return { ok: true, rollup: result.data }
  const [first] = result.error.issues
  const where = first.path.length ? first.path.map(String).join('.') : '(the roll-up itself)'
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : ''
  return { ok: false, error: `Not a valid roll-up: ${where}: ${first.message}${more}` }
}
