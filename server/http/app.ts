import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import { MAX_JSON_BODY_BYTES } from '../config.ts'
import { findToken } from '../auth/tokens.ts'
import { boardRoutes } from './boards.ts'
import { cardRoutes } from './cards.ts'
import type { AppDeps, AppEnv } from './env.ts'
import { httpError } from './errors.ts'
import { pageRoutes } from './pages.ts'
import { scopeRoutes } from './scope.ts'

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

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
    try {
      await deps.storage.check()
      return c.json({ ok: true })
    } catch (error) {
      deps.log.error({ err: error }, 'health check failed')
      return c.json({ ok: false, error: 'storage is not writable' }, 503)
    }
  })

  // Lets a page ask whether it is signed in without provoking a 401 (which browsers log as an error).
  app.get('/api/session', (c) => {
    const token = findToken({
      authorization: c.req.header('authorization'),
      query: c.req.query('token'),
      cookieHeader: c.req.header('cookie'),
    })
    const access = deps.auth.check(token)
    return c.json({ signedIn: access !== null, access: access?.kind ?? null })
  })

  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_JSON_BODY_BYTES,
      onError: () => {
        throw httpError(413, `the body is larger than ${MAX_JSON_BODY_BYTES} bytes`)
      },
    }),
    async function requireToken(c, next) {
      const token = findToken({
        authorization: c.req.header('authorization'),
        query: c.req.query('token'),
        cookieHeader: c.req.header('cookie'),
      })
      if (!token)
        throw httpError(
          401,
          'no token: send Authorization: Bearer <token>, or sign in with the URL the server printed at start',
        )
      const access = deps.auth.check(token)
      if (!access) throw httpError(401, 'this token is not valid here')
      c.set('access', access)
      await next()
    },
  )
  app.route('/api/boards', boardRoutes(deps))
  app.route('/api/boards', cardRoutes(deps))
  app.route('/api/boards', scopeRoutes(deps))
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
