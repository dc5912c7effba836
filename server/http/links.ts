/**
 * A board's share links: `POST /api/boards/:id/links {role}` makes one and answers its token once,
 * inside a URL that signs the opener in for this board; `GET` lists the active ones (never their
 * tokens); `DELETE …/links/:linkId` revokes one and closes the sync connections opened with it.
 * Who may do this (workspace or an edit link of the board) is decided in app.ts's route table.
 */
import { Hono } from 'hono'
import { parseRole, ROLES } from '../../shared/auth/roles.ts'
import { CloseCode } from '../../shared/sync/protocol.ts'
import { newLinkToken, parseLinkId } from '../auth/links.ts'
import type { LinkRecord } from '../storage/BoardStorage.ts'
import type { AppDeps, AppEnv } from './env.ts'
import { httpError } from './errors.ts'
import { readJsonObject } from './json.ts'
import { requireBoard } from './scope.ts'

export const LINK_REVOKED_REASON = 'this link was revoked'

function listed(link: LinkRecord) {
  return { id: link.id, role: link.role, createdAt: link.createdAt }
}

export function linkRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.post('/:id/links', async function createLink(c) {
    const board = await requireBoard(deps, c.req.param('id'))
    const body = await readJsonObject(c)
    const role = parseRole(body.role)
    if (!role) throw httpError(400, `"role" must be one of ${ROLES.join(', ')}`)
    const unknown = Object.keys(body).filter((key) => key !== 'role')
    if (unknown.length > 0) throw httpError(400, `unknown field "${unknown[0]}": send only {"role"}`)
    const { id, token, tokenHash } = newLinkToken()
    const link = await deps.storage.createLink({ id, boardId: board.id, role, tokenHash })
    // The address the request came to, so the link works from wherever the creator reached us.
    const url = `${new URL(c.req.url).origin}/b/${board.id}?token=${encodeURIComponent(token)}`
    deps.log.info({ board: board.id, link: id, role }, 'share link created')
    return c.json({ ...listed(link), token, url }, 201)
  })

  app.get('/:id/links', async (c) => {
    const board = await requireBoard(deps, c.req.param('id'))
    return c.json((await deps.storage.listLinks(board.id)).map(listed))
  })

  app.delete('/:id/links/:linkId', async function revokeLink(c) {
    const board = await requireBoard(deps, c.req.param('id'))
    const linkId = parseLinkId(c.req.param('linkId'))
    if (!linkId) throw httpError(400, 'link id must be 1–64 letters, digits, "-" or "_"')
    if (!(await deps.storage.revokeLink(board.id, linkId, new Date()))) {
      throw httpError(404, 'this board has no active link with this id')
    }
    const closed = deps.liveLinks.closeLink(linkId, CloseCode.Forbidden, LINK_REVOKED_REASON)
    deps.log.info({ board: board.id, link: linkId, closed }, 'share link revoked')
    return c.body(null, 204)
  })

  return app
}
