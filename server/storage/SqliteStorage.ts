import path from 'node:path'
import type Database from 'better-sqlite3'
import { openSqliteFile } from './sqliteFile.ts'
import type { Role } from '../../shared/auth/roles.ts'
import type { BoardId } from '../../shared/ids.ts'
import type { LinkId } from '../auth/links.ts'
import type { BoardMeta, BoardStorage, LinkRecord } from './BoardStorage.ts'
import type { FocusStorage } from './FocusStorage.ts'
import { SqliteFocusStorage } from './SqliteFocusStorage.ts'
import type { SnapshotStorage } from './SnapshotStorage.ts'
import { SqliteSnapshotStorage } from './SqliteSnapshotStorage.ts'

export const SQLITE_FILE = 'scopeboard.sqlite'

const SCHEMA = `
CREATE TABLE IF NOT EXISTS boards (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  focus_id TEXT
);
CREATE TABLE IF NOT EXISTS board_updates (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  board_id TEXT NOT NULL REFERENCES boards(id),
  data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS board_updates_by_board ON board_updates(board_id, seq);
CREATE TABLE IF NOT EXISTS health (id INTEGER PRIMARY KEY, checked_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS links (
  id TEXT PRIMARY KEY,
  board_id TEXT NOT NULL REFERENCES boards(id),
  role TEXT NOT NULL,
  token_hash BLOB NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX IF NOT EXISTS links_by_board ON links(board_id, created_at);
`

interface BoardRow {
  id: string
  title: string
  created_at: string
  updated_at: string
  focus_id: string | null
}

interface LinkRow {
  id: string
  board_id: string
  role: string
  token_hash: Buffer
  created_at: string
  revoked_at: string | null
}

function toLink(row: LinkRow): LinkRecord {
  return {
    id: row.id as LinkId,
    boardId: row.board_id as BoardId,
    // Written only through createLink, which takes a Role.
    role: row.role as Role,
    tokenHash: new Uint8Array(row.token_hash.buffer, row.token_hash.byteOffset, row.token_hash.byteLength),
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  }
}

function toMeta(row: BoardRow): BoardMeta {
  return {
    id: row.id as BoardId,
    title: row.title,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    focusId: row.focus_id,
  }
}

/**
 * SQLite in WAL mode through better-sqlite3. Its calls are synchronous: an append is on disk
 * (in the WAL) when it returns, which is what lets the room broadcast only durable updates.
 * synchronous=NORMAL in WAL mode survives a process crash (kill -9); only a power loss can
 * drop the last transactions.
 */
export class SqliteStorage implements BoardStorage {
  private readonly db: Database.Database
  private readonly stmts
  private focusStorage: SqliteFocusStorage | null = null
  private snapshotStorage: SqliteSnapshotStorage | null = null

  constructor(dataDir: string) {
    this.db = openSqliteFile(path.join(dataDir, SQLITE_FILE))
    this.db.pragma('foreign_keys = ON')
    this.db.exec(SCHEMA)
    this.stmts = {
      insertBoard: this.db.prepare('INSERT INTO boards (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)'),
      getBoard: this.db.prepare<[string], BoardRow>('SELECT * FROM boards WHERE id = ?'),
      listBoards: this.db.prepare<[], BoardRow>('SELECT * FROM boards ORDER BY updated_at DESC, id'),
      setTitle: this.db.prepare('UPDATE boards SET title = ? WHERE id = ?'),
      touch: this.db.prepare('UPDATE boards SET updated_at = ? WHERE id = ? AND updated_at < ?'),
      append: this.db.prepare('INSERT INTO board_updates (board_id, data) VALUES (?, ?)'),
      load: this.db.prepare<[string], { seq: number; data: Buffer }>(
        'SELECT seq, data FROM board_updates WHERE board_id = ? ORDER BY seq',
      ),
      deleteThrough: this.db.prepare('DELETE FROM board_updates WHERE board_id = ? AND seq <= ?'),
      stats: this.db.prepare<[string], { count: number; bytes: number | null }>(
        'SELECT COUNT(*) AS count, SUM(LENGTH(data)) AS bytes FROM board_updates WHERE board_id = ?',
      ),
      health: this.db.prepare('INSERT OR REPLACE INTO health (id, checked_at) VALUES (1, ?)'),
      insertLink: this.db.prepare(
        'INSERT INTO links (id, board_id, role, token_hash, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      getLink: this.db.prepare<[string], LinkRow>('SELECT * FROM links WHERE id = ?'),
      listLinks: this.db.prepare<[string], LinkRow>(
        'SELECT * FROM links WHERE board_id = ? AND revoked_at IS NULL ORDER BY created_at, id',
      ),
      revokeLink: this.db.prepare(
        'UPDATE links SET revoked_at = ? WHERE id = ? AND board_id = ? AND revoked_at IS NULL',
      ),
    }
  }

  async createBoard(id: BoardId, title: string, initialUpdate: Uint8Array): Promise<BoardMeta> {
    const now = new Date().toISOString()
    this.db.transaction(() => {
      this.stmts.insertBoard.run(id, title, now, now)
      this.stmts.append.run(id, initialUpdate)
    })()
    return { id, title, createdAt: now, updatedAt: now, focusId: null }
  }

  async getBoard(id: BoardId): Promise<BoardMeta | null> {
    const row = this.stmts.getBoard.get(id)
    return row ? toMeta(row) : null
  }

  async listBoards(): Promise<BoardMeta[]> {
    return this.stmts.listBoards.all().map(toMeta)
  }

  async setTitle(id: BoardId, title: string): Promise<void> {
    this.stmts.setTitle.run(title, id)
  }

  async touchBoard(id: BoardId, at: Date): Promise<void> {
    const iso = at.toISOString()
    this.stmts.touch.run(iso, id, iso)
  }

  async loadUpdates(id: BoardId): Promise<{ updates: Uint8Array[]; lastSeq: number }> {
    const rows = this.stmts.load.all(id)
    return {
      updates: rows.map((r) => new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength)),
      lastSeq: rows.length ? rows[rows.length - 1].seq : 0,
    }
  }

  async appendUpdate(id: BoardId, update: Uint8Array): Promise<number> {
    return Number(this.stmts.append.run(id, update).lastInsertRowid)
  }

  async compact(id: BoardId, state: Uint8Array, throughSeq: number): Promise<void> {
    this.db.transaction(() => {
      this.stmts.deleteThrough.run(id, throughSeq)
      this.stmts.append.run(id, state)
    })()
  }

  async logStats(id: BoardId): Promise<{ count: number; bytes: number }> {
    const row = this.stmts.stats.get(id)
    return { count: row?.count ?? 0, bytes: row?.bytes ?? 0 }
  }

  async createLink(link: { id: LinkId; boardId: BoardId; role: Role; tokenHash: Uint8Array }): Promise<LinkRecord> {
    const now = new Date().toISOString()
    this.stmts.insertLink.run(link.id, link.boardId, link.role, Buffer.from(link.tokenHash), now)
    return { ...link, createdAt: now, revokedAt: null }
  }

  async getLink(id: LinkId): Promise<LinkRecord | null> {
    const row = this.stmts.getLink.get(id)
    return row ? toLink(row) : null
  }

  async listLinks(boardId: BoardId): Promise<LinkRecord[]> {
    return this.stmts.listLinks.all(boardId).map(toLink)
  }

  async revokeLink(boardId: BoardId, id: LinkId, at: Date): Promise<boolean> {
    return this.stmts.revokeLink.run(at.toISOString(), id, boardId).changes > 0
  }

  /** Sprint focuses, on this same connection: a board's link and its focus change together. */
  focuses(): FocusStorage {
    return (this.focusStorage ??= new SqliteFocusStorage(this.db))
  }

  /** Board snapshots (history), on this same connection. */
  snapshots(): SnapshotStorage {
    return (this.snapshotStorage ??= new SqliteSnapshotStorage(this.db))
  }

  async check(): Promise<void> {
    this.stmts.health.run(new Date().toISOString())
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close()
  }
}
