import { Hono } from 'hono'
import * as Y from 'yjs'
import { MAX_TITLE_LENGTH, META_TITLE, metaMap, normalizeTitle } from '../../shared/doc/layout.ts'
import { focusContext } from '../../shared/focus/model.ts'
import { newBoardId, parseBoardId, parseFocusId, type BoardId } from '../../shared/ids.ts'
import { focusOfBoard } from '../focus/boardFocus.ts'
import type { BoardMeta } from '../storage/BoardStorage.ts'
import type { AppDeps, AppEnv } from './env.ts'
import { httpError } from './errors.ts'
import { readJsonObject } from './json.ts'

function boardIdParam(value: string): BoardId {
  const id = parseBoardId(value)
  if (!id) throw httpError(400, 'board id must be 1–64 letters, digits, "-" or "_"')
  return id
}

function titleFrom(body: Record<string, unknown>): string {
  const title = normalizeTitle(body.title)
  if (title === null)
    throw httpError(400, `"title" must be a non-empty string of at most ${MAX_TITLE_LENGTH} characters`)
  return title
}

function listItem(board: BoardMeta) {
  return { id: board.id, title: board.title, updatedAt: board.updatedAt, focusId: board.focusId }
}

export function boardRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.post('/', async (c) => {
    const title = titleFrom(await readJsonObject(c))
    // The title lives in the document so renaming syncs like any edit; seed it there.
    const doc = new Y.Doc()
    metaMap(doc).set(META_TITLE, title)
    const board = await deps.storage.createBoard(newBoardId(), title, Y.encodeStateAsUpdate(doc))
    doc.destroy()
    deps.log.info({ board: board.id }, 'board created')
    return c.json({ id: board.id, title: board.title, createdAt: board.createdAt }, 201)
  })

  app.get('/', async (c) => c.json((await deps.storage.listBoards()).map(listItem)))

  /**
   * With the focus the board serves: everyone on the board, link guests included, sees that
   * context (and nothing of the other boards linked to it).
   */
  const boardWithFocus = async (board: BoardMeta) => {
    const focus = await focusOfBoard(deps.focuses, board)
    return { ...listItem(board), createdAt: board.createdAt, focus: focus && focusContext(focus) }
  }

  app.get('/:id', async (c) => {
    const board = await deps.storage.getBoard(boardIdParam(c.req.param('id')))
    if (!board) throw httpError(404, 'no board with this id')
    return c.json(await boardWithFocus(board))
  })

  /** Links the board to a sprint focus, or unlinks it with `{"focusId": null}`. */
  app.put('/:id/focus', async function linkFocus(c) {
    const id = boardIdParam(c.req.param('id'))
    if (!(await deps.storage.getBoard(id))) throw httpError(404, 'no board with this id')
    const body = await readJsonObject(c)
    const extra = Object.keys(body).filter((key) => key !== 'focusId')
    if (extra.length)
      throw httpError(400, `unknown field ${extra.map((k) => `"${k}"`).join(', ')}; send {"focusId": …}`)
    if (!('focusId' in body)) throw httpError(400, '"focusId" is required: a focus id, or null to unlink')
    const focusId = body.focusId === null ? null : parseFocusId(body.focusId)
    if (body.focusId !== null && !focusId) {
      throw httpError(400, '"focusId" must be a focus id (1–64 letters, digits, "-" or "_") or null to unlink')
    }
    const result = await deps.focuses.linkBoard(id, focusId)
    if (result === 'no-board') throw httpError(404, 'no board with this id')
    if (result === 'no-focus') throw httpError(404, 'no focus with this id')
    const board = await deps.storage.getBoard(id)
    if (!board) throw httpError(404, 'no board with this id')
    deps.log.info({ board: id, focus: focusId }, focusId ? 'board linked to focus' : 'board unlinked from focus')
    return c.json(await boardWithFocus(board))
  })

  /** Renames through the live document, so everyone on the board sees the new title at once. */
  app.patch('/:id', async (c) => {
    const id = boardIdParam(c.req.param('id'))
    const title = titleFrom(await readJsonObject(c))
    if (!(await deps.storage.getBoard(id))) throw httpError(404, 'no board with this id')
    await deps.rooms.use(id, async (room) => {
      await room.change('rename', (doc) => metaMap(doc).set(META_TITLE, title))
      // The board list mirrors the doc's title in a task queued by the change; wait for it.
      await room.flushed()
    })
    const board = await deps.storage.getBoard(id)
    return c.json(board && listItem(board))
  })

  return app
}
