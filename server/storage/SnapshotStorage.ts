/**
 * What the server needs to keep a board's history: named snapshots, each the board's whole
 * document as one encoded state (`Y.encodeStateAsUpdate`), so reading one never depends on the
 * update log or on Yjs keeping deleted content around (garbage collection stays on). Kept apart
 * from BoardStorage like focuses; the SQLite implementation shares the boards' database.
 */
import type { BoardId, SnapshotId } from '../../shared/ids.ts'

/**
 *   named           taken by someone, with the name they gave it
 *   auto            taken by the server when a board went idle after changes
 *   before-restore  taken by the server just before a restore, so a restore can be undone
 */
export const SNAPSHOT_KINDS = ['named', 'auto', 'before-restore'] as const
export type SnapshotKind = (typeof SNAPSHOT_KINDS)[number]

export interface SnapshotMeta {
  id: SnapshotId
  boardId: BoardId
  name: string
  kind: SnapshotKind
  createdAt: string
}

export interface Snapshot extends SnapshotMeta {
  /** The document as one update: apply it to an empty Y.Doc to read the board as it was. */
  state: Uint8Array
}

export interface SnapshotStorage {
  createSnapshot(snapshot: Omit<Snapshot, 'createdAt'>): Promise<SnapshotMeta>
  /** The board's snapshots, newest first, without their states. */
  listSnapshots(boardId: BoardId): Promise<SnapshotMeta[]>
  /** Null when the board has no snapshot with this id (one of another board included). */
  getSnapshot(boardId: BoardId, id: SnapshotId): Promise<Snapshot | null>
  /** The board's newest snapshot of this kind, without its state; null when it has none. */
  latestSnapshot(boardId: BoardId, kind: SnapshotKind): Promise<SnapshotMeta | null>
  /** Deletes these snapshots of the board (ids of other boards are ignored); returns how many went. */
  deleteSnapshots(boardId: BoardId, ids: SnapshotId[]): Promise<number>
  /** Closes what this storage opened itself; a storage sharing another's connection leaves it open. */
  close(): Promise<void>
}
