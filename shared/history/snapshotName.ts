/** A snapshot's name as the server stores it and the history panel takes it. */

/** Longest name a board snapshot may have ("Sprint planning", "After design review"). */
export const MAX_SNAPSHOT_NAME_LENGTH = 100

/** Whitespace runs folded to one space, trimmed; '' when nothing is left. */
export function foldSnapshotName(value: string): string {
  return value.replace(/\s+/g, ' ').trim()
}
