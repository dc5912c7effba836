import type { TLRecord, TLShape, TLShapeId, TLStore } from '@tldraw/tlschema'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { META_SCHEMA, metaMap, recordsMap } from '../../shared/doc/layout.ts'
import { BINDING_ORIGIN, bindStoreToDoc, type StoreDocBinding } from '../../client/src/sync/bindStoreToDoc.ts'
import { NEWER_SCHEMA_MESSAGE } from '../../client/src/sync/schemaCompat.ts'
import { documentRecords, newStore, PAGE_ID, rectangle, seededRandom, shapeIdOf } from './storeHarness.ts'

/** A peer: a store bound to its own doc, as one browser tab. */
interface Peer {
  store: TLStore
  doc: Y.Doc
  binding: StoreDocBinding
}

const peers: Peer[] = []
afterEach(() => {
  for (const p of peers.splice(0)) {
    p.binding.dispose()
    p.doc.destroy()
  }
})

function peer(doc = new Y.Doc()): Peer {
  const store = newStore()
  const p = { store, doc, binding: bindStoreToDoc(store, doc) }
  peers.push(p)
  return p
}

/** Two docs joined directly: every update of one is applied to the other at once. */
function connect(a: Y.Doc, b: Y.Doc): () => void {
  const ab = (u: Uint8Array, origin: unknown) => origin !== b && Y.applyUpdate(b, u, a)
  const ba = (u: Uint8Array, origin: unknown) => origin !== a && Y.applyUpdate(a, u, b)
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a), a)
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b), b)
  a.on('update', ab)
  b.on('update', ba)
  return () => {
    a.off('update', ab)
    b.off('update', ba)
  }
}

function expectConverged(...ps: Peer[]) {
  const first = documentRecords(ps[0].store)
  for (const p of ps) {
    expect(documentRecords(p.store)).toEqual(first)
    // The doc holds exactly the store's document records.
    const fromDoc = [...recordsMap(p.doc).values()].sort((a, b) => (a.id < b.id ? -1 : 1))
    expect(fromDoc).toEqual(JSON.parse(JSON.stringify(first)))
  }
}

describe('bindStoreToDoc', () => {
  it('fills a new doc from the store, with the schema', () => {
    const a = peer()
    expect(recordsMap(a.doc).has('document:document')).toBe(true)
    expect(recordsMap(a.doc).has(PAGE_ID)).toBe(true)
    expect(metaMap(a.doc).get(META_SCHEMA)).toEqual(a.store.schema.serialize())
  })

  it('syncs create, update and delete both ways', () => {
    const a = peer()
    const b = peer()
    connect(a.doc, b.doc)
    a.store.put([rectangle('r1', 10, 20)])
    expect(b.store.get(shapeIdOf('r1'))).toMatchObject({ x: 10, y: 20 })
    b.store.update(shapeIdOf('r1'), (r) => ({ ...r, x: 99 }))
    expect(a.store.get(shapeIdOf('r1'))).toMatchObject({ x: 99 })
    a.store.remove([shapeIdOf('r1')])
    expect(b.store.get(shapeIdOf('r1'))).toBeUndefined()
    expectConverged(a, b)
  })

  it('loads an existing doc into a fresh store, dropping records the doc does not have', () => {
    const a = peer()
    a.store.put([rectangle('r1', 1, 2), rectangle('r2', 3, 4, 'a2')])
    a.store.remove([shapeIdOf('r2')])
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(a.doc))
    const b = peer(copy)
    expect(b.store.get(shapeIdOf('r1'))).toMatchObject({ x: 1, y: 2 })
    expect(b.store.get(shapeIdOf('r2'))).toBeUndefined()
    expectConverged(a, b)
  })

  it('sends one transaction per store batch and never echoes remote changes back', () => {
    const a = peer()
    const b = peer()
    connect(a.doc, b.doc)
    const origins: unknown[] = []
    b.doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin))
    a.store.put([rectangle('r1', 0, 0), rectangle('r2', 0, 0, 'a2'), rectangle('r3', 0, 0, 'a3')])
    // b received one transaction (from a) and wrote nothing of its own in response.
    expect(origins).toHaveLength(1)
    expect(origins[0]).not.toBe(BINDING_ORIGIN)
  })

  it('converges when two people edit the same shape at the same time', () => {
    const a = peer()
    const b = peer()
    const disconnect = connect(a.doc, b.doc)
    a.store.put([rectangle('r1', 0, 0)])
    disconnect()
    a.store.update(shapeIdOf('r1'), (r) => ({ ...r, x: 111 }))
    b.store.update(shapeIdOf('r1'), (r) => ({ ...r, y: 222 }))
    b.store.put([rectangle('r2', 5, 5, 'a2')])
    a.store.remove([shapeIdOf('r1')])
    connect(a.doc, b.doc)
    expectConverged(a, b)
    expect(a.store.get(shapeIdOf('r2'))).toMatchObject({ x: 5 })
  })

  it('refuses a board saved with a newer schema and leaves it untouched', () => {
    const doc = new Y.Doc()
    const a = peer()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(a.doc))
    const newer = structuredClone(a.store.schema.serialize()) as { sequences: Record<string, number> }
    newer.sequences['com.tldraw.shape'] += 1
    metaMap(doc).set(META_SCHEMA, newer)
    const before = Y.encodeStateAsUpdate(doc)
    const refusals: string[] = []
    const store = newStore()
    const binding = bindStoreToDoc(store, doc, { onRefused: (m) => refusals.push(m) })
    expect(binding.status).toEqual({ kind: 'refused', message: NEWER_SCHEMA_MESSAGE })
    expect(refusals).toEqual([NEWER_SCHEMA_MESSAGE])
    store.put([rectangle('r9', 0, 0)])
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
  })

  it('stops when a newer client raises the schema while bound', () => {
    const a = peer()
    const refusals: string[] = []
    a.binding.dispose()
    a.binding = bindStoreToDoc(a.store, a.doc, { onRefused: (m) => refusals.push(m) })
    const newer = structuredClone(a.store.schema.serialize()) as { sequences: Record<string, number> }
    newer.sequences['com.example.future'] = 1
    metaMap(a.doc).set(META_SCHEMA, newer)
    expect(refusals).toEqual([NEWER_SCHEMA_MESSAGE])
    const size = recordsMap(a.doc).size
    a.store.put([rectangle('r1', 0, 0)])
    expect(recordsMap(a.doc).size).toBe(size)
  })

  it('migrates records saved with an older schema and writes back only what changed', () => {
    const doc = new Y.Doc()
    const current = newStore().schema.serialize() as { schemaVersion: 2; sequences: Record<string, number> }
    // Version 0 of the document sequence: a document record from before "name" and "meta" existed.
    const old = { ...current, sequences: { ...current.sequences, 'com.tldraw.document': 0 } }
    doc.transact(() => {
      recordsMap(doc).set('document:document', { id: 'document:document', typeName: 'document', gridSize: 10 })
      recordsMap(doc).set(PAGE_ID, { id: PAGE_ID, typeName: 'page', name: 'Page 1', index: 'a1', meta: {} })
      metaMap(doc).set(META_SCHEMA, old)
    })
    const changedKeys: string[] = []
    recordsMap(doc).observe((e) => changedKeys.push(...e.keysChanged))
    const b = peer(doc)
    expect(b.binding.status.kind).toBe('bound')
    expect(b.store.get('document:document' as TLRecord['id'])).toMatchObject({ name: '', meta: {}, gridSize: 10 })
    expect(recordsMap(doc).get('document:document')).toMatchObject({ name: '', meta: {} })
    expect(changedKeys).toEqual(['document:document'])
    expect(metaMap(doc).get(META_SCHEMA)).toEqual(current)
  })

  it('skips an invalid remote record without losing the valid ones in the same change', () => {
    const a = peer()
    const invalid: string[] = []
    a.binding.dispose()
    a.binding = bindStoreToDoc(a.store, a.doc, { onInvalidRecord: (id) => invalid.push(id) })
    const remote = new Y.Doc()
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(a.doc))
    remote.transact(() => {
      recordsMap(remote).set(shapeIdOf('good'), rectangle('good', 1, 1) as never)
      recordsMap(remote).set(shapeIdOf('bad'), { ...(rectangle('bad', 1, 1) as object), x: 'not a number' } as never)
    })
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(remote))
    expect(a.store.get(shapeIdOf('good'))).toBeDefined()
    expect(a.store.get(shapeIdOf('bad'))).toBeUndefined()
    expect(invalid).toEqual([shapeIdOf('bad')])
  })
})

/**
 * A seeded random network as in Yjs's own test helper: peers edit while messages between them are
 * delayed, reordered, and dropped (then recovered by a state-vector resync, as a reconnect does).
 */
describe('bindStoreToDoc under a random network', () => {
  type Message = { to: number; update: Uint8Array }

  function run(seed: number, peerCount: number, steps: number) {
    const random = seededRandom(seed)
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]
    const ps = Array.from({ length: peerCount }, () => peer())
    // Start from one shared state, as peers that all loaded the same board.
    for (const p of ps.slice(1)) Y.applyUpdate(p.doc, Y.encodeStateAsUpdate(ps[0].doc), 'network')
    const inFlight: Message[] = []
    ps.forEach((p, from) =>
      p.doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === 'network') return
        for (let to = 0; to < peerCount; to++) if (to !== from) inFlight.push({ to, update })
      }),
    )
    const deliverOne = () => {
      const i = Math.floor(random() * inFlight.length)
      const [m] = inFlight.splice(i, 1)
      if (random() < 0.1) return // dropped: recovered by the final resync
      Y.applyUpdate(ps[m.to].doc, m.update, 'network')
    }
    let created = 0
    for (let step = 0; step < steps; step++) {
      const p = pick(ps)
      const shapes = p.store.allRecords().filter((r): r is TLShape => r.typeName === 'shape')
      const roll = random()
      if (roll < 0.35 || shapes.length === 0) {
        created++
        p.store.put([rectangle(`s${seed}-${created}`, Math.floor(random() * 1000), 0)])
      } else if (roll < 0.8) {
        const target = pick(shapes)
        p.store.update(target.id as TLShapeId, (r) => ({ ...r, x: Math.floor(random() * 1000), y: step }))
      } else if (roll < 0.9) {
        p.store.remove([pick(shapes).id])
      } else {
        p.store.update(PAGE_ID, (r) => ({ ...r, name: `Page ${step}` }))
      }
      const deliveries = Math.floor(random() * 4)
      for (let d = 0; d < deliveries && inFlight.length > 0; d++) deliverOne()
    }
    while (inFlight.length > 0) deliverOne()
    // Reconnect: every pair exchanges what the other lacks, as y-protocols sync step 1/2 does.
    for (const a of ps)
      for (const b of ps)
        if (a !== b) Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)), 'network')
    expectConverged(...ps)
    return { shapes: ps[0].store.allRecords().filter((r) => r.typeName === 'shape').length, created }
  }

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('converges with seed %i', (seed) => {
    const { created } = run(seed, 3, 300)
    expect(created).toBeGreaterThan(50)
  })
})
