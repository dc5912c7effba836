/**
 * Comment threads over HTTP, for scripts and integrations:
 *
 *   GET   /api/boards/:id/comments?status=open|resolved|all    threads, newest activity first
 *   POST  /api/boards/:id/comments                  {cardId, body, author}   → 201 the new thread
 *   POST  /api/boards/:id/comments/:threadId/replies  {body, author}         → 201 the thread
 *   PATCH /api/boards/:id/comments/:threadId        {status, author}        → 200 the thread
 *
 * Threads live in the board's doc (shared/comments/model.ts). Writes go through the room like any
 * client's edit, so they are on disk before anyone sees them and every connected client gets them
 * at once. Distinct threads are distinct map entries and replies are array inserts, so concurrent
 * requests merge without being queued one after another (unlike card placement in cards.ts).
 *
 * An author is `{name, discipline}` (optionally `id` and `color`, as a browser profile sends them);
 * answers carry only the name and discipline.
 */
import { Hono } from 'hono'
import type * as Y from 'yjs'
import {
  CommentError,
  createThread,
  isOrphaned,
  normalizeBody,
  parseAuthor,
  readThreads,
  reply,
  setThreadStatus,
  type CommentAnchor,
  type CommentAuthor,
  type CommentThread,
  type ThreadStatus,
} from '../../shared/comments/model.ts'
import { recordsMap } from '../../shared/doc/layout.ts'
import type { BoardId } from '../../shared/ids.ts'
import type { Discipline } from '../../shared/scope/card.ts'
import type { Room } from '../rooms/Room.ts'
import type { AppDeps, AppEnv } from './env.ts'
import { httpError } from './errors.ts'
import { readJsonObject } from './json.ts'
import { requireBoard } from './scope.ts'

const SHAPE_PREFIX = 'shape:'
/** Longer than any id tldraw makes; bounds what a lookup is asked to do. */
export const MAX_CARD_ID_LENGTH = 200
/** Thread ids are made by the comment model (`t_` and hex); anything else cannot name one. */
const THREAD_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

export const COMMENT_STATUS_FILTERS = ['open', 'resolved', 'all'] as const
export type CommentStatusFilter = (typeof COMMENT_STATUS_FILTERS)[number]
const THREAD_STATUSES: readonly ThreadStatus[] = ['open', 'resolved']

export interface MessageView {
  id: string
  author: { name: string; discipline: Discipline }
  body: string
  createdAt: string
  editedAt: string | null
  deletedAt: string | null
}

export interface ThreadView {
  id: string
  /** The anchored shape's id without "shape:"; null for a thread pinned to a point. */
  cardId: string | null
  anchor: CommentAnchor
  status: ThreadStatus
  /** The shape it was anchored to has been deleted. */
  orphaned: boolean
  createdAt: string
  lastActivityAt: string
  messages: MessageView[]
}

function threadView(thread: CommentThread, doc: Y.Doc): ThreadView {
  const records = recordsMap(doc)
  const { anchor } = thread
  return {
    id: thread.id,
    cardId: anchor.kind === 'shape' ? bareShapeId(anchor.shapeId) : null,
    anchor,
    status: thread.status,
    orphaned: isOrphaned(thread, (shapeId) => records.get(shapeId)?.typeName === 'shape'),
    createdAt: thread.createdAt,
    lastActivityAt: thread.lastActivityAt,
    messages: thread.messages.map((m) => ({
      id: m.id,
      author: { name: m.author.name, discipline: m.author.discipline },
      body: m.body,
      createdAt: m.createdAt,
      editedAt: m.editedAt,
      deletedAt: m.deletedAt,
    })),
  }
}

function bareShapeId(shapeId: string): string {
  return shapeId.startsWith(SHAPE_PREFIX) ? shapeId.slice(SHAPE_PREFIX.length) : shapeId
}

function parseStatusFilter(value: string | undefined): CommentStatusFilter {
  if (value === undefined || value === '') return 'all'
  if ((COMMENT_STATUS_FILTERS as readonly string[]).includes(value)) return value as CommentStatusFilter
  throw httpError(400, `"status" must be one of ${COMMENT_STATUS_FILTERS.join(', ')} (got "${value.slice(0, 40)}")`)
}

function parseThreadId(value: string): string {
  if (!THREAD_ID_PATTERN.test(value)) throw httpError(400, 'thread id must be 1–64 letters, digits, "-" or "_"')
  return value
}

/** The shape id, with its "shape:" prefix, that `cardId` names; with or without the prefix. */
function parseCardId(value: unknown): string {
  const bare = typeof value === 'string' ? bareShapeId(value.trim()) : ''
  if (!bare || bare.length > MAX_CARD_ID_LENGTH) {
    throw httpError(
      400,
      `"cardId" must be the id of a card or other shape on the board (1–${MAX_CARD_ID_LENGTH} characters, with or without "shape:")`,
    )
  }
  return SHAPE_PREFIX + bare
}

/** The comment model's own checks, as 400s with its messages. */
function parseMessage(body: Record<string, unknown>): { body: string; author: CommentAuthor } {
  try {
    return { body: normalizeBody(body.body), author: parseAuthor(body.author) }
  } catch (error) {
    if (error instanceof CommentError) throw httpError(400, error.message)
    throw error
  }
}

function parseAuthorOnly(value: unknown): CommentAuthor {
  try {
    return parseAuthor(value)
  } catch (error) {
    if (error instanceof CommentError) throw httpError(400, error.message)
    throw error
  }
}

function parseThreadStatus(value: unknown): ThreadStatus {
  if ((THREAD_STATUSES as readonly unknown[]).includes(value)) return value as ThreadStatus
  throw httpError(400, `"status" must be "open" or "resolved"`)
}

/** Inside a change: the thread as the doc holds it, or a 404 (a damaged thread counts as none). */
function requireThread(doc: Y.Doc, threadId: string): CommentThread {
  const thread = readThreads(doc).find((t) => t.id === threadId)
  if (!thread) throw httpError(404, `no comment thread "${threadId}" on this board`)
  return thread
}

export function commentRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  async function withRoom<T>(boardId: BoardId, task: (room: Room) => Promise<T>): Promise<T> {
    try {
      return await deps.rooms.use(boardId, task)
    } catch (error) {
      // Bodies and authors are checked before any write, so the model only refuses a thread it
      // cannot write to.
      if (error instanceof CommentError) throw httpError(404, error.message)
      throw error
    }
  }

  /**
   * Runs `write` on the live board through the room and answers with the thread it names, read
   * back from the live doc once the change is stored.
   */
  function writeThread(boardId: BoardId, reason: string, write: (doc: Y.Doc) => string): Promise<ThreadView> {
    return withRoom(boardId, async (room) => {
      let threadId = ''
      await room.change(reason, (doc) => {
        threadId = write(doc)
      })
      return threadView(requireThread(room.doc, threadId), room.doc)
    })
  }

  app.get('/:id/comments', async function listComments(c) {
    const board = await requireBoard(deps, c.req.param('id'))
    const status = parseStatusFilter(c.req.query('status'))
    const threads = await withRoom(board.id, async (room) =>
      readThreads(room.doc)
        .filter((t) => status === 'all' || t.status === status)
        .map((t) => threadView(t, room.doc)),
    )
    c.header('Cache-Control', 'no-store')
    return c.json(threads, 200)
  })

  app.post('/:id/comments', async function createComment(c) {
    const board = await requireBoard(deps, c.req.param('id'))
    const input = await readJsonObject(c)
    const shapeId = parseCardId(input.cardId)
    const { body, author } = parseMessage(input)
    const thread = await writeThread(board.id, 'add comment thread', (doc) => {
      // Any shape may carry a thread (a card, a sketch, a frame); it has to be there now.
      if (recordsMap(doc).get(shapeId)?.typeName !== 'shape') {
        throw httpError(404, `no card or shape "${bareShapeId(shapeId)}" on this board`)
      }
      return createThread(doc, { anchor: { kind: 'shape', shapeId }, body, author })
    })
    deps.log.info({ board: board.id, thread: thread.id }, 'comment thread added')
    return c.json(thread, 201)
  })

  app.post('/:id/comments/:threadId/replies', async function replyToComment(c) {
    const board = await requireBoard(deps, c.req.param('id'))
    const threadId = parseThreadId(c.req.param('threadId'))
    const { body, author } = parseMessage(await readJsonObject(c))
    const thread = await writeThread(board.id, 'reply to comment thread', (doc) => {
      requireThread(doc, threadId)
      reply(doc, threadId, { body, author })
      return threadId
    })
    deps.log.info({ board: board.id, thread: threadId }, 'comment reply added')
    return c.json(thread, 201)
  })

  app.patch('/:id/comments/:threadId', async function setCommentStatus(c) {
    const board = await requireBoard(deps, c.req.param('id'))
    const threadId = parseThreadId(c.req.param('threadId'))
    const input = await readJsonObject(c)
    const status = parseThreadStatus(input.status)
    const author = parseAuthorOnly(input.author)
    const thread = await withRoom(board.id, async (room) => {
      // Setting the status it already has writes nothing, not even who last touched it.
      if (requireThread(room.doc, threadId).status !== status) {
        await room.change(`${status === 'open' ? 'reopen' : 'resolve'} comment thread`, (doc) => {
          requireThread(doc, threadId)
          setThreadStatus(doc, threadId, status, { author })
        })
      }
      return threadView(requireThread(room.doc, threadId), room.doc)
    })
    deps.log.info({ board: board.id, thread: threadId, status }, 'comment thread status set')
    return c.json(thread, 200)
  })

  return app
}
