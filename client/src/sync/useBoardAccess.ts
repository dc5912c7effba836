/**
 * What this browser may do on a board: the workspace token may do everything; a share link
 * carries one role. The server enforces it on every route and socket; the client follows it so
 * nobody is offered what would be refused, and so a read-only person's client never writes to
 * the canvas. The last answer is kept per board, so a board opened offline keeps its shape.
 */
import { api, type LinkRole } from '../api.ts'

export type BoardRole = 'workspace' | LinkRole

export interface BoardAccess {
  role: BoardRole
  canEdit: boolean
  canComment: boolean
  canShare: boolean
}

export function accessFor(role: BoardRole): BoardAccess {
  return {
    role,
    canEdit: role === 'workspace' || role === 'edit',
    canComment: role !== 'view',
    canShare: role === 'workspace' || role === 'edit',
  }
}

/** How long to wait for the server before falling back to the role remembered for the board. */
export const ROLE_WAIT_MS = 8_000

const CACHE_KEY = (boardId: string) => `scopeboard:access:${boardId}`

function isRole(value: unknown): value is BoardRole {
  return value === 'workspace' || value === 'edit' || value === 'comment' || value === 'view'
}

function remembered(boardId: string): BoardRole | null {
  try {
    const value = localStorage.getItem(CACHE_KEY(boardId))
    return isRole(value) ? value : null
  } catch {
    return null
  }
}

/**
 * Asks the server; offline, uses the role remembered for this board, and with none opens the
 * board read-only: guessing "edit" for someone who holds a comment link would mix canvas edits
 * into their changes, and the server would then refuse their comments along with them.
 */
export async function resolveBoardRole(boardId: string): Promise<BoardRole> {
  const asked = api.boardSession(boardId).then(
    (session) => {
      if (!session.signedIn) return null
      const role = session.access === 'workspace' ? 'workspace' : session.role
      if (!isRole(role)) return null
      try {
        localStorage.setItem(CACHE_KEY(boardId), role)
      } catch {
        // Then the role is asked again next time.
      }
      return role
    },
    () => null,
  )
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), ROLE_WAIT_MS))
  return (await Promise.race([asked, timeout])) ?? remembered(boardId) ?? 'view'
}
