/**
 * Deciding whether this client may touch a board, from the tldraw schema saved in its document.
 * Older boards are migrated; a board written by a newer Scopeboard (a migration sequence we are
 * behind on, or one we do not know) is refused rather than half-understood and overwritten.
 */
import type { SerializedSchema } from '@tldraw/store'

export const NEWER_SCHEMA_MESSAGE =
  'This board was saved by a newer Scopeboard. Reload the page to get the new version; nothing was changed.'

type SchemaV2 = { schemaVersion: 2; sequences: Record<string, number> }

function sequencesOf(schema: unknown): Record<string, number> | null {
  if (typeof schema !== 'object' || schema === null) return null
  const s = schema as Partial<SchemaV2>
  if (s.schemaVersion === 2 && s.sequences && typeof s.sequences === 'object') return s.sequences
  return null
}

/** True when `theirs` holds anything `ours` does not know yet. */
export function isNewerSchema(ours: SerializedSchema, theirs: unknown): boolean {
  const mine = sequencesOf(ours)
  const other = sequencesOf(theirs)
  // A schema version 1 document predates version 2 and is migrated, never newer.
  if (!mine || !other) return false
  for (const [sequence, version] of Object.entries(other)) {
    const known = mine[sequence]
    if (known === undefined || version > known) return true
  }
  return false
}
