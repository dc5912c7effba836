/**
 * Sprint focuses in the boards' SQLite database. Normally it shares SqliteStorage's connection
 * (`SqliteStorage.focuses()`), so a board's link and the focus it names change in one
 * transaction; `open()` gives it a connection of its own for a server whose board storage is
 * something else wrapping the same data directory (the tests' instrumented storage).
 */
import type Database from 'better-sqlite3'
import { openSqliteFile } from './sqliteFile.ts'
import type { FocusStatus } from '../../shared/focus/model.ts'
import type { BoardId, FocusId } from '../../shared/ids.ts'
import type { DeleteFocusResult, FocusFields, FocusRecord, FocusStorage, LinkBoardResult } from './FocusStorage.ts'

const SCHEMA = `
CREATE TABLE IF NOT EXISTS focuses (
  id TEXT PRIMARY KEY,
  sprint TEXT NOT NULL,
  title TEXT NOT NULL,
  goal TEXT,
  metric TEXT,
  strategy TEXT,
  start_date TEXT,
  end_date TEXT,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS boards_by_focus ON boards(focus_id);
`

export interface FocusRow {
  id: string
  sprint: string
  title: string
  goal: string | null
  metric: string | null
  strategy: string | null
  start_date: string | null
  end_date: string | null
  status: string
  created_at: string
  updated_at: string
}

export function toFocus(row: FocusRow): FocusRecord {
  return {
    id: row.id as FocusId,
    sprint: row.sprint,
    title: row.title,
    goal: row.goal,
    metric: row.metric,
    strategy: row.strategy,
    startDate: row.start_date,
    endDate: row.end_date,
    // Written only through createFocus/updateFocus, which take a FocusStatus.
    status: row.status as FocusStatus,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export class SqliteFocusStorage implements FocusStorage {
  private readonly stmts

  /** `db` must be a database SqliteStorage has set up (the boards table exists). */
  constructor(
    private readonly db: Database.Database,
    private readonly ownsDb = false,
  ) {
    db.exec(SCHEMA)
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO focuses (id, sprint, title, goal, metric, strategy, start_date, end_date, status, created_at, updated_at)
         VALUES (@id, @sprint, @title, @goal, @metric, @strategy, @startDate, @endDate, @status, @createdAt, @updatedAt)`,
      ),
      get: db.prepare<[string], FocusRow>('SELECT * FROM focuses WHERE id = ?'),
      list: db.prepare<[], FocusRow>('SELECT * FROM focuses ORDER BY created_at DESC, id'),
      update: db.prepare(
        `UPDATE focuses SET sprint = @sprint, title = @title, goal = @goal, metric = @metric, strategy = @strategy,
         start_date = @startDate, end_date = @endDate, status = @status, updated_at = @updatedAt WHERE id = @id`,
      ),
      delete: db.prepare('DELETE FROM focuses WHERE id = ?'),
      boardIdsOf: db.prepare<[string], { id: string }>('SELECT id FROM boards WHERE focus_id = ? ORDER BY id'),
      boardsOf: db.prepare<[string], { id: string; title: string }>(
        'SELECT id, title FROM boards WHERE focus_id = ? ORDER BY id',
      ),
      allLinks: db.prepare<[], { id: string; focus_id: string }>(
        'SELECT id, focus_id FROM boards WHERE focus_id IS NOT NULL ORDER BY focus_id, id',
      ),
      unlinkAll: db.prepare('UPDATE boards SET focus_id = NULL WHERE focus_id = ?'),
      boardExists: db.prepare<[string], { id: string }>('SELECT id FROM boards WHERE id = ?'),
      link: db.prepare('UPDATE boards SET focus_id = ? WHERE id = ?'),
    }
  }

  /** A connection of its own on a data directory's database file; `close()` closes it. */
  static open(file: string): SqliteFocusStorage {
    return new SqliteFocusStorage(openSqliteFile(file), true)
  }

  async createFocus(id: FocusId, fields: FocusFields): Promise<FocusRecord> {
    const now = new Date().toISOString()
    const record: FocusRecord = { id, ...fields, createdAt: now, updatedAt: now }
    this.stmts.insert.run(record)
    return record
  }

  async getFocus(id: FocusId): Promise<FocusRecord | null> {
    const row = this.stmts.get.get(id)
    return row ? toFocus(row) : null
  }

  async listFocuses(): Promise<FocusRecord[]> {
    return this.stmts.list.all().map(toFocus)
  }

  async updateFocus(id: FocusId, changes: Partial<FocusFields>): Promise<FocusRecord | null> {
    return this.db.transaction(() => {
      const row = this.stmts.get.get(id)
      if (!row) return null
      const next: FocusRecord = { ...toFocus(row), ...changes, updatedAt: new Date().toISOString() }
      this.stmts.update.run(next)
      return next
    })()
  }

  async deleteFocus(id: FocusId, options: { force: boolean }): Promise<DeleteFocusResult> {
    return this.db.transaction((): DeleteFocusResult => {
      if (!this.stmts.get.get(id)) return { kind: 'not-found' }
      const boardIds = this.stmts.boardIdsOf.all(id).map((r) => r.id as BoardId)
      if (boardIds.length > 0 && !options.force) return { kind: 'linked', boardIds }
      this.stmts.unlinkAll.run(id)
      this.stmts.delete.run(id)
      return { kind: 'deleted', unlinked: boardIds }
    })()
  }

  async linkBoard(boardId: BoardId, focusId: FocusId | null): Promise<LinkBoardResult> {
    return this.db.transaction((): LinkBoardResult => {
      if (!this.stmts.boardExists.get(boardId)) return 'no-board'
      if (focusId !== null && !this.stmts.get.get(focusId)) return 'no-focus'
      this.stmts.link.run(focusId, boardId)
      return 'linked'
    })()
  }

  async linkedBoards(focusId: FocusId): Promise<Array<{ id: BoardId; title: string }>> {
    return this.stmts.boardsOf.all(focusId).map((r) => ({ id: r.id as BoardId, title: r.title }))
  }

  async linkedBoardIds(): Promise<Map<FocusId, BoardId[]>> {
    const links = new Map<FocusId, BoardId[]>()
    for (const row of this.stmts.allLinks.all()) {
      const list = links.get(row.focus_id as FocusId)
      if (list) list.push(row.id as BoardId)
      else links.set(row.focus_id as FocusId, [row.id as BoardId])
    }
    return links
  }

  async close(): Promise<void> {
    if (this.ownsDb && this.db.open) this.db.close()
  }
}
