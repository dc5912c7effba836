/**
 * The scope export's contract as a zod schema: what `renderScopeJson` writes and what a consumer
 * may rely on. Objects are strict, so a stray or misspelt key is an error, not silently dropped.
 * `scope.schema.json` is generated from this schema (scripts/generate-scope-schema.ts) and a unit
 * test keeps the two equal.
 */
import { z } from 'zod'
import { CARD_LIMITS, DISCIPLINES, SEVERITIES, STATUSES } from './card.ts'
import { MAX_THREAD_MESSAGE_LENGTH } from './extract.ts'
import { HEALTH_CHECK_IDS } from './health.ts'
import { SCOPE_SCHEMA_VERSION, type Scope } from './types.ts'

/**
 * Names and descriptions for the generated JSON Schema. A registry of its own rather than zod's
 * global one: re-evaluating this module (hot reload, tests) must not collide with itself.
 */
const jsonSchemaMeta = z.registry<{ id?: string; title?: string; description?: string }>()

const cardId = z.string().min(1)
const title = z.string().max(CARD_LIMITS.title)
const details = z.string().max(CARD_LIMITS.details)
const field = z.string().max(CARD_LIMITS.field)
const openThreads = z.int().min(0)
const count = z.int().min(0)

const ownerSchema = z
  .strictObject({ name: z.string().min(1).max(CARD_LIMITS.ownerName), discipline: z.enum(DISCIPLINES) })
  .register(jsonSchemaMeta, { id: 'Owner', description: 'A person who owns the card, with their discipline.' })
const owners = z.array(ownerSchema).max(CARD_LIMITS.owners)

const messageSchema = z
  .strictObject({
    author: ownerSchema,
    body: z.string().max(MAX_THREAD_MESSAGE_LENGTH).describe('Plain text; empty when the message was deleted.'),
    createdAt: z.string(),
    deleted: z.boolean(),
  })
  .register(jsonSchemaMeta, {
    id: 'CommentMessage',
    description: 'One message of a comment thread: its author (name and discipline) and text.',
  })

const threadFields = {
  id: z.string().min(1),
  status: z.enum(['open', 'resolved']),
  createdAt: z.string(),
  messages: z.array(messageSchema).min(1),
}

const threadSchema = z
  .strictObject(threadFields)
  .register(jsonSchemaMeta, { id: 'CommentThread', description: 'A comment thread anchored to a card.' })
const threads = z.array(threadSchema)

const orphanedThreadSchema = z
  .strictObject({
    id: threadFields.id,
    anchorId: z.string().min(1).describe('The deleted shape the thread was anchored to, without "shape:".'),
    status: threadFields.status,
    createdAt: threadFields.createdAt,
    messages: threadFields.messages,
  })
  .register(jsonSchemaMeta, {
    id: 'OrphanedThread',
    description: 'A comment thread whose shape was deleted, kept so its feedback is not lost.',
  })

const edgeCaseSchema = z
  .strictObject({
    id: cardId,
    kind: z.literal('edge-case'),
    title,
    status: z.enum(STATUSES['edge-case']),
    severity: z.enum(SEVERITIES),
    details,
    owners,
    openThreads,
    threads,
  })
  .register(jsonSchemaMeta, { id: 'EdgeCase', description: 'Something that can go wrong, and whether it is handled.' })

const metricSchema = z
  .strictObject({
    id: cardId,
    kind: z.literal('metric'),
    title,
    status: z.enum(STATUSES.metric),
    target: field,
    details,
    owners,
    openThreads,
    threads,
  })
  .register(jsonSchemaMeta, { id: 'Metric', description: 'How the team will know the problem is solved.' })

const solutionSchema = z
  .strictObject({
    id: cardId,
    kind: z.literal('solution'),
    title,
    status: z.enum(STATUSES.solution),
    appetite: field,
    noEdgeCases: z.boolean(),
    details,
    owners,
    openThreads,
    threads,
    edgeCases: z.array(edgeCaseSchema),
  })
  .register(jsonSchemaMeta, { id: 'Solution', description: 'A way to solve a problem, with its edge cases.' })

const problemSchema = z
  .strictObject({
    id: cardId,
    kind: z.literal('problem'),
    title,
    status: z.enum(STATUSES.problem),
    affected: field,
    evidence: field,
    details,
    owners,
    openThreads,
    threads,
    metrics: z.array(metricSchema),
    solutions: z.array(solutionSchema),
    edgeCases: z.array(edgeCaseSchema).describe('Edge cases linked to the problem itself.'),
  })
  .register(jsonSchemaMeta, { id: 'Problem', description: 'A problem worth solving, with what hangs under it.' })

const focusSchema = z
  .strictObject({
    id: z.string(),
    sprint: z.string(),
    title: z.string(),
    goal: z.string().nullable(),
    metric: z.string().nullable(),
    strategy: z.string().nullable(),
  })
  .register(jsonSchemaMeta, { id: 'Focus', description: 'The sprint focus the board is linked to.' })

const healthCheckSchema = z
  .strictObject({
    id: z.enum(HEALTH_CHECK_IDS),
    severity: z.enum(['blocking', 'warning']),
    passed: z.boolean(),
    message: z.string().min(1),
    cardIds: z.array(cardId),
  })
  .register(jsonSchemaMeta, { id: 'HealthCheck', description: 'One scope health check and the cards it concerns.' })

export const scopeSchema = z
  .strictObject({
    schemaVersion: z.literal(SCOPE_SCHEMA_VERSION),
    board: z.strictObject({ id: z.string().min(1), title: z.string() }),
    focus: focusSchema.nullable(),
    problems: z.array(problemSchema),
    unlinked: z
      .strictObject({
        solutions: z.array(solutionSchema),
        edgeCases: z.array(edgeCaseSchema),
        metrics: z.array(metricSchema),
      })
      .describe('Cards not linked to any card they could hang under.'),
    orphanedThreads: z.array(orphanedThreadSchema),
    health: z.strictObject({
      ready: z.boolean(),
      checks: z.array(healthCheckSchema).superRefine((checks, ctx) => {
        const ids = checks.map((c) => c.id)
        for (const id of HEALTH_CHECK_IDS) {
          if (!ids.includes(id)) ctx.addIssue({ code: 'custom', message: `the "${id}" check is missing` })
        }
        if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: 'a check is listed twice' })
      }),
    }),
    totals: z.strictObject({
      problems: count,
      solutions: count,
      chosenSolutions: count,
      edgeCases: count,
      openEdgeCases: count,
      metrics: count,
    }),
  })
  .register(jsonSchemaMeta, {
    title: 'Scopeboard scope',
    description: 'The structured scope of a Scopeboard board: GET /api/boards/:id/scope.json.',
  })

export type ValidateScopeResult = { ok: true; scope: Scope } | { ok: false; error: string }

/** How many problems one error message lists; the rest are counted. */
const MAX_REPORTED_ISSUES = 3

export function validateScope(value: unknown): ValidateScopeResult {
  const result = scopeSchema.safeParse(value)
  if (result.success) return { ok: true, scope: result.data }
  const issues = result.error.issues
  const listed = issues.slice(0, MAX_REPORTED_ISSUES).map((i) => `${issuePath(i.path)}: ${i.message}`)
  const more = issues.length > MAX_REPORTED_ISSUES ? ` (and ${issues.length - MAX_REPORTED_ISSUES} more)` : ''
  return { ok: false, error: `Not a valid scope: ${listed.join('; ')}${more}` }
}

/** `problems[0].solutions[1].status`, as a person would write it. */
function issuePath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`
  return out || '(the scope itself)'
}

/** The JSON Schema of the export, generated from `scopeSchema`. */
export function scopeJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scopeSchema, { metadata: jsonSchemaMeta, target: 'draft-2020-12' })
}
