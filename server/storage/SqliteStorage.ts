import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { BoardId } from '../../shared/ids.ts'
import type { BoardMeta, BoardStorage } from './BoardStorage.ts'

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
`

interface BoardRow {
  id: string
  title: string
  created_at: string
  updated_at: string
  focus_id: string | null
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

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true })
    this.db = new Database(path.join(dataDir, SQLITE_FILE))
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = NORMAL')
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

  async check(): Promise<void> {
    this.stmts.health.run(new Date().toISOString())
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close()
  }
}
