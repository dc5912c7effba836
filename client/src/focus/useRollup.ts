/**
 * A focus's roll-up, kept live by polling `GET /api/focuses/:id/scope.json` every ROLLUP_POLL_MS
 * while the tab is visible (and at once when it becomes visible again). One small JSON document
 * per poll is simpler and sturdier than a sync socket per linked board, and the server builds it
 * from the live rooms, so a card added on any board shows up within a poll. An answer equal to
 * the last one changes nothing on the page.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { FocusRollup } from '../../../shared/focus/types.ts'
import { api, ApiError } from '../api.ts'
import { ROLLUP_POLL_MS } from '../config.ts'

export type RollupState =
  | { kind: 'loading' }
  | { kind: 'loaded'; rollup: FocusRollup; checkedAt: Date; stale: string | null }
  | { kind: 'failed'; status: number | null; message: string }

export function useRollup(focusId: string): { state: RollupState; reload(): void } {
  const [state, setState] = useState<RollupState>({ kind: 'loading' })
  const last = useRef<string | null>(null)
  const [generation, setGeneration] = useState(0)
  const reload = useCallback(() => setGeneration((g) => g + 1), [])

  useEffect(() => {
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    let inFlight = false

    const poll = async () => {
      clearTimeout(timer)
      if (stopped || inFlight) return
      inFlight = true
      try {
        const rollup = await api.focusRollup(focusId)
        if (stopped) return
        const text = JSON.stringify(rollup)
        const changed = text !== last.current
        last.current = text
        const checkedAt = new Date()
        setState((prev) =>
          !changed && prev.kind === 'loaded'
            ? { ...prev, checkedAt, stale: null }
            : { kind: 'loaded', rollup, checkedAt, stale: null },
        )
      } catch (error) {
        if (stopped) return
        const status = error instanceof ApiError ? error.status : null
        const message = (error as Error).message
        // Once shown, a roll-up stays on screen through a failed poll (the server restarting, say).
        setState((prev) =>
          prev.kind === 'loaded' && status !== 404 && status !== 403 && status !== 401
            ? { ...prev, stale: message }
            : { kind: 'failed', status, message },
        )
      } finally {
        inFlight = false
        if (!stopped && document.visibilityState === 'visible') timer = setTimeout(poll, ROLLUP_POLL_MS)
      }
    }
    const onVisible = () => {
      if (document.visibilityState === 'visible') void poll()
    }
    void poll()
    document.addEventListener('visibilitychange', onVisible)
    return () => {
      stopped = true
      clearTimeout(timer)
      document.removeEventListener('visibilitychange', onVisible)
    }
  }, [focusId, generation])

  return { state, reload }
}
