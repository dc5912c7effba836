/**
 * Comment threads, kept in the board's Y.Doc under the root map 'comments' so they sync live, work
 * offline and persist with the board, yet stay apart from the canvas records.
 *
 *   comments: Y.Map<threadId, Y.Map>
 *     thread: id, anchor (JSON), createdAt, status ('open' | 'resolved'), statusAt, statusBy,
 *             messages: Y.Array<Y.Map>
 *     message: id, author (JSON), body, createdAt, editedAt?, deletedAt?
 *
 * Each field that people change concurrently is its own CRDT entry: two replies made offline both
 * land (array inserts merge), a resolve and a reply at the same time both stick, an edit replaces
 * only that message's body. A deleted message keeps its place (body emptied, deletedAt set) so
 * the thread still reads in order.
 */
import * as Y from 'yjs'
import { DISCIPLINES, type Discipline } from '../disciplines.ts'
import { COMMENTS_KEY } from '../doc/layout.ts'

export const MAX_COMMENT_LENGTH = 5_000

export interface CommentAuthor {
  /** Stable per browser (the profile id); lets people edit and delete their own messages. */
  id: string
  name: string
  color: string
  discipline: Discipline
}

export type CommentAnchor = { kind: 'shape'; shapeId: string } | { kind: 'point'; pageId: string; x: number; y: number }

export type ThreadStatus = 'open' | 'resolved'

export interface CommentMessage {
  id: string
  author: CommentAuthor
  body: string
  createdAt: string
  editedAt: string | null
  deletedAt: string | null
}

export interface CommentThread {
  id: string
  anchor: CommentAnchor
  status: ThreadStatus
  createdAt: string
  statusAt: string | null
  statusBy: CommentAuthor | null
  messages: CommentMessage[]
  /** The newest of creation, any message, edit or status change: panels sort by it. */
  lastActivityAt: string
}

export class CommentError extends Error {}

function commentsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(COMMENTS_KEY)
}

function newId(prefix: string): string {
  const bytes = new Uint8Array(9)
  crypto.getRandomValues(bytes)
  let hex = ''
  for (const b of bytes) hex += b.toString(16).padStart(2, '0')
  return `${prefix}_${hex}`
}

/** Trims and bounds a body; refuses an empty one. */
export function normalizeBody(body: unknown): string {
  if (typeof body !== 'string') throw new CommentError('"body" must be a string')
  const text = body.replace(/\r\n?/g, '\n').trim()
  if (!text) throw new CommentError('a comment cannot be empty')
  if (text.length > MAX_COMMENT_LENGTH)
    throw new CommentError(`a comment can be at most ${MAX_COMMENT_LENGTH} characters`)
  return text
}

export function parseAuthor(value: unknown): CommentAuthor {
  const a = value as Partial<CommentAuthor> | null
  if (!a || typeof a !== 'object') throw new CommentError('"author" must be {name, discipline}')
  const name = typeof a.name === 'string' ? a.name.trim().slice(0, 60) : ''
  if (!name) throw new CommentError('"author.name" must be a non-empty string')
  if (!DISCIPLINES.includes(a.discipline as Discipline)) {
    throw new CommentError(`"author.discipline" must be one of ${DISCIPLINES.join(', ')}`)
  }
  return {
    id: typeof a.id === 'string' && a.id ? a.id.slice(0, 80) : `anonymous:${name}`,
    name,
    color: typeof a.color === 'string' && /^#[0-9a-f]{6}$/i.test(a.color) ? a.color : '#868e96',
    discipline: a.discipline as Discipline,
  }
}

function messageMap(author: CommentAuthor, body: string, at: string): Y.Map<unknown> {
  const m = new Y.Map<unknown>()
  m.set('id', newId('m'))
  m.set('author', author)
  m.set('body', body)
  m.set('createdAt', at)
  return m
}

export function createThread(
  doc: Y.Doc,
  input: { anchor: CommentAnchor; body: string; author: CommentAuthor; at?: string },
  origin?: unknown,
): string {
  const body = normalizeBody(input.body)
  const at = input.at ?? new Date().toISOString()
  const id = newId('t')
  doc.transact(() => {
    const thread = new Y.Map<unknown>()
    thread.set('id', id)
    thread.set('anchor', input.anchor)
    thread.set('createdAt', at)
    thread.set('status', 'open')
    const messages = new Y.Array<Y.Map<unknown>>()
    messages.push([messageMap(input.author, body, at)])
    thread.set('messages', messages)
    commentsMap(doc).set(id, thread)
  }, origin)
  return id
}

function threadOrThrow(doc: Y.Doc, threadId: string): Y.Map<unknown> {
  const thread = commentsMap(doc).get(threadId)
  if (!(thread instanceof Y.Map)) throw new CommentError(`no comment thread "${threadId}" on this board`)
  return thread
}

function messagesOf(thread: Y.Map<unknown>): Y.Array<Y.Map<unknown>> {
  const messages = thread.get('messages')
  if (!(messages instanceof Y.Array)) throw new CommentError('this thread is damaged')
  return messages as Y.Array<Y.Map<unknown>>
}

export function reply(
  doc: Y.Doc,
  threadId: string,
  input: { body: string; author: CommentAuthor; at?: string },
  origin?: unknown,
): string {
  const body = normalizeBody(input.body)
  const thread = threadOrThrow(doc, threadId)
  const m = messageMap(input.author, body, input.at ?? new Date().toISOString())
  doc.transact(() => messagesOf(thread).push([m]), origin)
  return m.get('id') as string
}

function findMessage(doc: Y.Doc, threadId: string, messageId: string): Y.Map<unknown> {
  const message = messagesOf(threadOrThrow(doc, threadId))
    .toArray()
    .find((m) => m instanceof Y.Map && m.get('id') === messageId)
  if (!message) throw new CommentError(`no message "${messageId}" in this thread`)
  return message
}

function assertAuthor(message: Y.Map<unknown>, authorId: string) {
  const author = message.get('author') as CommentAuthor | undefined
  if (author?.id !== authorId) throw new CommentError('only its author can change a message')
}

export function editMessage(
  doc: Y.Doc,
  threadId: string,
  messageId: string,
  input: { body: string; authorId: string; at?: string },
  origin?: unknown,
): void {
  const body = normalizeBody(input.body)
  const message = findMessage(doc, threadId, messageId)
  assertAuthor(message, input.authorId)
  if (message.get('deletedAt')) throw new CommentError('a deleted message cannot be edited')
  doc.transact(() => {
    message.set('body', body)
    message.set('editedAt', input.at ?? new Date().toISOString())
  }, origin)
}

export function deleteMessage(
  doc: Y.Doc,
  threadId: string,
  messageId: string,
  input: { authorId: string; at?: string },
  origin?: unknown,
): void {
  const message = findMessage(doc, threadId, messageId)
  assertAuthor(message, input.authorId)
  doc.transact(() => {
    message.set('body', '')
    message.set('deletedAt', input.at ?? new Date().toISOString())
  }, origin)
}

export function setThreadStatus(
  doc: Y.Doc,
  threadId: string,
  status: ThreadStatus,
  input: { author: CommentAuthor; at?: string },
  origin?: unknown,
): void {
  const thread = threadOrThrow(doc, threadId)
  doc.transact(() => {
    thread.set('status', status)
    thread.set('statusAt', input.at ?? new Date().toISOString())
    thread.set('statusBy', input.author)
  }, origin)
}

function readAnchor(value: unknown): CommentAnchor | null {
  const a = value as Partial<{ kind: string; shapeId: unknown; pageId: unknown; x: unknown; y: unknown }> | null
  if (!a || typeof a !== 'object') return null
  if (a.kind === 'shape' && typeof a.shapeId === 'string') return { kind: 'shape', shapeId: a.shapeId }
  if (a.kind === 'point' && typeof a.pageId === 'string' && Number.isFinite(a.x) && Number.isFinite(a.y)) {
    return { kind: 'point', pageId: a.pageId, x: a.x as number, y: a.y as number }
  }
  return null
}

function readAuthor(value: unknown): CommentAuthor | null {
  try {
    return parseAuthor(value)
  } catch {
    return null
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null)

/** A timestamp as we write them (ISO 8601); anything that does not parse is treated as missing. */
const time = (v: unknown): string | null =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v)) ? v : null

/**
 * Every well-formed thread, newest activity first (then id, so the order is stable). Anything
 * malformed — written by a misbehaving client — is skipped rather than trusted.
 */
export function readThreads(doc: Y.Doc): CommentThread[] {
  const threads: CommentThread[] = []
  for (const [id, thread] of commentsMap(doc).entries()) {
    if (!(thread instanceof Y.Map)) continue
    const anchor = readAnchor(thread.get('anchor'))
    const createdAt = time(thread.get('createdAt'))
    const rawMessages = thread.get('messages')
    if (!anchor || !createdAt || !(rawMessages instanceof Y.Array)) continue
    const messages: CommentMessage[] = []
    for (const m of rawMessages.toArray()) {
      if (!(m instanceof Y.Map)) continue
      const author = readAuthor(m.get('author'))
      const messageId = str(m.get('id'))
      const at = time(m.get('createdAt'))
      if (!author || !messageId || !at) continue
      messages.push({
        id: messageId,
        author,
        body: (str(m.get('body')) ?? '').slice(0, MAX_COMMENT_LENGTH),
        createdAt: at,
        editedAt: time(m.get('editedAt')),
        deletedAt: time(m.get('deletedAt')),
      })
    }
    if (messages.length === 0) continue
    const statusAt = time(thread.get('statusAt'))
    const times = [createdAt, statusAt, ...messages.flatMap((m) => [m.createdAt, m.editedAt, m.deletedAt])].filter(
      (t): t is string => t !== null,
    )
    threads.push({
      id,
      anchor,
      status: thread.get('status') === 'resolved' ? 'resolved' : 'open',
      createdAt,
      statusAt,
      statusBy: readAuthor(thread.get('statusBy')),
      messages,
      lastActivityAt: times.reduce((a, b) => (b > a ? b : a)),
    })
  }
  return threads.sort((a, b) =>
    a.lastActivityAt === b.lastActivityAt ? (a.id < b.id ? -1 : 1) : a.lastActivityAt < b.lastActivityAt ? 1 : -1,
  )
}

/** A thread is orphaned when the shape it was anchored to has been deleted; it is kept, not lost. */
export function isOrphaned(thread: CommentThread, shapeExists: (shapeId: string) => boolean): boolean {
  return thread.anchor.kind === 'shape' && !shapeExists(thread.anchor.shapeId)
}

/** Open threads per anchored shape id (with its "shape:" prefix), for the scope and pins. */
export function openThreadsByShape(threads: CommentThread[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const t of threads) {
    if (t.status === 'open' && t.anchor.kind === 'shape')
      counts.set(t.anchor.shapeId, (counts.get(t.anchor.shapeId) ?? 0) + 1)
  }
  return counts
}
