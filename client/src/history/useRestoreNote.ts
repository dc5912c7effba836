/**
 * Someone restored this board to a snapshot: the server writes a note of it into the document's
 * `meta` with the restore itself (shared/doc/layout.ts, RestoreNote). Once this page holds the
 * board, every newer note — a restore made live by anyone, or one made while this browser was
 * away and brought in by the sync — is returned until dismissed, so nobody finds the canvas changed
 * under them without a word.
 */
import { useCallback, useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { META_RESTORED, metaMap, readRestoreNote, type RestoreNote } from '../../../shared/doc/layout.ts'

/** `loaded`: the page holds the board (its local copy at least); notes older than that are old news. */
export function useRestoreNote(
  doc: Y.Doc | null,
  loaded: boolean,
  onNote: (note: RestoreNote) => void,
): { note: RestoreNote | null; dismiss(): void } {
  const [note, setNote] = useState<RestoreNote | null>(null)

  useEffect(() => {
    if (!doc || !loaded) return
    const meta = metaMap(doc)
    let seen = readRestoreNote(doc)?.at ?? null
    const onChange = (event: Y.YMapEvent<unknown>) => {
      if (!event.keysChanged.has(META_RESTORED)) return
      const next = readRestoreNote(doc)
      if (!next || next.at === seen) return
      seen = next.at
      setNote(next)
      onNote(next)
    }
    meta.observe(onChange)
    return () => meta.unobserve(onChange)
  }, [doc, loaded, onNote])

  const dismiss = useCallback(() => setNote(null), [])
  return { note, dismiss }
}
