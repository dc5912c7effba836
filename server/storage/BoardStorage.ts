/**
 * What the server needs from a storage engine. SQLite (embedded, the default) implements it; the
 * interface is asynchronous so a networked engine such as PostgreSQL can sit behind it too.
 *
 * A board's document is stored as a log of Yjs updates. Yjs updates commute, so the log's order
 * does not matter when it is replayed; compaction swaps a prefix of the log for one state update.
 */
import type { Role } from '../../shared/auth/roles.ts'
import type { BoardId } from '../../shared/ids.ts'
import type { LinkId } from '../auth/links.ts'

export interface BoardMeta {
  id: BoardId
  title: string
  createdAt: string
  updatedAt: string
  focusId: string | null
}

/** A share link. Its token is never stored: only the SHA-256 of the token's secret. */
export interface LinkRecord {
  id: LinkId
  boardId: BoardId
  role: Role
  tokenHash: Uint8Array
  createdAt: string
  revokedAt: string | null
}

export interface BoardStorage {
  createBoard(id: BoardId, title: string, initialUpdate: Uint8Array): Promise<BoardMeta>
  getBoard(id: BoardId): Promise<BoardMeta | null>
  /** Newest activity first. */
  listBoards(): Promise<BoardMeta[]>
  /** Mirrors a title change that happened inside the document. */
  setTitle(id: BoardId, title: string): Promise<void>
  touchBoard(id: BoardId, at: Date): Promise<void>

  /** The whole log; `lastSeq` is what a later compaction may replace up to. */
  loadUpdates(id: BoardId): Promise<{ updates: Uint8Array[]; lastSeq: number }>
  /** Durable when the promise resolves. Returns the update's sequence number. */
  appendUpdate(id: BoardId, update: Uint8Array): Promise<number>
  /** Atomically replaces every update with seq ≤ throughSeq by `state`. */
  compact(id: BoardId, state: Uint8Array, throughSeq: number): Promise<void>
  /** Number of rows in the board's log and their total size, for compaction and benchmarks. */
  logStats(id: BoardId): Promise<{ count: number; bytes: number }>

  createLink(link: { id: LinkId; boardId: BoardId; role: Role; tokenHash: Uint8Array }): Promise<LinkRecord>
  /** A link by id, revoked or not. */
  getLink(id: LinkId): Promise<LinkRecord | null>
  /** The board's links that are not revoked, oldest first. */
  listLinks(boardId: BoardId): Promise<LinkRecord[]>
  /** Revokes one of the board's active links; false when it has no such active link. */
  revokeLink(boardId: BoardId, id: LinkId, at: Date): Promise<boolean>

  /** Throws unless the storage can be read and written. */
  check(): Promise<void>
  close(): Promise<void>
}
