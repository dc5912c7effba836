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

function snapshotInAddress(): string | null {
  return new URLSearchParams(window.location.search).get(PARAM)
}

/**
 * Puts the snapshot in the address: a new history entry when coming from the live board (so the
 * browser's Back returns to it), the same entry when switching snapshots or leaving one.
 */
function setSnapshotInAddress(id: string | null) {
  const url = new URL(window.location.href)
  if (id === null) url.searchParams.delete(PARAM)
  else url.searchParams.set(PARAM, id)
  if (url.href === window.location.href) return
  if (id !== null && snapshotInAddress() === null) window.history.pushState(window.history.state, '', url)
  else window.history.replaceState(window.history.state, '', url)
}

/**
 * Leaves the snapshot in the address, in place (never an asynchronous Back that a quick next
 * click could cross): the entry the view pushed now shows the live board too.
 */
function leaveSnapshotInAddress() {
  if (snapshotInAddress() !== null) setSnapshotInAddress(null)
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
  // Every loaded view with what frees its doc, binding and store.
  const loadedViews = useRef(new Map<SnapshotView, () => void>())
  const wanted = useRef<string | null>(snapshotInAddress())

  const show = useCallback(
    (info: SnapshotInfo) => {
      const attempt = {}
      current.current = attempt
      setMissing(null)
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
          loadedViews.current.set(loaded, () => {
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

  const hide = useCallback(() => {
    current.current = null
    setView(null)
  }, [])

  const open = useCallback(
    (info: SnapshotInfo) => {
      setSnapshotInAddress(info.id)
      show(info)
    },
    [show],
  )

  const close = useCallback(() => {
    leaveSnapshotInAddress()
    hide()
  }, [hide])

  // The browser's Back and Forward move between the live board and the snapshots viewed.
  const snapshotsRef = useRef(snapshots)
  snapshotsRef.current = snapshots
  const shownId = useRef<string | null>(null)
  shownId.current = view?.info.id ?? null
  useEffect(() => {
    const onPopState = () => {
      const id = snapshotInAddress()
      if (id === null) return hide()
      // A hash change (a card link) fires this too: the snapshot on screen stays as it is.
      if (id === shownId.current) return
      if (snapshotsRef.current === null) {
        // The list is not here yet: open it once it is, as on a page load.
        wanted.current = id
        return hide()
      }
      const info = snapshotsRef.current.find((s) => s.id === id)
      if (info) show(info)
      else {
        hide()
        setMissing(id)
      }
    }
    window.addEventListener('popstate', onPopState)
    return () => window.removeEventListener('popstate', onPopState)
  }, [show, hide])

  // A loaded view is freed once another is on screen (or none), never while tldraw may still read
  // its store; one loaded and replaced before it was ever shown is freed too.
  useEffect(() => {
    for (const [loaded, dispose] of loadedViews.current) {
      if (loaded === view) continue
      dispose()
      loadedViews.current.delete(loaded)
    }
  }, [view])

  // The snapshot the address names, once the list says what it is.
  useEffect(() => {
    const id = wanted.current
    if (id === null || snapshots === null) return
    wanted.current = null
    const info = snapshots.find((s) => s.id === id)
    if (info) show(info)
    else {
      setSnapshotInAddress(null)
      setMissing(id)
    }
  }, [snapshots, show])

  useEffect(() => {
    const views = loadedViews.current
    return () => {
      current.current = null
      for (const dispose of views.values()) dispose()
      views.clear()
    }
  }, [])

  const dismissMissing = useCallback(() => setMissing(null), [])
  return { view, open, close, missing, dismissMissing }
}
