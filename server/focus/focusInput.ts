/**
 * The bodies of `POST /api/focuses` and `PATCH /api/focuses/:id`, checked with zod before anything
 * is stored. Every refusal names the field and says what it takes, so a script author can fix the
 * call from the message alone.
 */
import { z } from 'zod'
import { FOCUS_LIMITS, FOCUS_STATUSES, isIsoDate } from '../../shared/focus/model.ts'
import type { FocusFields } from '../storage/FocusStorage.ts'

const FIELDS = ['sprint', 'title', 'goal', 'metric', 'strategy', 'startDate', 'endDate', 'status'] as const

/** One line: whitespace runs (newlines included) collapse to one space. */
function lineText(max: number) {
  const message = `must be a non-empty string of at most ${max} characters`
  return z
    .string({ error: message })
    .transform((value) => value.replace(/\s+/g, ' ').trim())
    .pipe(z.string().min(1, { error: message }).max(max, { error: message }))
}

/** Free text, trimmed; empty or null clears it. */
function optionalText(max: number) {
  const message = `must be a string of at most ${max} characters, or null`
  return z
    .string({ error: message })
    .nullable()
    .transform((value) => value?.trim() || null)
    .pipe(z.string().max(max, { error: message }).nullable())
}

const date = z
  .string({ error: 'must be a date as YYYY-MM-DD (such as 2026-03-02), or null' })
  .refine(isIsoDate, { error: 'must be a real date as YYYY-MM-DD (such as 2026-03-02), or null' })
  .nullable()

const status = z.enum(FOCUS_STATUSES, { error: `must be one of ${FOCUS_STATUSES.join(', ')}` })

const fieldSchemas = {
  sprint: lineText(FOCUS_LIMITS.sprint),
  title: lineText(FOCUS_LIMITS.title),
  goal: optionalText(FOCUS_LIMITS.goal),
  metric: optionalText(FOCUS_LIMITS.metric),
  strategy: optionalText(FOCUS_LIMITS.strategy),
  startDate: date,
  endDate: date,
  status,
}

const createSchema = z.strictObject({
  sprint: fieldSchemas.sprint,
  title: fieldSchemas.title,
  goal: fieldSchemas.goal.optional(),
  metric: fieldSchemas.metric.optional(),
  strategy: fieldSchemas.strategy.optional(),
  startDate: fieldSchemas.startDate.optional(),
  endDate: fieldSchemas.endDate.optional(),
  status: fieldSchemas.status.optional(),
})

const patchSchema = z.strictObject({
  sprint: fieldSchemas.sprint.optional(),
  title: fieldSchemas.title.optional(),
  goal: fieldSchemas.goal.optional(),
  metric: fieldSchemas.metric.optional(),
  strategy: fieldSchemas.strategy.optional(),
  startDate: fieldSchemas.startDate.optional(),
  endDate: fieldSchemas.endDate.optional(),
  status: fieldSchemas.status.optional(),
})

export type FocusInputResult<T> = { ok: true; value: T } | { ok: false; message: string }

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ')
    return `unknown field ${keys}; a focus takes ${FIELDS.join(', ')}`
  }
  if (issue.path.length === 0) return issue.message
  // A required field that is missing reads as "must be …" like a wrong one.
  return `"${issue.path.map(String).join('.')}" ${issue.message}`
}

function refusal(error: z.ZodError): { ok: false; message: string } {
  return { ok: false, message: [...new Set(error.issues.map(issueText))].join('; ') }
}

/** The end of a sprint cannot come before its start; either may be open. */
export function checkDates(fields: { startDate: string | null; endDate: string | null }): string | null {
  const { startDate, endDate } = fields
  if (startDate && endDate && endDate < startDate) {
    return `"endDate" (${endDate}) must not be before "startDate" (${startDate})`
  }
  return null
}

export function parseFocusCreate(body: Record<string, unknown>): FocusInputResult<FocusFields> {
  const parsed = createSchema.safeParse(body)
  if (!parsed.success) return refusal(parsed.error)
  const value: FocusFields = {
    sprint: parsed.data.sprint,
    title: parsed.data.title,
    goal: parsed.data.goal ?? null,
    metric: parsed.data.metric ?? null,
    strategy: parsed.data.strategy ?? null,
    startDate: parsed.data.startDate ?? null,
    endDate: parsed.data.endDate ?? null,
    status: parsed.data.status ?? 'planned',
  }
  const dates = checkDates(value)
  return dates ? { ok: false, message: dates } : { ok: true, value }
}

/** The fields to change; the route checks the dates against the stored ones. */
export function parseFocusPatch(body: Record<string, unknown>): FocusInputResult<Partial<FocusFields>> {
  const parsed = patchSchema.safeParse(body)
  if (!parsed.success) return refusal(parsed.error)
  const value: Partial<FocusFields> = {}
  for (const field of FIELDS) {
    if (parsed.data[field] !== undefined) Object.assign(value, { [field]: parsed.data[field] })
  }
  if (Object.keys(value).length === 0) {
    return { ok: false, message: `nothing to change: send at least one of ${FIELDS.join(', ')}` }
  }
  return { ok: true, value }
}
