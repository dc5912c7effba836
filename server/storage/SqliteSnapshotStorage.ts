/**
 * Board snapshots in the boards' SQLite database. Normally it shares SqliteStorage's connection
 * (`SqliteStorage.snapshots()`); `open()` gives it a connection of its own for a server whose
 * board storage is something else wrapping the same data directory (the tests' instrumented
 * storage).
 */
import type Database from 'better-sqlite3'
import { openSqliteFile } from './sqliteFile.ts'
import type { BoardId, SnapshotId } from '../../shared/ids.ts'
import type { Snapshot, SnapshotKind, SnapshotMeta, SnapshotStorage } from './SnapshotStorage.ts'

const SCHEMA = `
CREATE TABLE IF NOT EXISTS snapshots (
  id TEXT PRIMARY KEY,
  board_id TEXT NOT NULL REFERENCES boards(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  created_at TEXT NOT NULL,
  state BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS snapshots_by_board ON snapshots(board_id, created_at);
`

interface SnapshotRow {
  id: string
  board_id: string
  name: string
  kind: string
  created_at: string
}

function toMeta(row: SnapshotRow): SnapshotMeta {
  return {
    id: row.id as SnapshotId,
    boardId: row.board_id as BoardId,
    name: row.name,
    // Written only through createSnapshot, which takes a SnapshotKind.
    kind: row.kind as SnapshotKind,
    createdAt: row.created_at,
  }
}

export class SqliteSnapshotStorage implements SnapshotStorage {
  private readonly stmts

  /** `db` must be a database SqliteStorage has set up (the boards table exists). */
  constructor(
    private readonly db: Database.Database,
    private readonly ownsDb = false,
  ) {
    db.exec(SCHEMA)
    this.stmts = {
      insert: db.prepare(
        'INSERT INTO snapshots (id, board_id, name, kind, created_at, state) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      // rowid breaks ties between snapshots taken in the same millisecond (a restore's backup).
      list: db.prepare<[string], SnapshotRow>(
        'SELECT id, board_id, name, kind, created_at FROM snapshots WHERE board_id = ? ORDER BY created_at DESC, rowid DESC',
      ),
      latest: db.prepare<[string, string], SnapshotRow>(
        'SELECT id, board_id, name, kind, created_at FROM snapshots WHERE board_id = ? AND kind = ? ORDER BY created_at DESC, rowid DESC LIMIT 1',
      ),
      delete: db.prepare<[string, string]>('DELETE FROM snapshots WHERE board_id = ? AND id = ?'),
      get: db.prepare<[string, string], SnapshotRow & { state: Buffer }>(
        'SELECT * FROM snapshots WHERE board_id = ? AND id = ?',
      ),
    }
  }

  /** A connection of its own on a data directory's database file; `close()` closes it. */
  static open(file: string): SqliteSnapshotStorage {
    return new SqliteSnapshotStorage(openSqliteFile(file), true)
  }

  async createSnapshot(snapshot: Omit<Snapshot, 'createdAt'>): Promise<SnapshotMeta> {
    const createdAt = new Date().toISOString()
    const { id, boardId, name, kind, state } = snapshot
    this.stmts.insert.run(
      id,
      boardId,
      name,
      kind,
      createdAt,
      Buffer.from(state.buffer, state.byteOffset, state.byteLength),
    )
    return { id, boardId, name, kind, createdAt }
  }

  async listSnapshots(boardId: BoardId): Promise<SnapshotMeta[]> {
    return this.stmts.list.all(boardId).map(toMeta)
  }

  async getSnapshot(boardId: BoardId, id: SnapshotId): Promise<Snapshot | null> {
    const row = this.stmts.get.get(boardId, id)
    if (!row) return null
    const { state } = row
    return { ...toMeta(row), state: new Uint8Array(state.buffer, state.byteOffset, state.byteLength) }
  }

  async latestSnapshot(boardId: BoardId, kind: SnapshotKind): Promise<SnapshotMeta | null> {
    const row = this.stmts.latest.get(boardId, kind)
    return row ? toMeta(row) : null
  }

  async deleteSnapshots(boardId: BoardId, ids: SnapshotId[]): Promise<number> {
    const remove = this.db.transaction((list: SnapshotId[]) =>
      list.reduce((n, id) => n + this.stmts.delete.run(boardId, id).changes, 0),
    )
    return remove(ids)
  }

  async close(): Promise<void> {
    if (this.ownsDb && this.db.open) this.db.close()
  }
}
