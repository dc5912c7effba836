/**
 * The web app: static files from the Vite build, and the page routes that all serve index.html.
 * Visiting a page with `?token=` signs the browser in: the token moves into an HttpOnly cookie and
 * the browser is redirected to the same page without it, so it does not linger in the address bar
 * or the history. The workspace token works on any page and sets `scopeboard_token`; a share
 * link's token works only on its own board's page (`/b/<boardId>`) and sets
 * `scopeboard_link_<boardId>`, which the server reads for that board only.
 */
import fs from 'node:fs'
import path from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono, type Context } from 'hono'
import { setCookie } from 'hono/cookie'
import { decodePathSegment, parseBoardId } from '../../shared/ids.ts'
import { linkCookieName } from '../auth/tokens.ts'
import { COOKIE_MAX_AGE_S, TOKEN_COOKIE } from '../config.ts'
import type { AppDeps, AppEnv } from './env.ts'

export function pageRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const clientDir = deps.clientDir
  const indexFile = clientDir ? path.join(clientDir, 'index.html') : null

  /** The cookie a valid token signs this page's browser in with, or null to refuse it. */
  const cookieFor = async (token: string, pathname: string): Promise<string | null> => {
    const access = await deps.auth.check(token)
    if (!access) return null
    if (access.kind === 'workspace') return TOKEN_COOKIE
    const boardPage = /^\/b\/([^/]+)$/.exec(pathname)
    const boardId = boardPage ? parseBoardId(decodePathSegment(boardPage[1])) : null
    return boardId && boardId === access.boardId ? linkCookieName(boardId) : null
  }

  const page = async (c: Context<AppEnv>) => {
    const url = new URL(c.req.url)
    const token = url.searchParams.get('token')
    if (token !== null) {
      const cookie = await cookieFor(token, url.pathname)
      if (cookie) {
        setCookie(c, cookie, token, {
          httpOnly: true,
          sameSite: 'Lax',
          path: '/',
          maxAge: COOKIE_MAX_AGE_S,
          secure: url.protocol === 'https:',
        })
        url.searchParams.delete('token')
        c.header('Cache-Control', 'no-store')
        return c.redirect(url.pathname + url.search, 302)
      }
      // A bad link (or a board's link on another page) still opens the page, which then explains
      // that the link was not accepted.
    }
    if (!indexFile || !fs.existsSync(indexFile)) {
      return c.text('The web app is not built yet: run "npm run build" (npm start does it for you).', 503)
    }
    c.header('Cache-Control', 'no-cache')
    return c.html(withLicenseKey(fs.readFileSync(indexFile, 'utf8'), deps.tldrawLicenseKey))
  }

  app.get('/', page)
  app.get('/b/:boardId', page)
  app.get('/f/:focusId', page)
  app.get('/focuses', page)

  if (clientDir && fs.existsSync(clientDir)) {
    app.use(
      '/assets/*',
      async (c, next) => {
        await next()
        // Vite puts a content hash in every asset's name, so a file never changes under its name.
        if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable')
      },
      serveStatic({ root: path.relative(process.cwd(), clientDir) || '.' }),
    )
    app.get('*', serveStatic({ root: path.relative(process.cwd(), clientDir) || '.' }))
  }
  return app
}

const LICENSE_META = '<meta name="tldraw-license-key" content="" />'

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function withLicenseKey(html: string, key: string | null): string {
  return key ? html.replace(LICENSE_META, `<meta name="tldraw-license-key" content="${escapeAttribute(key)}" />`) : html
}
