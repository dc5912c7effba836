/**
 * Branded ids. Parse at the boundary (HTTP params, socket URLs); inside, trust the type.
 */
declare const brand: unique symbol
type Brand<T, B extends string> = T & { readonly [brand]: B }

export type BoardId = Brand<string, 'BoardId'>

/** Board ids are URL-safe so they can sit in paths and file names without escaping. */
export const BOARD_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

export function parseBoardId(value: unknown): BoardId | null {
  return typeof value === 'string' && BOARD_ID_PATTERN.test(value) ? (value as BoardId) : null
}

/** A URL path segment decoded, or null when its percent-encoding is broken (never throws). */
export function decodePathSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment)
  } catch {
    return null
  }
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'

/** 12 characters of [a-z0-9]: ~62 bits, short enough to read aloud, long enough not to collide. */
export function newBoardId(): BoardId {
  const bytes = new Uint8Array(12)
  crypto.getRandomValues(bytes)
  let id = ''
  for (const b of bytes) id += ID_ALPHABET[b % ID_ALPHABET.length]
  return id as BoardId
}

export type FocusId = Brand<string, 'FocusId'>

/** Focus ids follow the board id rules, so they sit in `/f/<id>` paths without escaping. */
export function parseFocusId(value: unknown): FocusId | null {
  return typeof value === 'string' && BOARD_ID_PATTERN.test(value) ? (value as FocusId) : null
}

/** Made like board ids: 12 characters of [a-z0-9]. */
export function newFocusId(): FocusId {
  return newBoardId() as string as FocusId
}

export type SnapshotId = Brand<string, 'SnapshotId'>

/** Snapshot ids follow the board id rules, so they sit in paths and query strings unescaped. */
export function parseSnapshotId(value: unknown): SnapshotId | null {
  return typeof value === 'string' && BOARD_ID_PATTERN.test(value) ? (value as SnapshotId) : null
}

/** Made like board ids: 12 characters of [a-z0-9]. */
export function newSnapshotId(): SnapshotId {
  return newBoardId() as string as SnapshotId
}
