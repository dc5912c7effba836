/**
 * The sprint focus a board serves, as `GET /api/boards/:id` says (any role on the board may ask).
 * It is asked again every BOARD_FOCUS_REFRESH_MS while the page is visible, and the last answer
 * is kept per board so the outline and the exports know the focus offline too.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { FocusContext } from '../../../shared/focus/model.ts'
import { api } from '../api.ts'
import { BOARD_FOCUS_REFRESH_MS } from '../config.ts'

const CACHE_KEY = (boardId: string) => `scopeboard:focus:${boardId}`

function isFocusContext(value: unknown): value is FocusContext {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return typeof v.id === 'string' && typeof v.sprint === 'string' && typeof v.title === 'string'
}

function remembered(boardId: string): FocusContext | null | undefined {
  try {
    const text = localStorage.getItem(CACHE_KEY(boardId))
    if (text === null) return undefined
    const value: unknown = JSON.parse(text)
    return value === null ? null : isFocusContext(value) ? value : undefined
  } catch {
    return undefined
  }
}

function remember(boardId: string, focus: FocusContext | null) {
  try {
    localStorage.setItem(CACHE_KEY(boardId), JSON.stringify(focus))
  } catch {
    // Then the focus is asked again next time.
  }
}

export interface BoardFocus {
  /** Undefined until known (from the server or this browser's last answer). */
  focus: FocusContext | null | undefined
  /** Takes an answer the page already has (after linking), without asking again. */
  set(focus: FocusContext | null): void
  refresh(): void
}

export function useBoardFocus(boardId: string): BoardFocus {
  const [focus, setFocus] = useState<FocusContext | null | undefined>(() => remembered(boardId))

  // Every question and every answer taken bumps this; only the newest question's answer is taken,
  // so a refresh answered after the picker linked a focus, or after a later refresh, is dropped.
  const generation = useRef(0)

  const set = useCallback(
    (next: FocusContext | null) => {
      generation.current++
      remember(boardId, next)
      setFocus(next)
    },
    [boardId],
  )

  const refresh = useCallback(() => {
    const asked = ++generation.current
    api.getBoard(boardId).then(
      (board) => {
        if (generation.current === asked) set(board.focus)
      },
      // Offline or refused: keep what is known; the board page says why it cannot open.
      () => undefined,
    )
  }, [boardId, set])

  useEffect(() => {
    setFocus(remembered(boardId))
    refresh()
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') refresh()
    }, BOARD_FOCUS_REFRESH_MS)
    const onVisible = () => document.visibilityState === 'visible' && refresh()
    document.addEventListener('visibilitychange', onVisible)
    return () => {
      clearInterval(timer)
      document.removeEventListener('visibilitychange', onVisible)
    }
  }, [boardId, refresh])

  return { focus, set, refresh }
}
