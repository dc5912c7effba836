/**
 * Real tldraw stores (the same schema the editor uses) without the editor, so the binding can be
 * tested in Node, plus a seeded random source for reproducible interleavings.
 */
import { Store } from '@tldraw/store'
import {
  createShapeId,
  createTLSchema,
  DocumentRecordType,
  PageRecordType,
  TLDOCUMENT_ID,
  type TLPageId,
  type TLRecord,
  type TLShape,
  type TLShapeId,
  type TLStore,
} from '@tldraw/tlschema'

export const PAGE_ID = PageRecordType.createId('page') as TLPageId

const schema = createTLSchema()

/** A store as createTLStore makes it: the document record and one page. */
export function newStore(): TLStore {
  // The editor-facing props (asset and user stores) are not used by the store itself.
  const store = new Store({ schema, props: {} as never }) as unknown as TLStore
  store.put([
    DocumentRecordType.create({ id: TLDOCUMENT_ID }),
    PageRecordType.create({ id: PAGE_ID, name: 'Page 1', index: 'a1' as never }),
  ])
  return store
}

export function rectangle(id: string, x: number, y: number, index = 'a1'): TLShape {
  return {
    id: createShapeId(id),
    typeName: 'shape',
    type: 'geo',
    x,
    y,
    rotation: 0,
    isLocked: false,
    opacity: 1,
    meta: {},
    parentId: PAGE_ID,
    index,
    props: {
      w: 100,
      h: 80,
      geo: 'rectangle',
      dash: 'draw',
      growY: 0,
      url: '',
      scale: 1,
      flipX: false,
      flipY: false,
      color: 'black',
      labelColor: 'black',
      fill: 'none',
      size: 'm',
      font: 'draw',
      align: 'middle',
      verticalAlign: 'middle',
      richText: { type: 'doc', content: [{ type: 'paragraph' }] },
    },
  } as unknown as TLShape
}

export function shapeIdOf(id: string): TLShapeId {
  return createShapeId(id)
}

/** The document-scope records of a store, sorted, for comparing stores. */
export function documentRecords(store: TLStore): TLRecord[] {
  return store
    .allRecords()
    .filter((r) => store.scopedTypes.document.has(r.typeName))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
