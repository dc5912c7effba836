/**
 * The board's snapshots as the server lists them (newest first), reloaded on demand: when the
 * history panel opens, after a snapshot is taken or restored. History lives on the server, so
 * offline this says so instead of showing a stale list.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import { api, type SnapshotInfo } from '../api.ts'

export interface SnapshotList {
  /** Null until the first answer. */
  snapshots: SnapshotInfo[] | null
  error: string | null
  loading: boolean
  reload(): void
}

export function useSnapshots(boardId: string): SnapshotList {
  const [snapshots, setSnapshots] = useState<SnapshotInfo[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)
  // Only the newest request may set the list, however the answers arrive.
  const latest = useRef(0)

  const reload = useCallback(() => {
    const request = ++latest.current
    setLoading(true)
    api.listSnapshots(boardId).then(
      (list) => {
        if (request !== latest.current) return
        setSnapshots(list)
        setError(null)
        setLoading(false)
      },
      (e: Error) => {
        if (request !== latest.current) return
        setError(historyError(e))
        setLoading(false)
      },
    )
  }, [boardId])

  useEffect(reload, [reload])

  return { snapshots, error, loading, reload }
}

/** A failed history request in words a person can act on. */
export function historyError(error: Error): string {
  if (error instanceof TypeError) return 'History needs the server, which cannot be reached right now.'
  return error.message
}
