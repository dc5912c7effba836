/**
 * "Changes since…": the snapshot the outline compares the board with, remembered per board in this
 * browser, and that snapshot's scope. The snapshot's document is loaded into a read-only tldraw
 * store through the same binding as the live board (client/src/sync/bindStoreToDoc.ts: migrated and
 * validated), and its scope is extracted from the store's records as the live scope is, so the two
 * sides of the diff are read alike. The diff itself is made on every recomputation of the scope the outline shows.
 */
import { atom } from '@tldraw/state'
import { useCallback, useEffect, useState } from 'react'
import { readThreads } from '../../../shared/comments/model.ts'
import { extractScope } from '../../../shared/scope/index.ts'
import type { Scope } from '../../../shared/scope/types.ts'
import type { SnapshotInfo } from '../api.ts'
import { bindStoreToDoc } from '../sync/bindStoreToDoc.ts'
import { loadSnapshotDoc } from './snapshotDoc.ts'
import { historyError } from './useSnapshots.ts'
import type { CreateStore } from './useSnapshotView.ts'

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

/** The snapshot's scope, read through a store as the live board's is; the title does not enter the diff. */
async function snapshotScope(boardId: string, snapshot: SnapshotInfo, createStore: CreateStore): Promise<Scope> {
  const doc = await loadSnapshotDoc(boardId, snapshot)
  const store = createStore({ status: atom('compare status', 'offline'), mode: atom('compare mode', 'readonly') })
  let refused: string | null = null
  const binding = bindStoreToDoc(store, doc, { readOnly: true, onRefused: (message) => (refused = message) })
  try {
    if (refused) throw new Error(refused)
    return extractScope({
      records: store.allRecords(),
      board: { id: boardId, title: '' },
      focus: null,
      threads: readThreads(doc),
    })
  } finally {
    binding.dispose()
    store.dispose()
    doc.destroy()
  }
}

/** `enabled`: whether anyone is looking (the outline is open); nothing is fetched until then. */
export function useChangesSince(
  boardId: string,
  snapshots: SnapshotInfo[] | null,
  createStore: CreateStore,
  enabled: boolean,
): ChangesSince {
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
    if (!enabled || !snapshot || loaded?.id === snapshot.id) return
    let live = true
    snapshotScope(boardId, snapshot, createStore).then(
      (scope) => {
        if (!live) return
        setLoaded({ id: snapshot.id, scope })
        setError(null)
      },
      (e: Error) => live && setError({ id: snapshot.id, message: historyError(e) }),
    )
    return () => {
      live = false
    }
  }, [boardId, snapshot, loaded, createStore, enabled])

  const scope = snapshot && loaded?.id === snapshot.id ? loaded.scope : null
  const failed = snapshot && error?.id === snapshot.id ? error.message : null
  return { snapshot, scope, loading: snapshot !== null && scope === null && failed === null, error: failed, select }
}
