/**
 * How a board is laid out inside its Y.Doc. Client, server and tests all go through here, so the
 * layout is written down once.
 *
 *   doc.getMap('records')  record id → tldraw record (plain JSON), document-scope records only
 *                          (shapes, bindings, pages, assets, the document record). Session state
 *                          such as the camera or selection never enters the doc.
 *   doc.getMap('meta')     'schema' → the tldraw store schema the records were written with
 *                          (`store.schema.serialize()`), so a newer client can migrate them and an
 *                          older one can refuse to touch them;
 *                          'title' → the board title, so renaming syncs live and offline like
 *                          any other edit. The server mirrors it into its board list.
 *                          'restored' → the last restore of a snapshot (RestoreNote), written by
 *                          the server with the restore itself, so everyone on the board learns of
 *                          it live, offline clients when they sync.
 *   doc.getMap('comments') thread id → Y.Map thread (see shared/comments/model.ts). Comments sit
 *                          apart from the canvas records so the server can let a `comment`
 *                          connection change this tree and nothing else.
 */
import * as Y from 'yjs'

export const RECORDS_KEY = 'records'
export const META_KEY = 'meta'
export const META_SCHEMA = 'schema'
export const META_TITLE = 'title'
export const META_RESTORED = 'restored'

/** What `meta.restored` holds: which snapshot the board was last restored to, and its backup. */
export interface RestoreNote {
  snapshotId: string
  name: string
  /** When the restored snapshot was taken. */
  createdAt: string
  /** The snapshot of the board as it was just before the restore. */
  backupId: string
  /** When the restore happened. */
  at: string
}

/** The last restore as the doc says, or null (none yet, or not readable). */
export function readRestoreNote(doc: Y.Doc): RestoreNote | null {
  const value = metaMap(doc).get(META_RESTORED) as Partial<RestoreNote> | undefined
  if (!value || typeof value !== 'object') return null
  const { snapshotId, name, createdAt, backupId, at } = value
  if ([snapshotId, name, createdAt, backupId, at].every((v) => typeof v === 'string')) return value as RestoreNote
  return null
}
export const COMMENTS_KEY = 'comments'

/** A JSON-compatible value as stored in the doc. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }
export type StoredRecord = { id: string; typeName: string } & { [key: string]: JsonValue }

export function recordsMap(doc: Y.Doc): Y.Map<StoredRecord> {
  return doc.getMap<StoredRecord>(RECORDS_KEY)
}

export function metaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(META_KEY)
}

export function readTitle(doc: Y.Doc): string | null {
  const title = metaMap(doc).get(META_TITLE)
  return typeof title === 'string' ? title : null
}

export const MAX_TITLE_LENGTH = 200

/** Trims and bounds a title; returns null when nothing usable is left. */
export function normalizeTitle(value: unknown): string | null {
  if (typeof value !== 'string') return null
  const title = value.replace(/\s+/g, ' ').trim()
  if (!title || title.length > MAX_TITLE_LENGTH) return null
  return title
}
