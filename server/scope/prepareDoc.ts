/**
 * Makes a board's doc ready for the server to write tldraw records into it, the way a browser's
 * store binding (client/src/sync/bindStoreToDoc.ts) would on opening it:
 *
 * - a doc nobody has opened yet gets what a tldraw store starts with (the document record and a
 *   page) and the schema in `meta`, so a browser that opens it later loads the records as they are;
 * - a doc saved with an older schema is migrated first, writing back only what changed, so the
 *   records the server adds in the current format never sit under an older schema label (the next
 *   browser would "migrate" them again and could mangle them);
 * - a doc saved by a newer Scopeboard is left alone: the server cannot know what it would break.
 */
import { DocumentRecordType, PageRecordType, TLDOCUMENT_ID, type TLRecord, type TLSchema } from '@tldraw/tlschema'
import type { IndexKey } from '@tldraw/utils'
import type * as Y from 'yjs'
import { META_SCHEMA, metaMap, recordsMap, type StoredRecord } from '../../shared/doc/layout.ts'

/** tldraw's own id for the first page, so a browser that made one offline converges with ours. */
export const FIRST_PAGE_ID = PageRecordType.createId('page')

export type PrepareResult = { ok: true } | { ok: false; reason: 'newer' | 'unreadable'; message: string }

type SchemaSequences = Record<string, number>

function sequencesOf(schema: unknown): SchemaSequences | null {
  if (typeof schema !== 'object' || schema === null) return null
  const s = schema as { schemaVersion?: unknown; sequences?: unknown }
  if (s.schemaVersion === 2 && typeof s.sequences === 'object' && s.sequences !== null) {
    return s.sequences as SchemaSequences
  }
  return null
}

/**
 * True when `theirs` holds a migration sequence `ours` does not know, or a later version of one.
 * The same rule as the client's schemaCompat.ts, which lives in client/ and so is not importable.
 */
export function isNewerSchema(ours: unknown, theirs: unknown): boolean {
  const mine = sequencesOf(ours)
  const other = sequencesOf(theirs)
  if (!mine || !other) return false
  return Object.entries(other).some(([sequence, version]) => mine[sequence] === undefined || version > mine[sequence])
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function toStored(record: TLRecord): StoredRecord {
  return record as unknown as StoredRecord
}

/** Call inside the change that will write records (it may add or rewrite some itself). */
export function prepareDocForWrite(doc: Y.Doc, schema: TLSchema): PrepareResult {
  const records = recordsMap(doc)
  const meta = metaMap(doc)
  const ours = schema.serialize()

  if (records.size === 0) {
    const documentRecord = DocumentRecordType.create({ id: TLDOCUMENT_ID })
    const page = PageRecordType.create({ id: FIRST_PAGE_ID, name: 'Page 1', index: 'a1' as IndexKey })
    records.set(documentRecord.id, toStored(schema.types.document.validate(documentRecord)))
    records.set(page.id, toStored(schema.types.page.validate(page)))
    meta.set(META_SCHEMA, ours)
    return { ok: true }
  }

  const theirs = meta.get(META_SCHEMA)
  if (isNewerSchema(ours, theirs)) {
    return {
      ok: false,
      reason: 'newer',
      message: 'this board was saved by a newer Scopeboard; update the server before adding cards through the API',
    }
  }
  if (!sameJson(theirs, ours)) {
    if (theirs !== undefined) {
      const snapshot = Object.fromEntries(records.entries()) as unknown as Record<string, TLRecord>
      const migrated = schema.migrateStoreSnapshot({ store: snapshot as never, schema: theirs as never })
      if (migrated.type === 'error') {
        return { ok: false, reason: 'unreadable', message: `this board could not be read (${migrated.reason})` }
      }
      const value = migrated.value as Record<string, TLRecord>
      for (const id of [...records.keys()]) if (!value[id]) records.delete(id)
      for (const record of Object.values(value)) {
        if (!sameJson(records.get(record.id), record)) records.set(record.id, toStored(record))
      }
    }
    meta.set(META_SCHEMA, ours)
  }

  if (!records.has(TLDOCUMENT_ID)) {
    records.set(TLDOCUMENT_ID, toStored(DocumentRecordType.create({ id: TLDOCUMENT_ID })))
  }
  const hasPage = [...records.values()].some((r) => r.typeName === 'page')
  if (!hasPage) {
    records.set(
      FIRST_PAGE_ID,
      toStored(PageRecordType.create({ id: FIRST_PAGE_ID, name: 'Page 1', index: 'a1' as IndexKey })),
    )
  }
  return { ok: true }
}
