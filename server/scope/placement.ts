/**
 * Where the cards API puts a new card, so a card added by a script lands where a person would
 * have put it: beside its parent (to the right, below the parent's other children), or below the
 * lowest card on the page, and never on top of another shape.
 *
 * Works on the doc's records as stored, which are untrusted: a field that is not the expected
 * number just makes a shape count as having no known bounds.
 */
import { CARD_PLACEMENT_GAP } from '../config.ts'
import type { StoredRecord } from '../../shared/doc/layout.ts'

export interface Box {
  minX: number
  minY: number
  maxX: number
  maxY: number
}

export type RecordLookup = (id: string) => StoredRecord | undefined

function num(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback
}

function props(record: StoredRecord): Record<string, unknown> {
  const p = record.props
  return typeof p === 'object' && p !== null && !Array.isArray(p) ? p : {}
}

/** Width and height of shapes whose size is in their props; others (arrows, drawings) have none. */
function sizeOf(shape: StoredRecord): { w: number; h: number } | null {
  const p = props(shape)
  if (shape.type === 'note') {
    const scale = num(p.scale, 1)
    return { w: 200 * scale, h: (200 + num(p.growY, 0)) * scale }
  }
  const w = num(p.w, NaN)
  const h = num(p.h, NaN)
  return w > 0 && h > 0 ? { w, h } : null
}

/** The shape's ancestors, nearest first, ending before its page; null for a broken chain. */
export function ancestorsOf(shape: StoredRecord, get: RecordLookup): StoredRecord[] | null {
  const chain: StoredRecord[] = []
  let parentId = shape.parentId
  while (typeof parentId === 'string' && !parentId.startsWith('page:')) {
    const parent = get(parentId)
    if (!parent || parent.typeName !== 'shape' || chain.includes(parent) || parent === shape) return null
    chain.push(parent)
    parentId = parent.parentId
  }
  return typeof parentId === 'string' ? chain : null
}

/** The page a shape is on, through frames and groups. */
export function pageOf(shape: StoredRecord, get: RecordLookup): string | null {
  const chain = ancestorsOf(shape, get)
  if (!chain) return null
  const top = chain.length ? chain[chain.length - 1] : shape
  return typeof top.parentId === 'string' ? top.parentId : null
}

/** The axis-aligned box a shape covers on its page, through rotated frames and groups. */
export function pageBox(shape: StoredRecord, get: RecordLookup): Box | null {
  const size = sizeOf(shape)
  const chain = ancestorsOf(shape, get)
  if (!size || !chain) return null
  let corners = [
    { x: 0, y: 0 },
    { x: size.w, y: 0 },
    { x: size.w, y: size.h },
    { x: 0, y: size.h },
  ]
  for (const s of [shape, ...chain]) {
    const angle = num(s.rotation, 0)
    const cos = Math.cos(angle)
    const sin = Math.sin(angle)
    const dx = num(s.x, 0)
    const dy = num(s.y, 0)
    corners = corners.map((p) => ({ x: dx + p.x * cos - p.y * sin, y: dy + p.x * sin + p.y * cos }))
  }
  const xs = corners.map((p) => p.x)
  const ys = corners.map((p) => p.y)
  return { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) }
}

/**
 * Moves a box of `size` down from `start` until it clears every obstacle. Only obstacles in its
 * column can be hit; taken top to bottom, each one is either above the box (and stays so, as the
 * box only moves down), hit (the box moves below it), or below the box, and then so is every one
 * after it. One pass, so a board of thousands of shapes places a card at once.
 */
export function firstFreeSpot(start: { x: number; y: number }, size: { w: number; h: number }, obstacles: Box[]) {
  const margin = CARD_PLACEMENT_GAP / 2
  const column = obstacles
    .filter((o) => start.x < o.maxX + margin && o.minX < start.x + size.w + margin)
    .sort((a, b) => a.minY - b.minY)
  let y = start.y
  for (const o of column) {
    if (o.minY >= y + size.h + margin) break
    if (o.maxY + margin > y) y = o.maxY + CARD_PLACEMENT_GAP
  }
  return { x: start.x, y }
}

export interface PlacementInput {
  size: { w: number; h: number }
  /** Every shape on the page (the shapes whose page is the target one). */
  shapesOnPage: StoredRecord[]
  get: RecordLookup
  /** Null for a card without parent. */
  parent: { shape: StoredRecord; children: StoredRecord[] } | null
  /** Cards on the page, for placing a card without a parent below them. */
  cardsOnPage: StoredRecord[]
}

/** The top-left corner, in page coordinates, of a new card. */
export function placeCard({ size, shapesOnPage, get, parent, cardsOnPage }: PlacementInput): { x: number; y: number } {
  const gap = CARD_PLACEMENT_GAP
  // The parent's frames would otherwise push the new card out of sight below them.
  const ignored = new Set<StoredRecord>(parent ? [parent.shape, ...(ancestorsOf(parent.shape, get) ?? [])] : [])
  const obstacles = shapesOnPage
    .filter((s) => !ignored.has(s))
    .map((s) => pageBox(s, get))
    .filter((b): b is Box => b !== null)

  let start = { x: 0, y: 0 }
  const parentBox = parent && pageBox(parent.shape, get)
  if (parent && parentBox) {
    const childBottoms = parent.children.map((c) => pageBox(c, get)?.maxY).filter((y): y is number => y !== undefined)
    start = {
      x: parentBox.maxX + gap,
      y: childBottoms.length ? Math.max(...childBottoms) + gap : parentBox.minY,
    }
  } else {
    const lowest = cardsOnPage
      .map((card) => pageBox(card, get))
      .filter((b): b is Box => b !== null)
      .reduce<Box | null>((low, b) => (!low || b.maxY > low.maxY ? b : low), null)
    if (lowest) start = { x: lowest.minX, y: lowest.maxY + gap }
  }
  return firstFreeSpot(start, size, obstacles)
}
