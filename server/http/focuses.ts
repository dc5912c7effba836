/**
 * Sprint focuses over HTTP, all for the workspace token only (routeAccess.ts): create, list, read,
 * change and delete a focus, and its roll-up — every linked board's scope, read from the live
 * rooms like a board's own export, so it shows edits that are still arriving.
 */
import { Hono, type Context } from 'hono'
import type { FocusWithBoards } from '../../shared/focus/model.ts'
import { newFocusId, parseFocusId, type BoardId } from '../../shared/ids.ts'
import { renderRollup, rollupFromDocs, type LinkedBoardDoc } from '../focus/exportFocus.ts'
import { checkDates, parseFocusCreate, parseFocusPatch } from '../focus/focusInput.ts'
import { ROLLUP_FORMATS, ROLLUP_PATHS, type RollupFormat } from '../focus/formats.ts'
import type { FocusRecord } from '../storage/FocusStorage.ts'
import type { AppDeps, AppEnv } from './env.ts'
import { httpError } from './errors.ts'
import { readJsonObject } from './json.ts'
import { attachmentHeader } from './scope.ts'

export const BAD_FOCUS_ID = 'focus id must be 1–64 letters, digits, "-" or "_"'

/** The focus named by a path parameter: 400 for an id that cannot be one, 404 for none. */
export async function requireFocus(deps: AppDeps, value: string | undefined): Promise<FocusRecord> {
  const id = parseFocusId(value)
  if (!id) throw httpError(400, BAD_FOCUS_ID)
  const focus = await deps.focuses.getFocus(id)
  if (!focus) throw httpError(404, 'no focus with this id')
  return focus
}

function withBoards(focus: FocusRecord, boardIds: readonly BoardId[] = []): FocusWithBoards {
  return { ...focus, boardIds: [...boardIds] }
}

function forceParam(c: Context): boolean {
  const force = c.req.query('force')
  if (force === undefined || force === 'false' || force === '0') return false
  if (force === 'true' || force === '1' || force === '') return true
  throw httpError(400, '"force" must be true or false')
}

export function focusRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.post('/', async function createFocus(c) {
    const parsed = parseFocusCreate(await readJsonObject(c))
    if (!parsed.ok) throw httpError(400, parsed.message)
    const focus = await deps.focuses.createFocus(newFocusId(), parsed.value)
    deps.log.info({ focus: focus.id }, 'focus created')
    return c.json(withBoards(focus), 201)
  })

  app.get('/', async function listFocuses(c) {
    const [focuses, links] = await Promise.all([deps.focuses.listFocuses(), deps.focuses.linkedBoardIds()])
    c.header('Cache-Control', 'no-store')
    return c.json(focuses.map((f) => withBoards(f, links.get(f.id))))
  })

  app.get('/:id', async function getFocus(c) {
    const focus = await requireFocus(deps, c.req.param('id'))
    const boards = await deps.focuses.linkedBoards(focus.id)
    c.header('Cache-Control', 'no-store')
    return c.json(
      withBoards(
        focus,
        boards.map((b) => b.id),
      ),
    )
  })

  app.patch('/:id', async function changeFocus(c) {
    const current = await requireFocus(deps, c.req.param('id'))
    const parsed = parseFocusPatch(await readJsonObject(c))
    if (!parsed.ok) throw httpError(400, parsed.message)
    const dates = checkDates({ ...current, ...parsed.value })
    if (dates) throw httpError(400, dates)
    const focus = await deps.focuses.updateFocus(current.id, parsed.value)
    if (!focus) throw httpError(404, 'no focus with this id')
    const boards = await deps.focuses.linkedBoards(focus.id)
    deps.log.info({ focus: focus.id }, 'focus changed')
    return c.json(
      withBoards(
        focus,
        boards.map((b) => b.id),
      ),
    )
  })

  /** Refused while boards link to it, unless `?force=true`, which unlinks them; never deletes a board. */
  app.delete('/:id', async function deleteFocus(c) {
    const id = parseFocusId(c.req.param('id'))
    if (!id) throw httpError(400, BAD_FOCUS_ID)
    const result = await deps.focuses.deleteFocus(id, { force: forceParam(c) })
    switch (result.kind) {
      case 'not-found':
        throw httpError(404, 'no focus with this id')
      case 'linked': {
        const n = result.boardIds.length
        throw httpError(
          409,
          `${n} ${n === 1 ? 'board links' : 'boards link'} to this focus: unlink ${n === 1 ? 'it' : 'them'} first, or delete with ?force=true to unlink ${n === 1 ? 'it' : 'them'} (boards are never deleted)`,
        )
      }
      case 'deleted':
        deps.log.info({ focus: id, unlinked: result.unlinked.length }, 'focus deleted')
        return c.body(null, 204)
      default: {
        const unknown: never = result
        throw new Error(`unexpected delete result ${JSON.stringify(unknown)}`)
      }
    }
  })

  const rollupRoute = (format: RollupFormat) =>
    async function exportRollup(c: Context<AppEnv>) {
      const focus = await requireFocus(deps, c.req.param('id'))
      const boards = await deps.focuses.linkedBoards(focus.id)
      const docs: LinkedBoardDoc[] = []
      const rooms = []
      try {
        // Every room is held until the roll-up is built, so none unloads part-way.
        for (const board of boards) {
          const room = await deps.rooms.get(board.id)
          rooms.push(room)
          docs.push({ board, doc: room.doc })
        }
        const rollup = rollupFromDocs(focus, docs)
        const result = renderRollup(rollup, format, new URL(c.req.url).origin)
        c.header('Content-Type', result.contentType)
        c.header('Cache-Control', 'no-store')
        c.header('X-Content-Type-Options', 'nosniff')
        const download = c.req.query('download')
        if (download !== '0' && download !== 'false') c.header('Content-Disposition', attachmentHeader(result.fileName))
        return c.body(result.body, 200)
      } finally {
        for (const room of rooms) deps.rooms.release(room)
      }
    }

  for (const format of ROLLUP_FORMATS) app.get(`/:id/${ROLLUP_PATHS[format]}`, rollupRoute(format))

  return app
}
