/**
 * Reads boards straight from a server's DATA_DIR without the server: the SQLite file is opened
 * read-only, so this works whether or not the server is running (WAL lets readers in beside the
 * writer) and can never change a board. The command-line exporter uses it.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { BoardId } from '../../shared/ids.ts'
import { SQLITE_FILE } from '../storage/SqliteStorage.ts'

/** A data directory or database that cannot be read; the message says which and why. */
export class DataDirError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DataDirError'
  }
}

export interface StoredBoard {
  id: BoardId
  title: string
  updates: Uint8Array[]
}

export interface ReadOnlyBoards {
  readonly dataDir: string
  /** Every board's id and listed title, most recently edited first. */
  list(): Array<{ id: string; title: string }>
  /** The board's listed title and its whole update log, read in one snapshot; null when absent. */
  read(id: BoardId): StoredBoard | null
  close(): void
}

export function openDataDir(dataDir: string): ReadOnlyBoards {
  const dir = path.resolve(dataDir)
  let stat: fs.Stats
  try {
    stat = fs.statSync(dir)
  } catch {
    throw new DataDirError(`no data directory at ${dir} (set DATA_DIR or pass --data-dir)`)
  }
  if (!stat.isDirectory()) throw new DataDirError(`${dir} is not a directory (set DATA_DIR or pass --data-dir)`)
  const file = path.join(dir, SQLITE_FILE)
  if (!fs.existsSync(file)) {
    throw new DataDirError(
      `no Scopeboard database in ${dir}: ${SQLITE_FILE} is missing (is this the server's DATA_DIR?)`,
    )
  }

  let db: Database.Database
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
    // A server may be writing; wait a moment for its lock rather than failing at once.
    db.pragma('busy_timeout = 5000')
  } catch (error) {
    throw new DataDirError(`cannot open ${file}: ${(error as Error).message}`)
  }
  let stmts
  try {
    stmts = {
      list: db.prepare<[], { id: string; title: string }>('SELECT id, title FROM boards ORDER BY updated_at DESC, id'),
      board: db.prepare<[string], { id: string; title: string }>('SELECT id, title FROM boards WHERE id = ?'),
      updates: db.prepare<[string], { data: Buffer }>('SELECT data FROM board_updates WHERE board_id = ? ORDER BY seq'),
    }
  } catch (error) {
    db.close()
    throw new DataDirError(`${file} is not a Scopeboard database: ${(error as Error).message}`)
  }
  const readBoard = db.transaction((id: BoardId): StoredBoard | null => {
    const row = stmts.board.get(id)
    if (!row) return null
    const updates = stmts.updates
      .all(id)
      .map((r) => new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength))
    return { id, title: row.title, updates }
  })

  const guarded = <T>(read: () => T): T => {
    try {
      return read()
    } catch (error) {
      throw new DataDirError(`cannot read ${file}: ${(error as Error).message}`)
    }
  }

  return {
    dataDir: dir,
    list: () => guarded(() => stmts.list.all()),
    // One transaction, so a compaction by a running server cannot land between the two reads.
    read: (id) => guarded(() => readBoard(id)),
    close: () => db.close(),
  }
}
