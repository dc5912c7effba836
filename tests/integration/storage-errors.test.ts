/**
 * A storage error (a full disk, a read-only file) while a board is being edited: it is logged, the
 * board's clients are closed with 1011 and a reason that says so, /healthz answers 503, and what
 * was stored before is left as it was. When storage takes writes again, the clients' providers
 * reconnect by themselves and their edits are saved.
 */
import type Database from 'better-sqlite3'
import * as decoding from 'lib0/decoding'
import pino from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { STORAGE_FAILED_REASON } from '../../server/rooms/Room.ts'
import type { SqliteStorage } from '../../server/storage/SqliteStorage.ts'
import { parseBoardId, type BoardId } from '../../shared/ids.ts'
import { CloseCode, MESSAGE_SYNC, SYNC_STEP_2, SYNC_UPDATE } from '../../shared/sync/protocol.ts'
import { createBoard, startTestServer, type TestServer } from '../helpers/server.ts'
import { InstrumentedStorage } from '../helpers/storage.ts'
import { Cleanup, connectClient, isSyncStep1, openRawSocket, syncUrl } from '../helpers/sync.ts'
import { waitFor } from '../helpers/wait.ts'

const cleanup = new Cleanup()
afterEach(() => cleanup.run())

interface LogLine {
  level: number
  msg: string
  board?: string
  err?: { message: string }
}

/** A pino logger that keeps every line, so a test can read what the server reported. */
function memoryLogger() {
  const lines: LogLine[] = []
  const log = pino({ level: 'info', base: undefined }, { write: (line: string) => lines.push(JSON.parse(line)) })
  return { log, lines }
}

async function stored(s: TestServer, id: BoardId): Promise<unknown> {
  const { updates } = await s.server.storage.loadUpdates(id)
  const doc = new Y.Doc()
  for (const update of updates) Y.applyUpdate(doc, update)
  return { records: doc.getMap('records').toJSON(), meta: doc.getMap('meta').toJSON() }
}

/** The record ids in every sync update or step 2 a raw socket received. */
function receivedRecords(frames: Uint8Array[]): string[] {
  const doc = new Y.Doc()
  for (const frame of frames) {
    const decoder = decoding.createDecoder(frame)
    if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) continue
    const subtype = decoding.readVarUint(decoder)
    if (subtype === SYNC_STEP_2 || subtype === SYNC_UPDATE) Y.applyUpdate(doc, decoding.readVarUint8Array(decoder))
  }
  return [...doc.getMap('records').keys()].sort()
}

async function health(s: TestServer): Promise<{ status: number; body: { ok: boolean; error?: string } }> {
  const res = await fetch(`${s.url}/healthz`)
  return { status: res.status, body: (await res.json()) as { ok: boolean; error?: string } }
}

/**
 * One board, a stock provider that writes and a raw socket that watches (it records the close).
 * `breakStorage` makes storage refuse writes, `mendStorage` lets it take them again.
 */
async function scenario(options: {
  wrap: (sqlite: SqliteStorage) => InstrumentedStorage
  breakStorage: (storage: InstrumentedStorage) => void
  mendStorage: (storage: InstrumentedStorage) => void
  expectedError: RegExp
}) {
  const { log, lines } = memoryLogger()
  let storage: InstrumentedStorage | null = null
  const s = await startTestServer({ log, storage: (sqlite) => (storage = options.wrap(sqlite)) })
  cleanup.add(() => s.close())
  const held = storage as InstrumentedStorage | null
  if (!held) throw new Error('the server did not build the instrumented storage')
  const board = await createBoard(s, 'Disk trouble')
  const id = parseBoardId(board.id)!

  const writer = connectClient(s, board.id, cleanup, { maxBackoffTime: 100 })
  const watcher = openRawSocket(syncUrl(s, board.id, s.token), cleanup)
  await waitFor(() => writer.provider.synced, { message: 'the writer to sync' })
  await waitFor(() => watcher.messages.some(isSyncStep1), { message: 'the watcher to be admitted' })
  const records = writer.doc.getMap('records')
  records.set('shape:before', { x: 1 })
  await waitFor(async () => JSON.stringify(await stored(s, id)).includes('shape:before'), {
    message: 'the first edit to be stored',
  })
  const before = await stored(s, id)

  options.breakStorage(held)
  records.set('shape:during', { x: 2 })

  const closed = await watcher.closed
  expect(closed).toMatchObject({ code: CloseCode.InternalError, reason: STORAGE_FAILED_REASON })
  // The edit that could not be stored was never sent to anyone.
  expect(receivedRecords(watcher.messages)).toEqual(['shape:before'])
  const reported = lines.find((l) => l.level >= 50 && l.board === board.id && l.msg.includes('storage failed'))
  expect(reported?.err?.message).toMatch(options.expectedError)
  const unhealthy = await health(s)
  expect(unhealthy.status).toBe(503)
  expect(unhealthy.body.ok).toBe(false)
  // The writer's provider keeps trying (1011 is worth retrying); storage still refuses each time.
  await waitFor(() => writer.statuses.filter((st) => st === 'connected').length >= 2, {
    message: 'the writer to reconnect while storage is broken',
  })
  expect((await health(s)).status).toBe(503)
  expect(await stored(s, id)).toEqual(before)

  options.mendStorage(held)
  await waitFor(async () => JSON.stringify(await stored(s, id)).includes('shape:during'), {
    timeoutMs: 5_000,
    message: 'the writer’s edit to be stored once storage takes writes again',
  })
  await waitFor(async () => (await health(s)).status === 200, { message: '/healthz to recover' })

  // Restart: the board holds exactly what was stored before, plus the edit saved after.
  writer.destroy()
  await s.restart({})
  const fresh = connectClient(s, board.id, cleanup)
  await waitFor(() => fresh.provider.synced, { message: 'a fresh client after the restart' })
  expect(fresh.doc.getMap('records').toJSON()).toEqual({ 'shape:before': { x: 1 }, 'shape:during': { x: 2 } })
  expect(fresh.doc.getMap('meta').get('title')).toBe('Disk trouble')
}

describe('storage errors', () => {
  it('a failing append (disk full) closes the board with 1011, turns /healthz 503 and harms nothing', async () => {
    await scenario({
      wrap: (sqlite) => new InstrumentedStorage(sqlite),
      breakStorage: (storage) => {
        storage.appendError = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
      },
      mendStorage: (storage) => {
        storage.appendError = null
      },
      expectedError: /disk is full/,
    })
  })

  // A real SQLite refusal. chmod cannot make the file read-only for root (tests may run as root),
  // so the connection is switched to query_only, which refuses every write the same way.
  it('a read-only database file does the same, and /healthz sees it through its own probe write', async () => {
    const dbOf = (storage: InstrumentedStorage) => (storage.inner as unknown as { db: Database.Database }).db
    await scenario({
      wrap: (sqlite) => new InstrumentedStorage(sqlite),
      breakStorage: (storage) => dbOf(storage).pragma('query_only = ON'),
      mendStorage: (storage) => dbOf(storage).pragma('query_only = OFF'),
      expectedError: /readonly|read-only/i,
    })
  })
})
