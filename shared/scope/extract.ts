/**
 * From a board's records to its structured scope. The canvas is the model: cards are
 * `scope-card` shapes, relations are arrows bound at both ends to two cards whose kinds form a
 * pair in PARENT_KINDS. Records come straight out of the Y.Doc, written by any client that may
 * edit, so every field is checked: a malformed record is skipped, a malformed field falls back to
 * the card default, and nothing here throws. Comment threads hang on the card their anchor names;
 * threads whose shape is gone are kept aside as orphaned rather than dropped.
 */
import type { CommentThread } from '../comments/model.ts'
import {
  CARD_KINDS,
  CARD_LIMITS,
  CARD_TYPE,
  DISCIPLINES,
  effectiveStatus,
  PARENT_KINDS,
  SEVERITIES,
  type CardKind,
  type Discipline,
  type Owner,
  type Severity,
} from './card.ts'
import { evaluateHealth } from './health.ts'
import {
  SCOPE_SCHEMA_VERSION,
  type CardId,
  type EdgeCase,
  type FocusRef,
  type Metric,
  type OrphanedThread,
  type Problem,
  type Scope,
  type ScopeMessage,
  type ScopeThread,
  type Solution,
} from './types.ts'

export interface ExtractInput {
  /** The plain JSON values of the doc's `records` map, in any order. */
  records: Iterable<unknown>
  board: { id: string; title: string }
  focus: FocusRef | null
  /** The board's comment threads (`readThreads(doc)`), in any order; none when left out. */
  threads?: Iterable<CommentThread>
}

/**
 * The longest message body an export carries: the comment model's own limit
 * (MAX_COMMENT_LENGTH in shared/comments/model.ts), restated so the scope model stays free of Yjs.
 */
export const MAX_THREAD_MESSAGE_LENGTH = 5_000

const SHAPE_PREFIX = 'shape:'
const ARROW_TYPE = 'arrow'
/** Frames can nest; a deeper chain than this is a malformed (or cyclic) parent chain. */
const MAX_PARENT_DEPTH = 64

type Json = Record<string, unknown>

const CARD_FIELDS = [
  'kind',
  'title',
  'details',
  'status',
  'severity',
  'affected',
  'evidence',
  'appetite',
  'noEdgeCases',
  'target',
] as const

/** A card's props, copied out of the record as read (owners already checked), still unchecked. */
type CardFields = Record<(typeof CARD_FIELDS)[number], unknown> & { owners: Owner[] }

/** A card as read from its record, before it is placed in the tree. */
interface CardRecord {
  shapeId: string
  id: CardId
  kind: CardKind
  /** Position on the page (parent frames' offsets added), for reading order. */
  x: number
  y: number
  props: CardFields
}

interface ShapeRecord {
  id: string
  type: string
  parentId: string | null
  x: number
  y: number
  /** Scope cards only. */
  props: CardFields | null
}

/** Where an arrow's two terminals are bound; `null` when one terminal has conflicting bindings. */
type Terminals = { start?: string | null; end?: string | null }

export function extractScope(input: ExtractInput): Scope {
  const { shapes, terminals } = readRecords(input.records)
  const cards = readCards(shapes)
  const parents = readRelations(shapes, terminals, cards)
  const threadsByShape = groupThreads(input.threads)
  const comments = (card: CardRecord): CardComments => {
    const threads = threadsByShape.get(card.shapeId) ?? []
    return { openThreads: threads.filter((t) => t.status === 'open').length, threads }
  }

  // Cards sorted once; children are collected in this order, so every list comes out sorted.
  const ordered = [...cards.values()].sort(byPosition)
  const childrenOf = new Map<string, CardRecord[]>()
  for (const card of ordered) {
    for (const parentId of parents.get(card.shapeId) ?? []) {
      const list = childrenOf.get(parentId)
      if (list) list.push(card)
      else childrenOf.set(parentId, [card])
    }
  }
  const childrenOfKind = (card: CardRecord, kind: CardKind) =>
    (childrenOf.get(card.shapeId) ?? []).filter((c) => c.kind === kind)

  // One object per card: a child under two parents is the same object in both places.
  const edgeCases = new Map<string, EdgeCase>()
  const metrics = new Map<string, Metric>()
  const solutions = new Map<string, Solution>()
  for (const card of ordered) {
    if (card.kind === 'edge-case') edgeCases.set(card.shapeId, toEdgeCase(card, comments(card)))
    else if (card.kind === 'metric') metrics.set(card.shapeId, toMetric(card, comments(card)))
  }
  const edgeCasesUnder = (card: CardRecord) => childrenOfKind(card, 'edge-case').map((c) => edgeCases.get(c.shapeId)!)
  for (const card of ordered) {
    if (card.kind === 'solution') solutions.set(card.shapeId, toSolution(card, comments(card), edgeCasesUnder(card)))
  }

  const problems: Problem[] = []
  for (const card of ordered) {
    if (card.kind !== 'problem') continue
    problems.push(
      toProblem(card, comments(card), {
        metrics: childrenOfKind(card, 'metric').map((c) => metrics.get(c.shapeId)!),
        solutions: childrenOfKind(card, 'solution').map((c) => solutions.get(c.shapeId)!),
        edgeCases: edgeCasesUnder(card),
      }),
    )
  }

  const isRoot = (card: CardRecord) => !parents.get(card.shapeId)?.size
  const roots = ordered.filter(isRoot)
  const unlinked: Scope['unlinked'] = {
    solutions: roots.filter((c) => c.kind === 'solution').map((c) => solutions.get(c.shapeId)!),
    edgeCases: roots.filter((c) => c.kind === 'edge-case').map((c) => edgeCases.get(c.shapeId)!),
    metrics: roots.filter((c) => c.kind === 'metric').map((c) => metrics.get(c.shapeId)!),
  }

  const focus = readFocus(input.focus)
  const allSolutions = [...solutions.values()]
  const allEdgeCases = [...edgeCases.values()]
  return {
    schemaVersion: SCOPE_SCHEMA_VERSION,
    board: { id: input.board.id, title: input.board.title.trim() },
    focus,
    problems,
    unlinked,
    orphanedThreads: orphanedThreads(threadsByShape, shapes),
    health: evaluateHealth({ problems, unlinked, focus }),
    totals: {
      problems: problems.length,
      solutions: allSolutions.length,
      chosenSolutions: allSolutions.filter((s) => s.status === 'chosen').length,
      edgeCases: allEdgeCases.length,
      openEdgeCases: allEdgeCases.filter((e) => e.status === 'open').length,
      metrics: metrics.size,
    },
  }
}

/** Reading order: top to bottom, then left to right; the id breaks ties so the order is total. */
function byPosition(a: CardRecord, b: CardRecord): number {
  return a.y - b.y || a.x - b.x || compareStrings(a.id, b.id)
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function finite(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0
}

function readRecords(records: Iterable<unknown>) {
  const shapes = new Map<string, ShapeRecord>()
  const terminals = new Map<string, Terminals>()
  const bind = (arrowId: string, terminal: 'start' | 'end', targetId: string) => {
    const t = terminals.get(arrowId) ?? {}
    // Two bindings for one terminal cannot come from the editor; the arrow then means nothing,
    // whichever binding happens to be read first.
    t[terminal] = t[terminal] === undefined || t[terminal] === targetId ? targetId : null
    terminals.set(arrowId, t)
  }
  try {
    for (const record of records) {
      try {
        if (!isJson(record) || typeof record.id !== 'string') continue
        if (record.typeName === 'shape' && typeof record.type === 'string' && !shapes.has(record.id)) {
          shapes.set(record.id, {
            id: record.id,
            type: record.type,
            parentId: typeof record.parentId === 'string' ? record.parentId : null,
            x: finite(record.x),
            y: finite(record.y),
            // Copied here, inside the try, so nothing later reads the untrusted record again.
            props: record.type === CARD_TYPE && isJson(record.props) ? cardFields(record.props) : null,
          })
        } else if (record.typeName === 'binding' && record.type === ARROW_TYPE && isJson(record.props)) {
          const { fromId, toId } = record
          const terminal = record.props.terminal
          if (typeof fromId !== 'string' || typeof toId !== 'string') continue
          if (terminal === 'start' || terminal === 'end') bind(fromId, terminal, toId)
        }
      } catch {
        // A record whose fields throw when read (a hostile proxy, say) is skipped like any other.
      }
    }
  } catch {
    // An iterator that fails part-way: the scope is made from what was read.
  }
  return { shapes, terminals }
}

function readCards(shapes: Map<string, ShapeRecord>): Map<string, CardRecord> {
  const cards = new Map<string, CardRecord>()
  for (const shape of shapes.values()) {
    if (shape.type !== CARD_TYPE || !shape.props || !shape.id.startsWith(SHAPE_PREFIX)) continue
    const kind = shape.props.kind
    if (!(CARD_KINDS as readonly unknown[]).includes(kind)) continue
    const id = shape.id.slice(SHAPE_PREFIX.length)
    if (!id) continue
    const { x, y } = pagePosition(shape, shapes)
    cards.set(shape.id, { shapeId: shape.id, id, kind: kind as CardKind, x, y, props: shape.props })
  }
  return cards
}

/**
 * A shape's x/y are relative to its parent (a frame or group); adding the parents' offsets puts
 * cards in frames in reading order with the rest. Rotation is ignored: the order only has to be
 * stable and roughly follow the page.
 */
function pagePosition(shape: ShapeRecord, shapes: Map<string, ShapeRecord>): { x: number; y: number } {
  let { x, y } = shape
  let parent = shape.parentId ? shapes.get(shape.parentId) : undefined
  for (let depth = 0; parent && depth < MAX_PARENT_DEPTH; depth++) {
    x += parent.x
    y += parent.y
    parent = parent.parentId ? shapes.get(parent.parentId) : undefined
  }
  return { x, y }
}

/** child shape id → parent shape ids, from arrows bound at both ends to two related cards. */
function readRelations(
  shapes: Map<string, ShapeRecord>,
  terminals: Map<string, Terminals>,
  cards: Map<string, CardRecord>,
): Map<string, Set<string>> {
  const parents = new Map<string, Set<string>>()
  for (const [arrowId, { start, end }] of terminals) {
    if (shapes.get(arrowId)?.type !== ARROW_TYPE || !start || !end || start === end) continue
    const a = cards.get(start)
    const b = cards.get(end)
    if (!a || !b) continue
    // The pair of kinds decides which card is the parent, whichever way the arrow was drawn.
    const [child, parent] = PARENT_KINDS[a.kind].includes(b.kind)
      ? [a, b]
      : PARENT_KINDS[b.kind].includes(a.kind)
        ? [b, a]
        : [null, null]
    if (!child || !parent) continue
    const set = parents.get(child.shapeId)
    if (set) set.add(parent.shapeId)
    else parents.set(child.shapeId, new Set([parent.shapeId]))
  }
  return parents
}

interface CardComments {
  openThreads: number
  threads: ScopeThread[]
}

/**
 * Shape-anchored threads by shape id (with its "shape:" prefix), each list oldest first (then by
 * id, so the order is total). Threads come from `readThreads`, which already skips malformed
 * ones; they are checked again here because the scope promises never to throw on what a client
 * wrote. Point-anchored threads belong to no card and are left out.
 */
function groupThreads(threads: Iterable<CommentThread> | undefined): Map<string, ScopeThread[]> {
  const byShape = new Map<string, ScopeThread[]>()
  if (!threads) return byShape
  try {
    for (const thread of threads) {
      try {
        const read = readThread(thread)
        if (!read) continue
        const list = byShape.get(read.shapeId)
        if (list) list.push(read.thread)
        else byShape.set(read.shapeId, [read.thread])
      } catch {
        // A thread whose fields throw when read is skipped like a malformed one.
      }
    }
  } catch {
    // An iterator that fails part-way: the scope carries the threads that were read.
  }
  for (const list of byShape.values()) list.sort(byCreation)
  return byShape
}

function readThread(value: unknown): { shapeId: string; thread: ScopeThread } | null {
  if (!isJson(value) || typeof value.id !== 'string' || !value.id) return null
  const anchor = value.anchor
  if (!isJson(anchor) || anchor.kind !== 'shape' || typeof anchor.shapeId !== 'string') return null
  if (typeof value.createdAt !== 'string' || !Array.isArray(value.messages)) return null
  const messages = value.messages.map(readMessage).filter((m): m is ScopeMessage => m !== null)
  if (messages.length === 0) return null
  return {
    shapeId: anchor.shapeId,
    thread: {
      id: value.id,
      status: value.status === 'resolved' ? 'resolved' : 'open',
      createdAt: value.createdAt,
      messages,
    },
  }
}

/** Name and discipline only: the profile id and colour say nothing to a reader of the export. */
function readMessage(value: unknown): ScopeMessage | null {
  if (!isJson(value) || !isJson(value.author) || typeof value.createdAt !== 'string') return null
  const name = text(value.author.name, CARD_LIMITS.ownerName)
  const discipline = value.author.discipline
  if (!name || !(DISCIPLINES as readonly unknown[]).includes(discipline)) return null
  const deleted = typeof value.deletedAt === 'string' && value.deletedAt !== ''
  return {
    author: { name, discipline: discipline as Discipline },
    body: deleted ? '' : text(value.body, MAX_THREAD_MESSAGE_LENGTH),
    createdAt: value.createdAt,
    deleted,
  }
}

function byCreation(a: ScopeThread, b: ScopeThread): number {
  return compareStrings(a.createdAt, b.createdAt) || compareStrings(a.id, b.id)
}

/**
 * Threads whose shape is no longer on the board. Any shape counts, not only cards: a thread on a
 * sketch that still exists is not orphaned, just not part of the scope.
 */
function orphanedThreads(threadsByShape: Map<string, ScopeThread[]>, shapes: Map<string, ShapeRecord>) {
  const orphaned: OrphanedThread[] = []
  for (const [shapeId, threads] of threadsByShape) {
    if (shapes.has(shapeId)) continue
    const anchorId = shapeId.startsWith(SHAPE_PREFIX) ? shapeId.slice(SHAPE_PREFIX.length) : shapeId
    for (const { id, status, createdAt, messages } of threads) {
      orphaned.push({ id, anchorId, status, createdAt, messages })
    }
  }
  return orphaned.sort(byCreation)
}

/** Trimmed and bounded; a cut never leaves half a surrogate pair behind. */
function text(value: unknown, max: number): string {
  if (typeof value !== 'string') return ''
  const trimmed = value.trim()
  if (trimmed.length <= max) return trimmed
  const cut = trimmed.slice(0, max)
  return (/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut).trimEnd()
}

function cardFields(props: Json): CardFields {
  const fields = { owners: readOwners(props.owners) } as CardFields
  for (const key of CARD_FIELDS) fields[key] = props[key]
  return fields
}

function readOwners(value: unknown): Owner[] {
  if (!Array.isArray(value)) return []
  const owners: Owner[] = []
  const seen = new Set<string>()
  for (const item of value) {
    if (owners.length >= CARD_LIMITS.owners) break
    if (!isJson(item) || !(DISCIPLINES as readonly unknown[]).includes(item.discipline)) continue
    const name = text(item.name, CARD_LIMITS.ownerName)
    const discipline = item.discipline as Discipline
    const key = `${discipline}\u0000${name}`
    if (!name || seen.has(key)) continue
    seen.add(key)
    owners.push({ name, discipline })
  }
  return owners
}

function readStatus(card: CardRecord) {
  const status = card.props.status
  return effectiveStatus(card.kind, typeof status === 'string' ? status.trim() : '')
}

function common(card: CardRecord) {
  return {
    title: text(card.props.title, CARD_LIMITS.title),
    details: text(card.props.details, CARD_LIMITS.details),
    owners: card.props.owners,
  }
}

// Each builder lists the keys in the order the JSON export writes them (see renderJson.ts).

function toEdgeCase(card: CardRecord, { openThreads, threads }: CardComments): EdgeCase {
  const { title, details, owners } = common(card)
  const severity = card.props.severity
  return {
    id: card.id,
    kind: 'edge-case',
    title,
    status: readStatus(card) as EdgeCase['status'],
    severity: (SEVERITIES as readonly unknown[]).includes(severity) ? (severity as Severity) : 'medium',
    details,
    owners,
    openThreads,
    threads,
  }
}

function toMetric(card: CardRecord, { openThreads, threads }: CardComments): Metric {
  const { title, details, owners } = common(card)
  return {
    id: card.id,
    kind: 'metric',
    title,
    status: readStatus(card) as Metric['status'],
    target: text(card.props.target, CARD_LIMITS.field),
    details,
    owners,
    openThreads,
    threads,
  }
}

function toSolution(card: CardRecord, { openThreads, threads }: CardComments, edgeCases: EdgeCase[]): Solution {
  const { title, details, owners } = common(card)
  return {
    id: card.id,
    kind: 'solution',
    title,
    status: readStatus(card) as Solution['status'],
    appetite: text(card.props.appetite, CARD_LIMITS.field),
    noEdgeCases: card.props.noEdgeCases === true,
    details,
    owners,
    openThreads,
    threads,
    edgeCases,
  }
}

function toProblem(
  card: CardRecord,
  { openThreads, threads }: CardComments,
  children: Pick<Problem, 'metrics' | 'solutions' | 'edgeCases'>,
): Problem {
  const { title, details, owners } = common(card)
  return {
    id: card.id,
    kind: 'problem',
    title,
    status: readStatus(card) as Problem['status'],
    affected: text(card.props.affected, CARD_LIMITS.field),
    evidence: text(card.props.evidence, CARD_LIMITS.field),
    details,
    owners,
    openThreads,
    threads,
    metrics: children.metrics,
    solutions: children.solutions,
    edgeCases: children.edgeCases,
  }
}

function readFocus(focus: FocusRef | null): FocusRef | null {
  if (!isJson(focus)) return null
  const optional = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null)
  return {
    id: String(focus.id),
    sprint: typeof focus.sprint === 'string' ? focus.sprint.trim() : '',
    title: typeof focus.title === 'string' ? focus.title.trim() : '',
    goal: optional(focus.goal),
    metric: optional(focus.metric),
    strategy: optional(focus.strategy),
  }
}
