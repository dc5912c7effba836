/**
 * Restoring a snapshot as a new change on top of the board: the live document's `records` map is
 * made equal to the snapshot's by setting what differs or is missing and deleting what the
 * snapshot did not have. Nothing is rewound, so every edit since the snapshot stays in the
 * history, a later snapshot can still be restored, and connected clients receive the restore as
 * one ordinary update. Comments and the board title are left as they are: feedback written since
 * the snapshot is not thrown away by a restore of the canvas.
 */
import * as Y from 'yjs'
import { recordsMap, type JsonValue } from '../../shared/doc/layout.ts'

/** A document to read a stored state with (a snapshot's), never attached to a room. */
export function docFromState(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  return doc
}

function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    return a.every((item, i) => sameJson(item, b[i]))
  }
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  return keys.every((key) => Object.hasOwn(b, key) && sameJson(a[key], b[key]))
}

/**
 * Writes into `target` (a draft of the live doc) what makes its records equal to `source`'s, in
 * one transaction; returns how many records it set and deleted.
 */
export function restoreRecords(target: Y.Doc, source: Y.Doc): { set: number; deleted: number } {
  const live = recordsMap(target)
  const wanted = recordsMap(source)
  let set = 0
  let deleted = 0
  target.transact(() => {
    for (const key of [...live.keys()]) {
      if (wanted.has(key)) continue
      live.delete(key)
      deleted++
    }
    for (const [key, stored] of wanted) {
      // Clients write plain JSON; a shared type would belong to the snapshot's doc, so copy it out.
      const value =
        (stored as unknown) instanceof Y.AbstractType ? (stored as unknown as Y.AbstractType<unknown>).toJSON() : stored
      if (sameJson(live.get(key), value)) continue
      live.set(key, value)
      set++
    }
  })
  return { set, deleted }
}
