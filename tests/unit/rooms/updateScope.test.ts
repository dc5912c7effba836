/**
 * touchesOnly: how a comment link is held to the comments. Updates are made the way clients make
 * them (the comment model of shared/comments, tldraw-like record writes) on copies of a document,
 * and crafted where no client would write them. The seeded run checks the property itself: an
 * update judged inside never changes anything outside.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createThread, reply, setThreadStatus } from '../../../shared/comments/model.ts'
import { COMMENTS_KEY } from '../../../shared/doc/layout.ts'
import { decodeUpdate } from '../../../server/rooms/decodedUpdate.ts'
import { checkDependencies } from '../../../server/rooms/updateDependencies.ts'
import { touchesOnly } from '../../../server/rooms/updateScope.ts'
import { copyOf, craftUpdate, updateFrom } from './craft.ts'
import { AUTHOR, fuzzBoard, mutate, seeded, validUpdates } from './fuzzUpdates.ts'

const inComments = (doc: Y.Doc, update: Uint8Array) => touchesOnly(doc, update, COMMENTS_KEY)
const EDITOR = 1

describe('touchesOnly(doc, update, "comments")', () => {
  it('passes new threads, replies, resolving and deleting a thread', () => {
    const { doc, threadId } = fuzzBoard()
    const anchor = { kind: 'shape', shapeId: 'shape:1' } as const
    expect(
      inComments(
        doc,
        updateFrom(doc, (c) => void createThread(c, { anchor, body: 'New', author: AUTHOR })),
      ),
    ).toBe(true)
    expect(
      inComments(
        doc,
        updateFrom(doc, (c) => void reply(c, threadId, { body: 'Re', author: AUTHOR })),
      ),
    ).toBe(true)
    expect(
      inComments(
        doc,
        updateFrom(doc, (c) => setThreadStatus(c, threadId, 'resolved', { author: AUTHOR })),
      ),
    ).toBe(true)
    expect(
      inComments(
        doc,
        updateFrom(doc, (c) => c.getMap(COMMENTS_KEY).delete(threadId)),
      ),
    ).toBe(true)
  })

  it('passes the first thread on a board that has no comments yet', () => {
    const doc = new Y.Doc()
    doc.getMap('records').set('shape:a', { x: 1 })
    const update = updateFrom(doc, (c) => {
      createThread(c, { anchor: { kind: 'shape', shapeId: 'shape:a' }, body: 'First', author: AUTHOR })
    })
    expect(doc.share.has(COMMENTS_KEY)).toBe(false)
    expect(inComments(doc, update)).toBe(true)
  })

  it('refuses canvas, title and other root writes, and a mix of comment and canvas', () => {
    const { doc, threadId } = fuzzBoard()
    expect(
      inComments(
        doc,
        updateFrom(doc, (c) => c.getMap('records').set('shape:x', { x: 1 })),
      ),
    ).toBe(false)
    expect(
      inComments(
        doc,
        updateFrom(doc, (c) => c.getMap('meta').set('title', 'Mine now')),
      ),
    ).toBe(false)
    expect(
      inComments(
        doc,
        updateFrom(doc, (c) => c.getArray('list').insert(0, ['x'])),
      ),
    ).toBe(false)
    expect(
      inComments(
        doc,
        updateFrom(doc, (c) => c.getMap('records').delete('shape:1')),
      ),
    ).toBe(false)
    const mixed = updateFrom(doc, (c) =>
      c.transact(() => {
        reply(c, threadId, { body: 'and…', author: AUTHOR })
        c.getMap('records').set('shape:sneaky', { x: 0 })
      }),
    )
    expect(inComments(doc, mixed)).toBe(false)
  })

  it('passes a sync step 2 that repeats deletions the document already has (y-websocket sends them all)', () => {
    const { doc, threadId } = fuzzBoard()
    const client = copyOf(doc)
    reply(client, threadId, { body: 'offline reply', author: AUTHOR })
    const step2 = Y.encodeStateAsUpdate(client, Y.encodeStateVector(doc))
    expect(decodeUpdate(step2).deletes.size).toBeGreaterThan(0)
    expect(inComments(doc, step2)).toBe(true)
  })

  it('refuses writing as a client that has written outside the comments (its next clocks would be taken)', () => {
    const { doc, threadId } = fuzzBoard()
    // A Y.Doc changes its own id when it sees it in use, so the squatter's update is made by hand.
    const next = Y.getState(doc.store, EDITOR)
    const squat = craftUpdate([{ client: EDITOR, clock: next, items: [{ parent: COMMENTS_KEY, parentSub: 'x' }] }])
    expect(inComments(doc, squat)).toBe(false)
    // A client that has only ever commented may go on.
    const commenter = 555
    const first = craftUpdate([{ client: commenter, clock: 0, items: [{ parent: COMMENTS_KEY, parentSub: 'y' }] }])
    expect(inComments(doc, first)).toBe(true)
    Y.applyUpdate(doc, first)
    const second = craftUpdate([{ client: commenter, clock: 1, items: [{ parent: COMMENTS_KEY, parentSub: 'z' }] }])
    expect(inComments(doc, second)).toBe(true)
    expect(
      inComments(
        doc,
        updateFrom(doc, (c) => void reply(c, threadId, { body: 'ok', author: AUTHOR })),
      ),
    ).toBe(true)
  })

  it('places an item by its parent id, its left neighbour, or its right neighbour, as Yjs does', () => {
    const { doc, threadId } = fuzzBoard()
    const thread = doc.getMap<Y.Map<unknown>>(COMMENTS_KEY).get(threadId)!
    const threadItem = thread._item!.id
    const listItem = doc.getArray('list')._start!.id
    const inThread = craftUpdate([
      { client: 900, clock: 0, items: [{ parent: [threadItem.client, threadItem.clock], parentSub: 'note' }] },
    ])
    expect(inComments(doc, inThread)).toBe(true)
    const afterListItem = craftUpdate([
      { client: 901, clock: 0, items: [{ origin: [listItem.client, listItem.clock] }] },
    ])
    expect(inComments(doc, afterListItem)).toBe(false)
    const beforeListItem = craftUpdate([
      { client: 902, clock: 0, items: [{ rightOrigin: [listItem.client, listItem.clock] }] },
    ])
    expect(inComments(doc, beforeListItem)).toBe(false)
    // A parent that holds no type: Yjs turns the item into garbage, which changes nothing.
    const recordItem = doc.getMap('records')._map.get('shape:1')!.id
    const underRecord = craftUpdate([
      { client: 903, clock: 0, items: [{ parent: [recordItem.client, recordItem.clock], parentSub: 'x' }] },
    ])
    expect(inComments(doc, underRecord)).toBe(true)
    // Chains inside the update: the second item hangs after the first, which is in the comments.
    const chain = craftUpdate([
      { client: 904, clock: 0, items: [{ parent: 'comments', parentSub: 'k' }, { origin: [904, 0] }] },
    ])
    expect(inComments(doc, chain)).toBe(true)
    const outChain = craftUpdate([{ client: 905, clock: 0, items: [{ parent: 'list' }, { origin: [905, 0] }] }])
    expect(inComments(doc, outChain)).toBe(false)
  })

  it('fuzz (seeded): an update judged inside the comments changes nothing else', () => {
    const random = seeded(0xc0ffee)
    const { doc: base, threadId } = fuzzBoard()
    const pool = validUpdates(base, threadId, random, 80)
    const outside = (doc: Y.Doc) =>
      JSON.stringify(
        [...doc.share.entries()]
          .filter(([name]) => name !== COMMENTS_KEY)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([name, type]) => [name, dump(type)]),
      )
    const before = outside(base)
    let inside = 0
    for (let i = 0; i < 8_000; i++) {
      const bytes = mutate(pool[Math.floor(random() * pool.length)], random, pool)
      let decoded
      try {
        decoded = decodeUpdate(bytes)
      } catch {
        continue
      }
      if (checkDependencies(base, decoded).kind !== 'ok' || !touchesOnly(base, decoded, COMMENTS_KEY)) continue
      inside++
      const doc = copyOf(base)
      Y.applyUpdate(doc, bytes)
      expect(outside(doc), `update ${i} was judged inside the comments`).toBe(before)
      doc.destroy()
    }
    expect(inside).toBeGreaterThan(300)
  })
})

/**
 * Everything a shared type holds, deleted items included: the sequence and every map key's
 * history, with nested types dumped in place. Plain toJSON would miss an item inserted into a
 * map's sequence, which no map API shows.
 */
function dump(type: { _start: Y.Item | null; _map: Map<string, Y.Item> }): unknown {
  const entry = (item: Y.Item): unknown[] => [
    item.id.client,
    item.id.clock,
    item.deleted,
    item.content instanceof Y.ContentType ? dump(item.content.type as never) : item.content.getContent(),
  ]
  const sequence: unknown[] = []
  for (let item = type._start; item; item = item.right) sequence.push(entry(item))
  const keys: unknown[] = []
  for (const [key, last] of [...type._map.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const history: unknown[] = []
    for (let item: Y.Item | null = last; item; item = item.left) history.push(entry(item))
    keys.push([key, history])
  }
  return [sequence, keys]
}
