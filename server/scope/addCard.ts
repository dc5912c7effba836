/**
 * Adds a scope card (and, under a parent, the arrow bound from it to its parent) to a board's doc,
 * as tldraw records a browser's store accepts: each one is checked against the Scopeboard schema
 * before it is written. A refusal may leave part of a change behind in the doc it was given, so
 * run it on a draft: the HTTP route runs it inside `room.change`, which also stores the card
 * before any client sees it.
 */
import {
  CARD_KINDS,
  CARD_TYPE,
  PARENT_KINDS,
  defaultCardProps,
  type CardKind,
  type CardProps,
  type Owner,
  type Severity,
} from '../../shared/scope/card.ts'
import { createBindingId, createShapeId, type TLSchema } from '@tldraw/tlschema'
import { getIndicesAbove, type IndexKey } from '@tldraw/utils'
import type * as Y from 'yjs'
import { recordsMap, type StoredRecord } from '../../shared/doc/layout.ts'
import type { CardInput } from './cardInput.ts'
import { pageBox, pageOf, placeCard } from './placement.ts'
import { prepareDocForWrite } from './prepareDoc.ts'

/** A request the board's current content makes impossible; `status` is the HTTP status it maps to. */
export class CardRefusal extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message)
    this.name = 'CardRefusal'
  }
}

/** What the API answers: the card as the scope export would show it, plus where it hangs. */
export interface CreatedCard {
  id: string
  kind: CardKind
  title: string
  details: string
  owners: Owner[]
  status: string
  parentId: string | null
  /** The arrow from the card to its parent, without "shape:"; null without a parent. */
  arrowId: string | null
  severity?: Severity
  affected?: string
  evidence?: string
  appetite?: string
  noEdgeCases?: boolean
  target?: string
}

const SHAPE_PREFIX = 'shape:'

/** An empty arrow label, as tldraw 5 writes it. */
const EMPTY_RICH_TEXT = { type: 'doc', content: [{ type: 'paragraph' }] }

/** The props of an arrow drawn with tldraw's default style, minus the two ends. */
const ARROW_PROPS = {
  kind: 'arc',
  elbowMidPoint: 0.5,
  dash: 'draw',
  size: 'm',
  fill: 'none',
  color: 'black',
  labelColor: 'black',
  bend: 0,
  arrowheadStart: 'none',
  arrowheadEnd: 'arrow',
  richText: EMPTY_RICH_TEXT,
  labelPosition: 0.5,
  font: 'draw',
  scale: 1,
}

function bareId(id: string): string {
  return id.startsWith(SHAPE_PREFIX) ? id.slice(SHAPE_PREFIX.length) : id
}

function kindOf(record: StoredRecord | undefined): CardKind | null {
  if (!record || record.typeName !== 'shape' || record.type !== CARD_TYPE) return null
  const kind = (record.props as { kind?: unknown } | undefined)?.kind
  return CARD_KINDS.includes(kind as CardKind) ? (kind as CardKind) : null
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`
}

function byIndexThenId(a: StoredRecord, b: StoredRecord): number {
  const ai = String(a.index)
  const bi = String(b.index)
  return ai < bi ? -1 : ai > bi ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** Two indices above every shape directly on the page: the card's, then its arrow's. */
function indicesOnTop(shapesOnPage: StoredRecord[], pageId: string): [IndexKey, IndexKey] {
  const indices = shapesOnPage
    .filter((s) => s.parentId === pageId && typeof s.index === 'string')
    .map((s) => s.index as string)
    .sort()
    .reverse()
  // A malformed index (written by some other client) would make getIndicesAbove throw; skip it.
  for (const top of indices) {
    try {
      const [a, b] = getIndicesAbove(top as IndexKey, 2)
      return [a, b]
    } catch {
      continue
    }
  }
  const [a, b] = getIndicesAbove(null, 2)
  return [a, b]
}

/** Cards hanging under `parent` by an arrow bound at both ends, whichever way it was drawn. */
function childrenOf(parent: StoredRecord, all: StoredRecord[], get: (id: string) => StoredRecord | undefined) {
  const parentKind = kindOf(parent)
  const ends = new Map<string, { start?: string; end?: string }>()
  for (const r of all) {
    if (r.typeName !== 'binding' || r.type !== 'arrow' || typeof r.fromId !== 'string' || typeof r.toId !== 'string')
      continue
    const terminal = (r.props as { terminal?: unknown } | undefined)?.terminal
    if (terminal !== 'start' && terminal !== 'end') continue
    const entry = ends.get(r.fromId) ?? {}
    entry[terminal] = r.toId
    ends.set(r.fromId, entry)
  }
  const children = new Set<StoredRecord>()
  for (const { start, end } of ends.values()) {
    if (!start || !end || start === end) continue
    const otherId = start === parent.id ? end : end === parent.id ? start : null
    const other = otherId ? get(otherId) : undefined
    const otherKind = kindOf(other)
    if (other && otherKind && parentKind && PARENT_KINDS[otherKind].includes(parentKind)) children.add(other)
  }
  return [...children]
}

function cardProps(input: CardInput): CardProps {
  const props = defaultCardProps(input.kind)
  props.title = input.title
  if (input.details !== undefined) props.details = input.details
  if (input.owners !== undefined) props.owners = input.owners.map((o) => ({ name: o.name, discipline: o.discipline }))
  if (input.status !== undefined) props.status = input.status
  if (input.severity !== undefined) props.severity = input.severity
  if (input.affected !== undefined) props.affected = input.affected
  if (input.evidence !== undefined) props.evidence = input.evidence
  if (input.appetite !== undefined) props.appetite = input.appetite
  if (input.noEdgeCases !== undefined) props.noEdgeCases = input.noEdgeCases
  if (input.target !== undefined) props.target = input.target
  return props
}

function answer(id: string, props: CardProps, parentId: string | null, arrowId: string | null): CreatedCard {
  const card: CreatedCard = {
    id: bareId(id),
    kind: props.kind,
    title: props.title,
    details: props.details,
    owners: props.owners,
    status: props.status,
    parentId: parentId && bareId(parentId),
    arrowId: arrowId && bareId(arrowId),
  }
  switch (props.kind) {
    case 'problem':
      return { ...card, affected: props.affected, evidence: props.evidence }
    case 'solution':
      return { ...card, appetite: props.appetite, noEdgeCases: props.noEdgeCases }
    case 'edge-case':
      return { ...card, severity: props.severity }
    case 'metric':
      return { ...card, target: props.target }
    default: {
      const unknownKind: never = props.kind
      throw new Error(`unknown card kind ${String(unknownKind)}`)
    }
  }
}

function stored(record: object): StoredRecord {
  return record as StoredRecord
}

/** Writes the card (and its arrow) into `doc`; throws CardRefusal when the board does not allow it. */
export function addCard(doc: Y.Doc, input: CardInput, schema: TLSchema): CreatedCard {
  const records = recordsMap(doc)
  let created: CreatedCard | null = null
  doc.transact(() => {
    const prepared = prepareDocForWrite(doc, schema)
    if (!prepared.ok) throw new CardRefusal(409, prepared.message)

    const get = (id: string) => records.get(id)
    const all = [...records.values()]

    let parent: StoredRecord | null = null
    if (input.parentId !== undefined) {
      const found = get(SHAPE_PREFIX + input.parentId)
      const parentKind = kindOf(found)
      if (!found || !parentKind) throw new CardRefusal(404, `no card "${input.parentId}" on this board`)
      const allowed = PARENT_KINDS[input.kind]
      if (!allowed.includes(parentKind)) {
        throw new CardRefusal(
          400,
          `${article(input.kind)} can only hang under ${allowed.map(article).join(' or ')}; ` +
            `card "${input.parentId}" is ${article(parentKind)}`,
        )
      }
      parent = found
    }

    const pageId = parent
      ? pageOf(parent, get)
      : (all.filter((r) => r.typeName === 'page').sort(byIndexThenId)[0]?.id ?? null)
    if (!pageId || get(pageId)?.typeName !== 'page') {
      throw new CardRefusal(
        409,
        parent
          ? `card "${input.parentId}" is not on any page of this board`
          : 'this board has no page to put a card on',
      )
    }

    const shapesOnPage = all.filter((r) => r.typeName === 'shape' && pageOf(r, get) === pageId)
    const props = cardProps(input)
    const { x, y } = placeCard({
      size: { w: props.w, h: props.h },
      shapesOnPage,
      get,
      parent: parent && { shape: parent, children: childrenOf(parent, all, get) },
      cardsOnPage: shapesOnPage.filter((s) => s.type === CARD_TYPE),
    })
    const [cardIndex, arrowIndex] = indicesOnTop(shapesOnPage, pageId)

    const cardId = createShapeId()
    const card = schema.types.shape.validate({
      id: cardId,
      typeName: 'shape',
      type: CARD_TYPE,
      x,
      y,
      rotation: 0,
      index: cardIndex,
      parentId: pageId,
      isLocked: false,
      opacity: 1,
      meta: {},
      props,
    } as never)
    records.set(card.id, stored(card))

    let arrowId: string | null = null
    if (parent) {
      const from = { x: x + props.w / 2, y: y + props.h / 2 }
      const box = pageBox(parent, get)
      const to = box
        ? { x: (box.minX + box.maxX) / 2, y: (box.minY + box.maxY) / 2 }
        : { x: Number(parent.x) || 0, y: Number(parent.y) || 0 }
      const arrow = schema.types.shape.validate({
        id: createShapeId(),
        typeName: 'shape',
        type: 'arrow',
        x: from.x,
        y: from.y,
        rotation: 0,
        index: arrowIndex,
        parentId: pageId,
        isLocked: false,
        opacity: 1,
        meta: {},
        props: { ...ARROW_PROPS, start: { x: 0, y: 0 }, end: { x: to.x - from.x, y: to.y - from.y } },
      } as never)
      records.set(arrow.id, stored(arrow))
      for (const [terminal, toId] of [
        ['start', card.id],
        ['end', parent.id],
      ] as const) {
        const binding = schema.types.binding.validate({
          id: createBindingId(),
          typeName: 'binding',
          type: 'arrow',
          fromId: arrow.id,
          toId,
          props: {
            isPrecise: false,
            isExact: false,
            normalizedAnchor: { x: 0.5, y: 0.5 },
            snap: 'none',
            terminal,
          },
          meta: {},
        } as never)
        records.set(binding.id, stored(binding))
      }
      arrowId = arrow.id
    }
    created = answer(card.id, props, parent?.id ?? null, arrowId)
  })
  return created!
}
