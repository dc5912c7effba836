/**
 * Scope cards: the one custom tldraw shape that makes Scopeboard a scoping tool. Its type, props,
 * validators and migrations live here, without React or the editor, so the client's ShapeUtil,
 * the server (which writes cards for the HTTP API) and the scope extraction agree on one shape.
 */
import { createShapePropsMigrationSequence, type RecordProps, type TLShape } from '@tldraw/tlschema'
import { T } from '@tldraw/validate'
import { DISCIPLINES, type Discipline } from '../disciplines.ts'

export const CARD_TYPE = 'scope-card'

export const CARD_KINDS = ['problem', 'solution', 'edge-case', 'metric'] as const
export type CardKind = (typeof CARD_KINDS)[number]

export const STATUSES = {
  problem: ['open', 'scoped', 'dropped'],
  solution: ['proposed', 'chosen', 'rejected'],
  'edge-case': ['open', 'handled', 'wont-handle'],
  metric: ['proposed', 'tracking'],
} as const satisfies Record<CardKind, readonly string[]>
export type CardStatus = (typeof STATUSES)[CardKind][number]

export const SEVERITIES = ['low', 'medium', 'high'] as const
export type Severity = (typeof SEVERITIES)[number]

export { DISCIPLINES, type Discipline } from '../disciplines.ts'

export interface Owner {
  name: string
  discipline: Discipline
}

export const KIND_LABEL: Record<CardKind, string> = {
  problem: 'Problem',
  solution: 'Solution',
  'edge-case': 'Edge case',
  metric: 'Metric',
}

export const STATUS_LABEL: Record<CardStatus, string> = {
  open: 'Open',
  scoped: 'Scoped',
  dropped: 'Dropped',
  proposed: 'Proposed',
  chosen: 'Chosen',
  rejected: 'Rejected',
  handled: 'Handled',
  'wont-handle': "Won't handle",
  tracking: 'Tracking',
}

/** Bounds that keep one card from bloating the board or the exports. */
export const CARD_LIMITS = { title: 200, details: 4000, field: 500, owners: 10, ownerName: 60 } as const

export interface CardProps {
  w: number
  h: number
  kind: CardKind
  title: string
  details: string
  owners: Owner[]
  /** One of STATUSES[kind]; a status that does not fit the kind reads as the kind's first one. */
  status: string
  /** Edge cases only. */
  severity: Severity
  /** Problems: who is affected. */
  affected: string
  /** Problems: evidence or context. */
  evidence: string
  /** Solutions: appetite or effort ("2 weeks", "S"). */
  appetite: string
  /** Solutions: the team looked for edge cases and found none (satisfies the health check). */
  noEdgeCases: boolean
  /** Metrics: the target ("< 2% of checkouts fail"). */
  target: string
}

declare module '@tldraw/tlschema' {
  interface TLGlobalShapePropsMap {
    [CARD_TYPE]: CardProps
  }
}

export type CardShape = TLShape<typeof CARD_TYPE>

export const ownerValidator = T.object({
  name: T.string,
  discipline: T.literalEnum(...DISCIPLINES),
})

export const cardProps: RecordProps<CardShape> = {
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
  kind: T.literalEnum(...CARD_KINDS),
  title: T.string,
  details: T.string,
  owners: T.arrayOf(ownerValidator),
  status: T.string,
  severity: T.literalEnum(...SEVERITIES),
  affected: T.string,
  evidence: T.string,
  appetite: T.string,
  noEdgeCases: T.boolean,
  target: T.string,
}

/**
 * Migrations from version one (the props above). When the props change, name the step with
 * `createShapePropsMigrationIds(CARD_TYPE, { … })` and add it here, so older boards migrate.
 */
export const cardMigrations = createShapePropsMigrationSequence({ sequence: [] })

/** What a card is called wherever it is listed: its title, or "Untitled <kind>". */
export function cardLabel(title: string, kind: CardKind): string {
  return title || `Untitled ${KIND_LABEL[kind].toLowerCase()}`
}

export const CARD_SIZE = { w: 260, h: 140 } as const

export const DEFAULT_STATUS: Record<CardKind, CardStatus> = {
  problem: 'open',
  solution: 'proposed',
  'edge-case': 'open',
  metric: 'proposed',
}

export function defaultCardProps(kind: CardKind = 'problem'): CardProps {
  return {
    w: CARD_SIZE.w,
    h: CARD_SIZE.h,
    kind,
    title: '',
    details: '',
    owners: [],
    status: DEFAULT_STATUS[kind],
    severity: 'medium',
    affected: '',
    evidence: '',
    appetite: '',
    noEdgeCases: false,
    target: '',
  }
}

export function isStatusOf(kind: CardKind, status: string): status is CardStatus {
  return (STATUSES[kind] as readonly string[]).includes(status)
}

/** The status as the scope reads it: an unknown one counts as the kind's default. */
export function effectiveStatus(kind: CardKind, status: string): CardStatus {
  return isStatusOf(kind, status) ? status : DEFAULT_STATUS[kind]
}

/**
 * Which kinds a card of `child` kind may hang under. An arrow between two cards means this
 * relation whichever way it was drawn: the pair of kinds says it all.
 */
export const PARENT_KINDS: Record<CardKind, readonly CardKind[]> = {
  problem: [],
  solution: ['problem'],
  'edge-case': ['solution', 'problem'],
  metric: ['problem'],
}
