/**
 * What this browser may do on a board: the workspace token may do everything; a share link
 * carries one role. The server enforces it on every route and socket; the UI only follows it so
 * nobody is offered what would be refused. The last answer is kept per board, so a board opened
 * offline keeps the same shape.
 */
import { useEffect, useState } from 'react'
import { api, type LinkRole } from '../api.ts'

export interface BoardAccess {
  role: 'workspace' | LinkRole
  canEdit: boolean
  canComment: boolean
  canShare: boolean
}

export function accessFor(role: BoardAccess['role']): BoardAccess {
  return {
    role,
    canEdit: role === 'workspace' || role === 'edit',
    canComment: role !== 'view',
    canShare: role === 'workspace' || role === 'edit',
  }
}

const CACHE_KEY = (boardId: string) => `scopeboard:access:${boardId}`

function cached(boardId: string): BoardAccess['role'] | null {
  try {
    const value = localStorage.getItem(CACHE_KEY(boardId))
    return value === 'workspace' || value === 'edit' || value === 'comment' || value === 'view' ? value : null
  } catch {
    return null
  }
}

export function useBoardAccess(boardId: string): BoardAccess | null {
  const [role, setRole] = useState<BoardAccess['role'] | null>(() => cached(boardId))
  useEffect(() => {
    let cancelled = false
    api.boardSession(boardId).then(
      (session) => {
        if (cancelled || !session.signedIn) return
        const next = session.access === 'workspace' ? 'workspace' : session.role
        if (!next) return
        setRole(next)
        try {
          localStorage.setItem(CACHE_KEY(boardId), next)
        } catch {
          // Then the role is asked again next time.
        }
      },
      () => undefined,
    )
    return () => {
      cancelled = true
    }
  }, [boardId])
  return role ? accessFor(role) : null
}
