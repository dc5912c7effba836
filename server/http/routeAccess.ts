/**
 * What each API route needs, in one table. The workspace token passes everything; a share link
 * passes only a route listed here, on its own board, with a role that has the capability
 * (shared/auth/roles.ts). A route missing from the table is closed to links — a new route stays
 * safe until someone decides who may use it.
 */
import type { MiddlewareHandler } from 'hono'
import { parseBoardId } from '../../shared/ids.ts'
import { decide, type Requirement } from '../auth/access.ts'
import type { AppEnv } from './env.ts'
import { httpError } from './errors.ts'

export interface RouteAccess {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  path: string
  needs: Requirement
}

export const ROUTE_ACCESS: readonly RouteAccess[] = [
  { method: 'POST', path: '/api/boards', needs: 'workspace' },
  { method: 'GET', path: '/api/boards', needs: 'workspace' },
  { method: 'GET', path: '/api/boards/:id', needs: 'read' },
  { method: 'PATCH', path: '/api/boards/:id', needs: 'edit' },
  { method: 'POST', path: '/api/boards/:id/cards', needs: 'edit' },
  { method: 'GET', path: '/api/boards/:id/scope.json', needs: 'read' },
  { method: 'GET', path: '/api/boards/:id/scope.md', needs: 'read' },
  { method: 'GET', path: '/api/boards/:id/edge-cases.csv', needs: 'read' },
  { method: 'POST', path: '/api/boards/:id/links', needs: 'manage-links' },
  { method: 'GET', path: '/api/boards/:id/links', needs: 'manage-links' },
  { method: 'DELETE', path: '/api/boards/:id/links/:linkId', needs: 'manage-links' },
  { method: 'GET', path: '/api/boards/:id/comments', needs: 'read' },
  { method: 'POST', path: '/api/boards/:id/comments', needs: 'comment' },
  { method: 'POST', path: '/api/boards/:id/comments/:threadId/replies', needs: 'comment' },
  { method: 'PATCH', path: '/api/boards/:id/comments/:threadId', needs: 'comment' },
  { method: 'PUT', path: '/api/boards/:id/focus', needs: 'edit' },
  { method: 'POST', path: '/api/boards/:id/snapshots', needs: 'edit' },
  { method: 'GET', path: '/api/boards/:id/snapshots', needs: 'read' },
  { method: 'GET', path: '/api/boards/:id/snapshots/:snapshotId/state', needs: 'read' },
  { method: 'POST', path: '/api/boards/:id/snapshots/:snapshotId/restore', needs: 'edit' },
  { method: 'DELETE', path: '/api/boards/:id/snapshots/:snapshotId', needs: 'edit' },
  { method: 'GET', path: '/api/boards/:id/scope-diff', needs: 'read' },
  { method: 'POST', path: '/api/focuses', needs: 'workspace' },
  { method: 'GET', path: '/api/focuses', needs: 'workspace' },
  { method: 'GET', path: '/api/focuses/:focusId', needs: 'workspace' },
  { method: 'PATCH', path: '/api/focuses/:focusId', needs: 'workspace' },
  { method: 'DELETE', path: '/api/focuses/:focusId', needs: 'workspace' },
  // The roll-up shows every linked board: a link to one of them must not open the others.
  { method: 'GET', path: '/api/focuses/:focusId/scope.json', needs: 'workspace' },
  { method: 'GET', path: '/api/focuses/:focusId/scope.md', needs: 'workspace' },
]

const BAD_BOARD_ID = 'board id must be 1–64 letters, digits, "-" or "_"'

/** Checks one table row for the request it matched, and marks the request as decided. */
export function authorize(rule: RouteAccess): MiddlewareHandler<AppEnv> {
  return async function authorizeRoute(c, next) {
    let boardId = null
    if (rule.path.startsWith('/api/boards/:id')) {
      boardId = parseBoardId(c.req.param('id'))
      if (!boardId) throw httpError(400, BAD_BOARD_ID)
    }
    const decision = decide(c.get('access'), rule.needs, boardId)
    if (!decision.ok) throw httpError(403, decision.reason)
    c.set('authorized', true)
    await next()
  }
}

/** After the table: a link that no row let through is refused. */
export const denyUndecided: MiddlewareHandler<AppEnv> = async function denyUndecided(c, next) {
  if (c.get('access').kind === 'link' && !c.get('authorized')) {
    throw httpError(403, 'a share link cannot use this route')
  }
  await next()
}
