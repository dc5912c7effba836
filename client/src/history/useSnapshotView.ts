/**
 * Looking at a snapshot: its document is fetched into a doc of its own and bound read-only to a
 * tldraw store of its own, which the board page shows instead of the live canvas while the live
 * session carries on underneath. The snapshot's id sits in the address (`?snapshot=<id>`), so a
 * reload or a shared address opens the same version.
 */
import { atom, type Signal } from '@tldraw/state'
import { useCallback, useEffect, useRef, useState } from 'react'
import type { TLStore } from 'tldraw'
import { readThreads, type CommentThread } from '../../../shared/comments/model.ts'
import { readTitle } from '../../../shared/doc/layout.ts'
import type { SnapshotInfo } from '../api.ts'
import { bindStoreToDoc } from '../sync/bindStoreToDoc.ts'
import { loadSnapshotDoc } from './snapshotDoc.ts'
import { historyError } from './useSnapshots.ts'

export type CreateStore = (collaboration: {
  status: Signal<'online' | 'offline'>
  mode: Signal<'readonly' | 'readwrite'>
}) => TLStore

export interface SnapshotView {
  info: SnapshotInfo
  /** Null while the document loads, or when it could not be shown (see `error`). */
  store: TLStore | null
  title: string | null
  threads: CommentThread[]
  error: string | null
}

const PARAM = 'snapshot'

/** What frees a loaded view's doc, binding and store. */
const disposers = new WeakMap<SnapshotView, () => void>()

function snapshotInAddress(): string | null {
  return new URLSearchParams(window.location.search).get(PARAM)
}

function setSnapshotInAddress(id: string | null) {
  const url = new URL(window.location.href)
  if (id === null) url.searchParams.delete(PARAM)
  else url.searchParams.set(PARAM, id)
  if (url.href !== window.location.href) window.history.replaceState(window.history.state, '', url)
}

export function useSnapshotView(
  boardId: string,
  snapshots: SnapshotInfo[] | null,
  createStore: CreateStore,
): {
  view: SnapshotView | null
  open(info: SnapshotInfo): void
  close(): void
  /** A snapshot named in the address that this board does not have. */
  missing: string | null
  dismissMissing(): void
} {
  const [view, setView] = useState<SnapshotView | null>(null)
  const [missing, setMissing] = useState<string | null>(null)
  const current = useRef<object | null>(null)
  const wanted = useRef<string | null>(snapshotInAddress())

  const open = useCallback(
    (info: SnapshotInfo) => {
      const attempt = {}
      current.current = attempt
      setMissing(null)
      setSnapshotInAddress(info.id)
      setView({ info, store: null, title: null, threads: [], error: null })
      loadSnapshotDoc(boardId, info).then(
        (doc) => {
          if (current.current !== attempt) return doc.destroy()
          const store = createStore({
            status: atom('snapshot status', 'offline'),
            mode: atom('snapshot mode', 'readonly'),
          })
          let refused: string | null = null
          const binding = bindStoreToDoc(store, doc, { readOnly: true, onRefused: (message) => (refused = message) })
          const loaded: SnapshotView = {
            info,
            store: refused ? null : store,
            title: readTitle(doc),
            threads: readThreads(doc),
            error: refused,
          }
          disposers.set(loaded, () => {
            binding.dispose()
            store.dispose()
            doc.destroy()
          })
          setView(loaded)
        },
        (error: Error) => {
          if (current.current !== attempt) return
          setView({ info, store: null, title: null, threads: [], error: historyError(error) })
        },
      )
    },
    [boardId, createStore],
  )

  const close = useCallback(() => {
    current.current = null
    setSnapshotInAddress(null)
    setView(null)
  }, [])

  // A view's store is freed once the canvas showing it has gone (the next view is on screen, or
  // the page left), never while tldraw may still read it.
  useEffect(
    () => () => {
      if (view) disposers.get(view)?.()
    },
    [view],
  )

  // The snapshot the address names, once the list says what it is.
  useEffect(() => {
    const id = wanted.current
    if (id === null || snapshots === null) return
    wanted.current = null
    const info = snapshots.find((s) => s.id === id)
    if (info) open(info)
    else {
      setSnapshotInAddress(null)
      setMissing(id)
    }
  }, [snapshots, open])

  useEffect(
    () => () => {
      current.current = null
    },
    [],
  )

  const dismissMissing = useCallback(() => setMissing(null), [])
  return { view, open, close, missing, dismissMissing }
}
