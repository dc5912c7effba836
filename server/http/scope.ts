/**
 * A board's scope over HTTP: `GET /api/boards/:id/scope.json`, `/scope.md` and `/edge-cases.csv`,
 * read from the live document, so an export shows edits that are still arriving. Reading never
 * writes. `?download=0` leaves out the attachment header, so a browser shows the export inline.
 */
import { Hono, type Context } from 'hono'
import { focusRef } from '../../shared/focus/model.ts'
import { parseBoardId } from '../../shared/ids.ts'
import { focusOfBoard } from '../focus/boardFocus.ts'
import { exportBoard } from '../scope/exportBoard.ts'
import { EXPORT_FORMATS, EXPORT_PATHS, type ExportFormat } from '../scope/formats.ts'
import type { BoardMeta } from '../storage/BoardStorage.ts'
import type { AppDeps, AppEnv } from './env.ts'
import { httpError } from './errors.ts'

/** The board named by a path parameter: 400 for an id that cannot be one, 404 for none. */
export async function requireBoard(deps: AppDeps, value: string): Promise<BoardMeta> {
  const id = parseBoardId(value)
  if (!id) throw httpError(400, 'board id must be 1–64 letters, digits, "-" or "_"')
  const board = await deps.storage.getBoard(id)
  if (!board) throw httpError(404, 'no board with this id')
  return board
}

/**
 * `attachment; filename="…"`, with an RFC 5987 `filename*` beside an ASCII fallback when the name
 * (made from the board title) has characters a plain quoted string cannot carry.
 */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')
  if (ascii === fileName) return `attachment; filename="${fileName}"`
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`
}

function wantsInline(c: Context): boolean {
  const download = c.req.query('download')
  return download === '0' || download === 'false'
}

export function scopeRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  const exportRoute = (format: ExportFormat) =>
    async function exportScope(c: Context<AppEnv>) {
      const board = await requireBoard(deps, c.req.param('id') ?? '')
      const focus = await focusOfBoard(deps.focuses, board)
      const result = await deps.rooms.use(board.id, (room) =>
        exportBoard(room.doc, board, format, focus && focusRef(focus)),
      )
      c.header('Content-Type', result.contentType)
      c.header('Cache-Control', 'no-store')
      c.header('X-Content-Type-Options', 'nosniff')
      if (!wantsInline(c)) c.header('Content-Disposition', attachmentHeader(result.fileName))
      return c.body(result.body, 200)
    }

  for (const format of EXPORT_FORMATS) app.get(`/:id/${EXPORT_PATHS[format]}`, exportRoute(format))

  return app
}
