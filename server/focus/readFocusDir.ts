/**
 * Reads sprint focuses and their board links straight from a server's DATA_DIR, read-only, for the
 * command-line exporter (the boards themselves come through readDataDir.ts). A database written
 * before focuses existed simply has none.
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import type { BoardId, FocusId } from '../../shared/ids.ts'
import { DataDirError } from '../scope/readDataDir.ts'
import type { FocusRecord } from '../storage/FocusStorage.ts'
import { toFocus, type FocusRow } from '../storage/SqliteFocusStorage.ts'
import { SQLITE_FILE } from '../storage/SqliteStorage.ts'

export interface ReadOnlyFocuses {
  focus(id: FocusId): FocusRecord | null
  /** The focus the board links to, if any. */
  focusOfBoard(boardId: BoardId): FocusRecord | null
  /** The ids of the boards linked to the focus, sorted. */
  linkedBoardIds(focusId: FocusId): BoardId[]
  /** Every focus, newest first, for messages about an unknown one. */
  list(): Array<{ id: string; sprint: string; title: string }>
  close(): void
}

/** `dataDir` must already be known to hold the database (openDataDir checks that first). */
export function openFocusDir(dataDir: string): ReadOnlyFocuses {
  const file = path.join(path.resolve(dataDir), SQLITE_FILE)
  let db: Database.Database
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
    db.pragma('busy_timeout = 5000')
  } catch (error) {
    throw new DataDirError(`cannot open ${file}: ${(error as Error).message}`)
  }
  const hasFocuses = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'focuses'")
    .get()
  if (!hasFocuses) {
    db.close()
    return { focus: () => null, focusOfBoard: () => null, linkedBoardIds: () => [], list: () => [], close: () => {} }
  }
  const stmts = {
    focus: db.prepare<[string], FocusRow>('SELECT * FROM focuses WHERE id = ?'),
    focusOfBoard: db.prepare<[string], FocusRow>(
      'SELECT focuses.* FROM boards JOIN focuses ON focuses.id = boards.focus_id WHERE boards.id = ?',
    ),
    linked: db.prepare<[string], { id: string }>('SELECT id FROM boards WHERE focus_id = ? ORDER BY id'),
    list: db.prepare<[], { id: string; sprint: string; title: string }>(
      'SELECT id, sprint, title FROM focuses ORDER BY created_at DESC, id',
    ),
  }
  const guarded = <T>(read: () => T): T => {
    try {
      return read()
    } catch (error) {
      throw new DataDirError(`cannot read ${file}: ${(error as Error).message}`)
    }
  }
  return {
    focus: (id) =>
      guarded(() => {
        const row = stmts.focus.get(id)
        return row ? toFocus(row) : null
      }),
    focusOfBoard: (boardId) =>
      guarded(() => {
        const row = stmts.focusOfBoard.get(boardId)
        return row ? toFocus(row) : null
      }),
    linkedBoardIds: (focusId) => guarded(() => stmts.linked.all(focusId).map((r) => r.id as BoardId)),
    list: () => guarded(() => stmts.list.all()),
    close: () => db.close(),
  }
}
