/**
 * "Changes since…": the snapshot the outline compares the board with, remembered per board in this
 * browser, and that snapshot's scope. The scope is read from the snapshot's document the way the
 * server reads it (shared/scope/docScope.ts); the diff itself is made against the live scope on
 * every recomputation, so it follows the board as people edit.
 */
import { useCallback, useEffect, useState } from 'react'
import { boardScope } from '../../../shared/scope/docScope.ts'
import type { Scope } from '../../../shared/scope/types.ts'
import type { SnapshotInfo } from '../api.ts'
import { loadSnapshotDoc } from './snapshotDoc.ts'
import { historyError } from './useSnapshots.ts'

export interface ChangesSince {
  /** The snapshot compared with, once the list names it. */
  snapshot: SnapshotInfo | null
  /** Its scope; null while it loads or when it could not be read. */
  scope: Scope | null
  loading: boolean
  error: string | null
  select(snapshotId: string | null): void
}

const storageKey = (boardId: string) => `scopeboard:changes-since:${boardId}`

function remembered(boardId: string): string | null {
  try {
    return localStorage.getItem(storageKey(boardId))
  } catch {
    return null
  }
}

function remember(boardId: string, snapshotId: string | null) {
  try {
    if (snapshotId === null) localStorage.removeItem(storageKey(boardId))
    else localStorage.setItem(storageKey(boardId), snapshotId)
  } catch {
    // Then the choice lasts for this page only.
  }
}

export function useChangesSince(boardId: string, snapshots: SnapshotInfo[] | null): ChangesSince {
  const [selectedId, setSelectedId] = useState<string | null>(() => remembered(boardId))
  const [loaded, setLoaded] = useState<{ id: string; scope: Scope } | null>(null)
  const [error, setError] = useState<{ id: string; message: string } | null>(null)

  const select = useCallback(
    (snapshotId: string | null) => {
      remember(boardId, snapshotId)
      setSelectedId(snapshotId)
    },
    [boardId],
  )

  const snapshot = (selectedId !== null && snapshots?.find((s) => s.id === selectedId)) || null

  // A remembered snapshot the board no longer lists is forgotten.
  useEffect(() => {
    if (selectedId !== null && snapshots !== null && !snapshot) select(null)
  }, [selectedId, snapshots, snapshot, select])

  useEffect(() => {
    if (!snapshot || loaded?.id === snapshot.id) return
    let live = true
    loadSnapshotDoc(boardId, snapshot).then(
      (doc) => {
        try {
          // Only the cards are compared: the title and focus given here do not enter the diff.
          if (live) setLoaded({ id: snapshot.id, scope: boardScope(doc, { id: boardId, title: '' }, null) })
        } finally {
          doc.destroy()
        }
      },
      (e: Error) => live && setError({ id: snapshot.id, message: historyError(e) }),
    )
    return () => {
      live = false
    }
  }, [boardId, snapshot, loaded])

  const scope = snapshot && loaded?.id === snapshot.id ? loaded.scope : null
  const failed = snapshot && error?.id === snapshot.id ? error.message : null
  return { snapshot, scope, loading: snapshot !== null && scope === null && failed === null, error: failed, select }
}
