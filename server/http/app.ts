import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import { decodePathSegment, parseBoardId, type BoardId } from '../../shared/ids.ts'
import { findCredentials, hasAnyToken } from '../auth/tokens.ts'
import { MAX_JSON_BODY_BYTES } from '../config.ts'
import { boardRoutes } from './boards.ts'
import { cardRoutes } from './cards.ts'
import { commentRoutes } from './comments.ts'
import type { AppDeps, AppEnv } from './env.ts'
import { httpError } from './errors.ts'
import { focusRoutes } from './focuses.ts'
import { linkRoutes } from './links.ts'
import { pageRoutes } from './pages.ts'
import { authorize, denyUndecided, ROUTE_ACCESS } from './routeAccess.ts'
import { scopeRoutes } from './scope.ts'
import { scopeDiffRoutes } from './scopeDiff.ts'
import { securityHeaders } from './securityHeaders.ts'
import { snapshotRoutes } from './snapshots.ts'

/** The board an API path is about (`/api/boards/:id/…`), whose link cookie counts. */
function boardOfPath(pathname: string): BoardId | null {
  const match = /^\/api\/boards\/([^/]+)/.exec(pathname)
  return match ? parseBoardId(decodePathSegment(match[1])) : null
}

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.use(securityHeaders)
  app.use(async function logRequest(c, next) {
    const started = performance.now()
    await next()
    // The path only: a query string may carry a token.
    deps.log.info(
      { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) },
      'request',
    )
  })

  app.get('/healthz', async (c) => {
    const failure = deps.rooms.storageHealth.firstFailure
    if (failure) {
      return c.json({ ok: false, error: `storage failed to save a board at ${failure.at}: ${failure.message}` }, 503)
    }
    try {
      await deps.storage.check()
      return c.json({ ok: true })
    } catch (error) {
      deps.log.error({ err: error }, 'health check failed')
      return c.json({ ok: false, error: 'storage is not writable' }, 503)
    }
  })

  /**
   * Lets a page ask whether it is signed in without provoking a 401 (which browsers log as an
   * error). With `?board=<id>` it answers for that board: a share link signs in for its board
   * only, and `role` is what this browser may do there (the workspace may do what `edit` may).
   */
  app.get('/api/session', async (c) => {
    const boardParam = c.req.query('board')
    const boardId = boardParam === undefined ? null : parseBoardId(boardParam)
    if (boardParam !== undefined && !boardId) throw httpError(400, 'board id must be 1–64 letters, digits, "-" or "_"')
    const access = await deps.auth.resolve(
      findCredentials({
        authorization: c.req.header('authorization'),
        query: c.req.query('token'),
        cookieHeader: c.req.header('cookie'),
        boardId,
      }),
    )
    c.header('Cache-Control', 'no-store')
    if (access?.kind === 'workspace')
      return c.json({ signedIn: true, access: 'workspace', role: boardId ? 'edit' : null })
    if (access?.kind === 'link' && boardId && access.boardId === boardId) {
      return c.json({ signedIn: true, access: 'link', role: access.role })
    }
    return c.json({ signedIn: false, access: null, role: null })
  })

  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_JSON_BODY_BYTES,
      onError: () => {
        throw httpError(413, `the body is larger than ${MAX_JSON_BODY_BYTES} bytes`)
      },
    }),
    async function authenticate(c, next) {
      const credentials = findCredentials({
        authorization: c.req.header('authorization'),
        query: c.req.query('token'),
        cookieHeader: c.req.header('cookie'),
        boardId: boardOfPath(c.req.path),
      })
      if (!hasAnyToken(credentials))
        throw httpError(
          401,
          'no token: send Authorization: Bearer <token>, or sign in with the URL the server printed at start',
        )
      const access = await deps.auth.resolve(credentials)
      if (!access) throw httpError(401, 'this token is not valid here')
      c.set('access', access)
      c.set('authorized', false)
      await next()
    },
  )
  for (const rule of ROUTE_ACCESS) app.on(rule.method, rule.path, authorize(rule))
  app.use('/api/*', denyUndecided)
  app.route('/api/boards', boardRoutes(deps))
  app.route('/api/boards', cardRoutes(deps))
  app.route('/api/boards', scopeRoutes(deps))
  app.route('/api/boards', linkRoutes(deps))
  app.route('/api/boards', commentRoutes(deps))
  app.route('/api/boards', snapshotRoutes(deps))
  app.route('/api/boards', scopeDiffRoutes(deps))
  app.route('/api/focuses', focusRoutes(deps))
  app.all('/api/*', () => {
    throw httpError(404, 'no such API route')
  })

  app.route('/', pageRoutes(deps))

  app.notFound((c) => c.json({ error: `nothing at ${c.req.path}` }, 404))
  app.onError((error, c) => {
    // A refused request may leave a body unread on the socket; reusing that connection would
    // feed the rest of the body to the next request, so close it.
    if (c.req.header('content-length') || c.req.header('transfer-encoding')) c.header('Connection', 'close')
    if (error instanceof HTTPException) {
      return c.json({ error: error.message }, error.status)
    }
    deps.log.error({ err: error, path: c.req.path }, 'unhandled error')
    return c.json({ error: 'internal error' }, 500)
  })
  return app
}
