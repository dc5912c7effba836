/**
 * `GET /api/boards/:id/scope-diff?from=<snapshotId>&to=<snapshotId|live>`: what changed in the
 * board's scope between a snapshot and another snapshot or the live board (shared/scope/diff.ts),
 * as JSON, or as Markdown with `?format=md` or `Accept: text/markdown`. Both sides are read the
 * way the scope export reads a board (exportBoard.ts), under the focus the board links to now.
 */
import { Hono, type Context } from 'hono'
import type * as Y from 'yjs'
import { focusRef } from '../../shared/focus/model.ts'
import { diffScopes, renderScopeDiffMarkdown, type FocusRef, type Scope } from '../../shared/scope/index.ts'
import { focusOfBoard } from '../focus/boardFocus.ts'
import { docFromState } from '../history/restoreRecords.ts'
import { boardScope } from '../../shared/scope/docScope.ts'
import type { BoardMeta } from '../storage/BoardStorage.ts'
import type { AppDeps, AppEnv } from './env.ts'
import { httpError } from './errors.ts'
import { requireBoard } from './scope.ts'
import { requireSnapshot } from './snapshots.ts'

/** The `to` value that names the board as it is now. */
export const LIVE = 'live'

type Format = 'json' | 'md'

function wantedFormat(c: Context): Format {
  const format = c.req.query('format')
  if (format === 'json' || format === 'md') return format
  if (format !== undefined) throw httpError(400, '"format" must be json or md')
  return /\btext\/markdown\b/i.test(c.req.header('accept') ?? '') ? 'md' : 'json'
}

export function scopeDiffRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  /** One side of the diff: its scope and what the Markdown heading calls it. */
  async function side(board: BoardMeta, focus: FocusRef | null, value: string | undefined) {
    if (value === LIVE) {
      return deps.rooms.use(board.id, (room) => ({ scope: boardScope(room.doc, board, focus), label: 'live board' }))
    }
    const snapshot = await requireSnapshot(deps, board.id, value)
    let doc: Y.Doc | null = null
    try {
      doc = docFromState(snapshot.state)
      const scope: Scope = boardScope(doc, board, focus)
      return { scope, label: `${snapshot.name} (${snapshot.createdAt})` }
    } finally {
      doc?.destroy()
    }
  }

  app.get('/:id/scope-diff', async function scopeDiff(c) {
    const board = await requireBoard(deps, c.req.param('id'))
    const format = wantedFormat(c)
    const fromParam = c.req.query('from')
    if (!fromParam) throw httpError(400, '"from" must name a snapshot: ?from=<snapshotId>&to=<snapshotId|live>')
    const focus = await focusOfBoard(deps.focuses, board)
    const ref = focus && focusRef(focus)
    const from = await side(board, ref, fromParam)
    const to = await side(board, ref, c.req.query('to') ?? LIVE)
    const diff = diffScopes(from.scope, to.scope)
    c.header('Cache-Control', 'no-store')
    if (format === 'json') return c.json(diff)
    c.header('Content-Type', 'text/markdown; charset=utf-8')
    c.header('X-Content-Type-Options', 'nosniff')
    return c.body(renderScopeDiffMarkdown(diff, { from: from.label, to: to.label }), 200)
  })

  return app
}
