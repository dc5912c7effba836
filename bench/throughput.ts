/**
 * Sustained updates per second into one room with durable persistence: the room's whole write
 * path (dependency checks, SQLite append, apply, broadcast to a connected peer) fed as fast as it
 * takes updates, with compaction at its default pace and with compaction off. In-process, so the
 * figure is the server's own pipeline, not a client's or the socket's.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pino from 'pino'
import * as Y from 'yjs'
import { COMPACT_AFTER_UPDATES } from '../server/config.ts'
import type { RoomPeer } from '../server/rooms/Room.ts'
import { RoomRegistry } from '../server/rooms/RoomRegistry.ts'
import { SqliteStorage } from '../server/storage/SqliteStorage.ts'
import { parseBoardId } from '../shared/ids.ts'

/** Updates fed per run, and the longest a run may take. */
const THROUGHPUT_UPDATES = 20_000
const THROUGHPUT_BUDGET_MS = 10_000
/** Shapes the updates move about (most updates overwrite one, as dragging does). */
const SHAPES = 250

export interface ThroughputResult {
  compaction: string
  updates: number
  seconds: number
  updatesPerSecond: number
  compactions: number
  storedBytes: number
}

/** Small updates as a client makes them: one map set each. */
function makeUpdates(count: number): Uint8Array[] {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  const records = doc.getMap('records')
  for (let i = 0; i < count; i++) records.set(`shape:${i % SHAPES}`, { id: `shape:${i % SHAPES}`, x: i, y: i % 7 })
  doc.destroy()
  return updates
}

async function run(compactAfter: number, updates: Uint8Array[]): Promise<ThroughputResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scopeboard-throughput-'))
  const storage = new SqliteStorage(dataDir)
  let compactions = 0
  const compact = storage.compact.bind(storage)
  storage.compact = (...args) => {
    compactions++
    return compact(...args)
  }
  const rooms = new RoomRegistry(storage, pino({ level: 'silent' }), 60_000, compactAfter)
  try {
    const id = parseBoardId('throughput')!
    await storage.createBoard(id, 'throughput', Y.encodeStateAsUpdate(new Y.Doc()))
    const room = await rooms.get(id)
    let sentBytes = 0
    const peer: RoomPeer = {
      id: 1,
      send: (m) => (sentBytes += m.byteLength),
      close: () => undefined,
      awarenessIds: new Set(),
      principal: 'workspace',
    }
    room.addPeer(peer)
    const writer: RoomPeer = { ...peer, id: 2, send: () => undefined }
    const started = performance.now()
    let fed = 0
    // Fed in windows, as a socket's frames arrive: each window is queued at once, then awaited.
    const window = 100
    while (fed < updates.length && performance.now() - started < THROUGHPUT_BUDGET_MS) {
      const batch = updates.slice(fed, fed + window)
      await Promise.all(batch.map((u) => room.applyUpdate(u, { kind: 'peer', peer: writer })))
      fed += batch.length
    }
    const seconds = (performance.now() - started) / 1000
    const stats = await storage.logStats(id)
    if (sentBytes === 0) throw new Error('nothing was broadcast')
    return {
      compaction: Number.isFinite(compactAfter) ? `every ${compactAfter} updates` : 'off',
      updates: fed,
      seconds,
      updatesPerSecond: fed / seconds,
      compactions,
      storedBytes: stats.bytes,
    }
  } finally {
    await rooms.closeAll()
    await storage.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

export async function benchThroughput(): Promise<ThroughputResult[]> {
  const updates = makeUpdates(THROUGHPUT_UPDATES)
  // Warm the JIT first, so the first measured run is not the one that pays for it.
  await run(Infinity, updates.slice(0, 3_000))
  return [await run(Infinity, updates), await run(COMPACT_AFTER_UPDATES, updates)]
}

export function printThroughput(rows: ThroughputResult[]): void {
  console.log('\nSustained updates into one room (durable SQLite appends, one peer receiving every broadcast)')
  console.table(
    rows.map((r) => ({
      compaction: r.compaction,
      updates: r.updates,
      seconds: r.seconds.toFixed(2),
      'updates/s': Math.round(r.updatesPerSecond),
      compactions: r.compactions,
      'stored KiB': (r.storedBytes / 1024).toFixed(1),
    })),
  )
}
