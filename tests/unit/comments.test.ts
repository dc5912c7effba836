import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  CommentError,
  createThread,
  deleteMessage,
  editMessage,
  isOrphaned,
  openThreadsByShape,
  readThreads,
  reply,
  setThreadStatus,
  type CommentAuthor,
} from '../../shared/comments/model.ts'
import { COMMENTS_KEY } from '../../shared/doc/layout.ts'

const ana: CommentAuthor = { id: 'p-ana', name: 'Ana', color: '#1971c2', discipline: 'engineering' }
const dev: CommentAuthor = { id: 'p-dev', name: 'Dev', color: '#c2255c', discipline: 'design' }
const pam: CommentAuthor = { id: 'p-pam', name: 'Pam', color: '#2f9e44', discipline: 'product' }

function sync(...docs: Y.Doc[]) {
  for (const a of docs)
    for (const b of docs) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
}

function fork(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}

describe('comment threads', () => {
  it('creates, replies, edits, deletes and resolves', () => {
    const doc = new Y.Doc()
    const id = createThread(doc, {
      anchor: { kind: 'shape', shapeId: 'shape:s1' },
      body: '  What if the card is declined?  ',
      author: ana,
      at: '2026-11-25T09:00:00.000Z',
    })
    const replyId = reply(doc, id, { body: 'We retry once.', author: pam, at: '2026-11-25T10:00:00.000Z' })
    editMessage(doc, id, replyId, {
      body: 'We retry once, then ask.',
      authorId: pam.id,
      at: '2026-11-25T10:05:00.000Z',
    })
    setThreadStatus(doc, id, 'resolved', { author: ana, at: '2026-11-25T11:00:00.000Z' })
    const [thread] = readThreads(doc)
    expect(thread.messages.map((m) => m.body)).toEqual(['What if the card is declined?', 'We retry once, then ask.'])
    expect(thread.messages[1].editedAt).toBe('2026-11-25T10:05:00.000Z')
    expect(thread).toMatchObject({ status: 'resolved', statusBy: ana, lastActivityAt: '2026-11-25T11:00:00.000Z' })
    deleteMessage(doc, id, replyId, { authorId: pam.id, at: '2026-11-25T12:00:00.000Z' })
    expect(readThreads(doc)[0].messages[1]).toMatchObject({ body: '', deletedAt: '2026-11-25T12:00:00.000Z' })
  })

  it('refuses empty and oversize bodies, unknown threads and other people’s messages', () => {
    const doc = new Y.Doc()
    expect(() =>
      createThread(doc, { anchor: { kind: 'shape', shapeId: 'shape:s1' }, body: '   ', author: ana }),
    ).toThrow(CommentError)
    expect(() =>
      createThread(doc, { anchor: { kind: 'shape', shapeId: 'shape:s1' }, body: 'x'.repeat(5001), author: ana }),
    ).toThrow(/at most 5000/)
    expect(() => reply(doc, 't_missing', { body: 'hi', author: ana })).toThrow(/no comment thread/)
    const id = createThread(doc, { anchor: { kind: 'shape', shapeId: 'shape:s1' }, body: 'mine', author: ana })
    const [message] = readThreads(doc)[0].messages
    expect(() => editMessage(doc, id, message.id, { body: 'not yours', authorId: dev.id })).toThrow(/only its author/)
    expect(() => deleteMessage(doc, id, message.id, { authorId: dev.id })).toThrow(/only its author/)
    expect(readThreads(doc)[0].messages[0].body).toBe('mine')
  })

  it('merges comments, replies and a resolve made offline at the same time by three people', () => {
    const base = new Y.Doc()
    const thread = createThread(base, {
      anchor: { kind: 'shape', shapeId: 'shape:sol' },
      body: 'Declined card?',
      author: dev,
      at: '2026-11-25T08:00:00.000Z',
    })
    const a = fork(base)
    const b = fork(base)
    const c = fork(base)
    reply(a, thread, { body: 'Engineer reply', author: ana, at: '2026-11-25T09:00:00.000Z' })
    reply(b, thread, { body: 'Product reply', author: pam, at: '2026-11-25T09:00:01.000Z' })
    setThreadStatus(c, thread, 'resolved', { author: dev, at: '2026-11-25T09:00:02.000Z' })
    createThread(a, { anchor: { kind: 'point', pageId: 'page:page', x: 10, y: 20 }, body: 'New idea', author: ana })
    createThread(b, { anchor: { kind: 'shape', shapeId: 'shape:p1' }, body: 'Metric?', author: pam })
    sync(a, b, c)
    const views = [a, b, c].map((d) => JSON.stringify(readThreads(d)))
    expect(new Set(views).size).toBe(1)
    const threads = readThreads(a)
    expect(threads).toHaveLength(3)
    const merged = threads.find((t) => t.id === thread)!
    expect(merged.status).toBe('resolved')
    expect(merged.messages.map((m) => m.body).sort()).toEqual(['Declined card?', 'Engineer reply', 'Product reply'])
  })

  it('keeps threads whose shape was deleted, marked orphaned', () => {
    const doc = new Y.Doc()
    createThread(doc, { anchor: { kind: 'shape', shapeId: 'shape:gone' }, body: 'about a deleted card', author: ana })
    createThread(doc, { anchor: { kind: 'shape', shapeId: 'shape:here' }, body: 'still here', author: ana })
    const shapes = new Set(['shape:here'])
    const threads = readThreads(doc)
    expect(threads.filter((t) => isOrphaned(t, (id) => shapes.has(id))).map((t) => t.messages[0].body)).toEqual([
      'about a deleted card',
    ])
    expect(openThreadsByShape(threads)).toEqual(
      new Map([
        ['shape:gone', 1],
        ['shape:here', 1],
      ]),
    )
  })

  it('skips malformed threads written by a misbehaving client', () => {
    const doc = new Y.Doc()
    createThread(doc, { anchor: { kind: 'shape', shapeId: 'shape:s1' }, body: 'good', author: ana })
    doc.transact(() => {
      const map = doc.getMap<unknown>(COMMENTS_KEY)
      map.set('t_string', 'not a thread')
      const noAnchor = new Y.Map<unknown>()
      noAnchor.set('messages', new Y.Array())
      map.set('t_noanchor', noAnchor)
      const badMessages = new Y.Map<unknown>()
      badMessages.set('anchor', { kind: 'shape', shapeId: 'shape:x' })
      badMessages.set('createdAt', '2026-01-01T00:00:00.000Z')
      const messages = new Y.Array<unknown>()
      messages.push([42, { author: 'x' }])
      badMessages.set('messages', messages)
      map.set('t_badmessages', badMessages)
      // A date that does not parse would throw when shown; such a thread is skipped.
      const badDate = new Y.Map<unknown>()
      badDate.set('anchor', { kind: 'shape', shapeId: 'shape:x' })
      badDate.set('createdAt', 'zzz')
      const one = new Y.Array<Y.Map<unknown>>()
      const m = new Y.Map<unknown>()
      m.set('id', 'm1')
      m.set('author', ana)
      m.set('body', 'bad date')
      m.set('createdAt', 'not a date')
      one.push([m])
      badDate.set('messages', one)
      map.set('t_baddate', badDate)
    })
    expect(readThreads(doc).map((t) => t.messages[0].body)).toEqual(['good'])
  })
})
