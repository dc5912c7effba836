/**
 * The body of `POST /api/boards/:id/cards`, checked with zod before anything touches a board.
 * Every refusal names the field and says what is allowed, so a script author can fix the call
 * from the message alone.
 */
import { z } from 'zod'
import {
  CARD_KINDS,
  CARD_LIMITS,
  DISCIPLINES,
  SEVERITIES,
  STATUSES,
  type CardKind,
  type Owner,
  type Severity,
} from '../../shared/scope/card.ts'

/** A card as the API was asked to create it, trimmed and checked; `parentId` is a bare card id. */
export interface CardInput {
  kind: CardKind
  title: string
  details?: string
  owners?: Owner[]
  status?: string
  severity?: Severity
  parentId?: string
  affected?: string
  evidence?: string
  appetite?: string
  noEdgeCases?: boolean
  target?: string
}

const SHAPE_PREFIX = 'shape:'
/** Longer than any id tldraw makes; bounds what a lookup is asked to do. */
const MAX_PARENT_ID_LENGTH = 200

const list = (values: readonly string[]) => values.join(', ')

function boundedText(max: number) {
  const message = `must be a string of at most ${max} characters`
  return z.string({ error: message }).max(max, { error: message })
}

function requiredText(max: number) {
  const message = `must be a non-empty string of at most ${max} characters`
  return z.string({ error: message }).trim().min(1, { error: message }).max(max, { error: message })
}

const ownerSchema = z.strictObject(
  {
    name: requiredText(CARD_LIMITS.ownerName),
    discipline: z.enum(DISCIPLINES, { error: `must be one of ${list(DISCIPLINES)}` }),
  },
  { error: 'must be an object {name, discipline}' },
)

/** Fields that only mean something on one kind of card. */
const KIND_FIELDS = {
  severity: 'edge-case',
  affected: 'problem',
  evidence: 'problem',
  appetite: 'solution',
  noEdgeCases: 'solution',
  target: 'metric',
} as const satisfies Record<string, CardKind>

const cardBodySchema = z
  .strictObject({
    kind: z.enum(CARD_KINDS, { error: `must be one of ${list(CARD_KINDS)}` }),
    title: requiredText(CARD_LIMITS.title),
    details: boundedText(CARD_LIMITS.details).optional(),
    owners: z
      .array(ownerSchema, { error: `must be a list of {name, discipline}` })
      .max(CARD_LIMITS.owners, { error: `must list at most ${CARD_LIMITS.owners} owners` })
      .optional(),
    status: z.string({ error: 'must be a string' }).optional(),
    severity: z.enum(SEVERITIES, { error: `must be one of ${list(SEVERITIES)}` }).optional(),
    parentId: z
      .string({ error: 'must be the id of a card on this board' })
      .trim()
      .min(1, { error: 'must be the id of a card on this board' })
      .max(MAX_PARENT_ID_LENGTH, { error: 'must be the id of a card on this board' })
      .nullable()
      .optional(),
    affected: boundedText(CARD_LIMITS.field).optional(),
    evidence: boundedText(CARD_LIMITS.field).optional(),
    appetite: boundedText(CARD_LIMITS.field).optional(),
    noEdgeCases: z.boolean({ error: 'must be true or false' }).optional(),
    target: boundedText(CARD_LIMITS.field).optional(),
  })
  .superRefine(function checkAgainstKind(body, ctx) {
    const statuses: readonly string[] = STATUSES[body.kind]
    if (body.status !== undefined && !statuses.includes(body.status)) {
      ctx.addIssue({ code: 'custom', path: ['status'], message: `of a ${body.kind} must be one of ${list(statuses)}` })
    }
    for (const [field, kind] of Object.entries(KIND_FIELDS)) {
      if (body[field as keyof typeof KIND_FIELDS] !== undefined && kind !== body.kind) {
        ctx.addIssue({ code: 'custom', path: [field], message: `only applies to ${kind} cards` })
      }
    }
    if (body.kind === 'problem' && body.parentId) {
      ctx.addIssue({
        code: 'custom',
        path: ['parentId'],
        message: 'must be left out: a problem takes no parent (problems are the roots of the scope)',
      })
    }
  })

const FIELDS = Object.keys(cardBodySchema.shape)

function pathText(path: readonly PropertyKey[]): string {
  let text = ''
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : text ? `.${String(part)}` : String(part)
  return text
}

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ')
    const where = issue.path.length ? ` in "${pathText(issue.path)}"` : ''
    return `unknown field ${keys}${where}; a card takes ${list(FIELDS)}`
  }
  return issue.path.length ? `"${pathText(issue.path)}" ${issue.message}` : issue.message
}

export type CardInputResult = { ok: true; input: CardInput } | { ok: false; message: string }

/** Checks a parsed JSON object; the message of a refusal lists every problem found. */
export function parseCardInput(body: Record<string, unknown>): CardInputResult {
  const parsed = cardBodySchema.safeParse(body)
  if (!parsed.success) {
    const messages = [...new Set(parsed.error.issues.map(issueText))]
    return { ok: false, message: messages.join('; ') }
  }
  const { parentId, ...rest } = parsed.data
  const input: CardInput = rest
  if (parentId) input.parentId = parentId.startsWith(SHAPE_PREFIX) ? parentId.slice(SHAPE_PREFIX.length) : parentId
  return { ok: true, input }
}
