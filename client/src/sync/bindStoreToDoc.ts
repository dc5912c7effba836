/**
 * Binds a tldraw store to a board's Y.Doc in both directions. The doc is the source of truth; the
 * store is a view of it.
 *
 * - store → doc: every user change to document-scope records becomes one Yjs transaction per
 *   store batch, tagged with BINDING_ORIGIN.
 * - doc → store: changes from anyone else (the server, IndexedDB) are applied inside
 *   `store.mergeRemoteChanges`, so they are tagged 'remote' and never come back to the doc.
 *
 * Only imports @tldraw/store and @tldraw/tlschema so it runs (and is tested) in Node.
 */
import type { TLRecord, TLStore } from '@tldraw/tlschema'
import * as Y from 'yjs'
import { META_SCHEMA, metaMap, recordsMap, type StoredRecord } from '../../../shared/doc/layout.ts'
import { isNewerSchema, NEWER_SCHEMA_MESSAGE } from './schemaCompat.ts'

/** The typed origin of every transaction this binding makes; it skips its own changes. */
export const BINDING_ORIGIN = { source: 'tldraw-store-binding' } as const

export type BindingStatus = { kind: 'bound' } | { kind: 'refused'; message: string } | { kind: 'disposed' }

export interface StoreDocBinding {
  readonly status: BindingStatus
  dispose(): void
}

export interface BindOptions {
  /** Called when the binding stops because the board needs a newer client. */
  onRefused?(message: string): void
  /** Called for each remote record the store would not accept (invalid or unknown). */
  onInvalidRecord?(id: string, error: unknown): void
  /**
   * For people who may not edit the canvas (comment and view links): the doc only flows into the
   * store, never back. The server would drop such writes anyway, and a dropped update would leave
   * a gap in this client's Yjs clock that makes the server refuse its later comments too.
   */
  readOnly?: boolean
}

function toStored(record: TLRecord): StoredRecord {
  return record as unknown as StoredRecord
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

export function bindStoreToDoc(store: TLStore, doc: Y.Doc, options: BindOptions = {}): StoreDocBinding {
  const records = recordsMap(doc)
  const meta = metaMap(doc)
  const ourSchema = store.schema.serialize()
  let status: BindingStatus = { kind: 'bound' }
  const unsubscribes: Array<() => void> = []

  const refuse = (message: string) => {
    dispose()
    status = { kind: 'refused', message }
    options.onRefused?.(message)
  }

  /** Puts remote records, one by one when the batch is refused, so one bad record spoils nothing else. */
  const putRemote = (toPut: TLRecord[], toRemove: TLRecord['id'][]) => {
    store.mergeRemoteChanges(() => {
      const present = toRemove.filter((id) => store.has(id))
      if (present.length) store.remove(present)
      if (!toPut.length) return
      try {
        store.put(toPut)
      } catch {
        for (const record of toPut) {
          try {
            store.put([record])
          } catch (error) {
            options.onInvalidRecord?.(record.id, error)
          }
        }
      }
    })
  }

  // 1. Fill the store from the doc, or the doc from the store when the board is brand new.
  if (records.size > 0) {
    const theirSchema = meta.get(META_SCHEMA)
    if (isNewerSchema(ourSchema, theirSchema)) {
      status = { kind: 'refused', message: NEWER_SCHEMA_MESSAGE }
      options.onRefused?.(NEWER_SCHEMA_MESSAGE)
      return {
        get status() {
          return status
        },
        dispose() {},
      }
    }
    const snapshot = Object.fromEntries([...records.entries()]) as unknown as Record<string, TLRecord>
    const migrated = theirSchema
      ? store.schema.migrateStoreSnapshot({ store: snapshot as never, schema: theirSchema as never })
      : ({ type: 'success', value: snapshot } as const)
    if (migrated.type === 'error') {
      const message = `This board could not be read (${migrated.reason}). Nothing was changed.`
      status = { kind: 'refused', message }
      options.onRefused?.(message)
      return {
        get status() {
          return status
        },
        dispose() {},
      }
    }
    const value = migrated.value as Record<string, TLRecord>
    // Write back only what a migration changed, so opening a board does not rewrite it.
    if (!options.readOnly && !sameJson(theirSchema, ourSchema)) {
      doc.transact(() => {
        for (const id of records.keys()) {
          if (!value[id]) records.delete(id)
        }
        for (const record of Object.values(value)) {
          if (!sameJson(records.get(record.id), record)) records.set(record.id, toStored(record))
        }
        meta.set(META_SCHEMA, ourSchema)
      }, BINDING_ORIGIN)
    }
    const stale = store
      .allRecords()
      .filter((r) => store.scopedTypes.document.has(r.typeName) && !value[r.id])
      .map((r) => r.id)
    putRemote(Object.values(value), stale)
  } else if (!options.readOnly) {
    doc.transact(() => {
      for (const record of store.allRecords()) {
        if (store.scopedTypes.document.has(record.typeName)) records.set(record.id, toStored(record))
      }
      meta.set(META_SCHEMA, ourSchema)
    }, BINDING_ORIGIN)
  }

  // 2. store → doc
  if (!options.readOnly)
    unsubscribes.push(
      store.listen(
        function syncStoreToDoc({ changes }) {
          doc.transact(() => {
            for (const record of Object.values(changes.added)) records.set(record.id, toStored(record))
            for (const [, record] of Object.values(changes.updated)) records.set(record.id, toStored(record))
            for (const record of Object.values(changes.removed)) records.delete(record.id)
          }, BINDING_ORIGIN)
        },
        { source: 'user', scope: 'document' },
      ),
    )

  // 3. doc → store
  const onRecordsChange = (event: Y.YMapEvent<StoredRecord>, transaction: Y.Transaction) => {
    if (transaction.origin === BINDING_ORIGIN) return
    const toPut: TLRecord[] = []
    const toRemove: TLRecord['id'][] = []
    event.changes.keys.forEach((change, id) => {
      if (change.action === 'delete') {
        toRemove.push(id as TLRecord['id'])
      } else {
        const record = records.get(id)
        if (record) toPut.push(record as unknown as TLRecord)
      }
    })
    putRemote(toPut, toRemove)
  }
  records.observe(onRecordsChange)
  unsubscribes.push(() => records.unobserve(onRecordsChange))

  // A newer client may raise the board's schema while we are on it: stop before misreading it.
  const onMetaChange = (event: Y.YMapEvent<unknown>) => {
    if (event.keysChanged.has(META_SCHEMA) && isNewerSchema(ourSchema, meta.get(META_SCHEMA))) {
      refuse(NEWER_SCHEMA_MESSAGE)
    }
  }
  meta.observe(onMetaChange)
  unsubscribes.push(() => meta.unobserve(onMetaChange))

  function dispose() {
    for (const unsubscribe of unsubscribes.splice(0)) unsubscribe()
    if (status.kind === 'bound') status = { kind: 'disposed' }
  }

  return {
    get status() {
      return status
    },
    dispose,
  }
}
