import { useEffect, type RefObject } from 'react'

/** Closes a popover on Escape or on a pointer press outside `root`, while it is open. */
export function useDismiss(open: boolean, root: RefObject<HTMLElement | null>, close: () => void): void {
  useEffect(() => {
    if (!open) return
    const onEvent = (e: Event) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !root.current?.contains(e.target as Node)) close()
    }
    window.addEventListener('keydown', onEvent)
    window.addEventListener('pointerdown', onEvent, true)
    return () => {
      window.removeEventListener('keydown', onEvent)
      window.removeEventListener('pointerdown', onEvent, true)
    }
  }, [open, root, close])
}
