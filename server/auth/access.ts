/**
 * Whether an access may do something: the one decision HTTP routes and sync sockets share.
 * The workspace may do everything; a link may use its own board within its role and nothing else.
 */
import { can, type Capability } from '../../shared/auth/roles.ts'
import type { BoardId } from '../../shared/ids.ts'
import type { Access } from './tokens.ts'
import { assertNever } from '../../shared/assertNever.ts'

/** What a route needs: a capability on the board it names, or the workspace itself. */
export type Requirement = Capability | 'workspace'

export type Decision = { ok: true } | { ok: false; reason: string }

const ALLOWED: Decision = { ok: true }

export function decide(access: Access, requirement: Requirement, boardId: BoardId | null): Decision {
  switch (access.kind) {
    case 'workspace':
      return ALLOWED
    case 'link':
      if (requirement === 'workspace') {
        return { ok: false, reason: 'a share link opens one board only; this needs the workspace token' }
      }
      if (boardId !== access.boardId) return { ok: false, reason: 'this link is for another board' }
      if (!can(access.role, requirement))
        return { ok: false, reason: `a ${access.role} link cannot ${VERBS[requirement]}` }
      return ALLOWED
    default:
      return assertNever(access)
  }
}

const VERBS: Record<Capability, string> = {
  read: 'open this board',
  comment: 'comment on this board',
  edit: 'change this board',
  'manage-links': "manage this board's share links",
}
