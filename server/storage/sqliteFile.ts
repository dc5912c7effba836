/**
 * Opening the data directory's SQLite file the way every part of the server uses it: WAL, so
 * readers never wait for the writer; synchronous=NORMAL, which in WAL mode loses nothing a
 * commit returned on a process crash; a busy timeout for a second connection on the same file.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'

export function openSqliteFile(file: string): Database.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('busy_timeout = 5000')
  return db
}
