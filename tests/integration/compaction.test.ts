/**
 * Compaction keeps a board's stored log bounded, and never loses an update that arrives while it
 * runs: it swaps the log for one state inside the room's queue, so appends wait for it.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { parseBoardId, type BoardId } from '../../shared/ids.ts'
import { createBoard, startTestServer, type TestServer } from '../helpers/server.ts'
import { InstrumentedStorage } from '../helpers/storage.ts'
import { Cleanup, connectClient, type SyncClient } from '../helpers/sync.ts'
import { createGate, waitFor } from '../helpers/wait.ts'

/** A stock client sends one message per edit; the tests send faster than a person would. */
const FAST_LIMITS = { messageRatePerSecond: 100_000, messageBurst: 100_000 }
const EDITS = 10_000
/** Shapes the edits move about: most edits overwrite one, as dragging does. */
const SHAPES = 250
/** "A small multiple": the stored log may be at most this many times the merged document. */
const MAX_LOG_TO_DOC_RATIO = 3

const cleanup = new Cleanup()
afterEach(() => cleanup.run())

async function server(options: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const s = await startTestServer(options)
  cleanup.add(() => s.close())
  return s
}

/** The board's stored log replayed into a doc. */
async function stored(s: TestServer, id: BoardId): Promise<Y.Doc> {
  const { updates } = await s.server.storage.loadUpdates(id)
  const doc = new Y.Doc()
  for (const update of updates) Y.applyUpdate(doc, update)
  return doc
}

function moves(client: SyncClient): Y.Map<{ x: number; by: number }> {
  return client.doc.getMap('records')
}

describe('compaction', () => {
  it(`keeps the stored log within ${MAX_LOG_TO_DOC_RATIO}× the merged document after ${EDITS} edits`, async () => {
    let storage: InstrumentedStorage | null = null
    const s = await server({
      limits: FAST_LIMITS,
      storage: (sqlite) => (storage = new InstrumentedStorage(sqlite)),
    })
    const board = await createBoard(s, 'Ten thousand edits')
    const id = parseBoardId(board.id)!
    const writer = connectClient(s, board.id, cleanup)
    const watcher = connectClient(s, board.id, cleanup)
    await waitFor(() => writer.provider.synced && watcher.provider.synced, { message: 'both clients to sync' })

    const batch = 500
    for (let i = 0; i < EDITS; i++) {
      moves(writer).set(`shape:${i % SHAPES}`, { x: i, by: 0 })
      // Let the socket drain now and then, as a real stream of edits would.
      if (i % batch === batch - 1) await new Promise((resolve) => setImmediate(resolve))
    }
    await waitFor(() => moves(watcher).get(`shape:${(EDITS - 1) % SHAPES}`)?.x === EDITS - 1, {
      timeoutMs: 20_000,
      message: 'the last edit to reach the watcher',
    })
    await (await s.server.rooms.get(id)).flushed()

    const merged = Y.encodeStateAsUpdate(writer.doc).byteLength
    const log = await s.server.storage.logStats(id)
    const compactions = (storage as InstrumentedStorage | null)!.compactCalls.length
    console.log(
      `${EDITS} edits: log ${log.count} rows, ${log.bytes} B; merged doc ${merged} B (${(log.bytes / merged).toFixed(2)}×); ${compactions} compactions`,
    )
    expect(compactions).toBeGreaterThan(0)
    expect(log.bytes).toBeLessThanOrEqual(MAX_LOG_TO_DOC_RATIO * merged)
    expect((await stored(s, id)).getMap('records').toJSON()).toEqual(moves(writer).toJSON())
  })

  it('loses no update that arrives while a (slow) compaction runs, with several writers', async () => {
    const gate = createGate()
    let storage: InstrumentedStorage | null = null
    const s = await server({
      limits: FAST_LIMITS,
      storage: (sqlite) => (storage = new InstrumentedStorage(sqlite)),
    })
    cleanup.add(() => gate.release())
    const held = storage as InstrumentedStorage | null
    if (!held) throw new Error('the server did not build the instrumented storage')
    held.compactGate = gate.promise
    const board = await createBoard(s, 'Compaction race')
    const id = parseBoardId(board.id)!
    const writers = [0, 1, 2].map(() => connectClient(s, board.id, cleanup))
    await waitFor(() => writers.every((w) => w.provider.synced), { message: 'the writers to sync' })

    // Enough edits to start a compaction, which the gate then holds while every writer goes on.
    let round = 0
    const writeRound = () => {
      for (const [n, w] of writers.entries()) moves(w).set(`shape:${n}-${round}`, { x: round, by: n })
      round++
    }
    while (held.compactCalls.length === 0) {
      writeRound()
      await new Promise((resolve) => setImmediate(resolve))
      if (round > 2_000) throw new Error('no compaction started')
    }
    const duringFrom = round
    for (let i = 0; i < 100; i++) {
      writeRound()
      await new Promise((resolve) => setImmediate(resolve))
    }
    // Nothing written during the compaction is applied (or sent) before it is done.
    await waitFor(() => held.appendCalls.length > 0, { message: 'appends to be attempted' })
    gate.release()

    const expected = new Map<string, unknown>()
    for (let r = 0; r < round; r++) for (const n of writers.keys()) expected.set(`shape:${n}-${r}`, { x: r, by: n })
    for (const w of writers) {
      await waitFor(() => moves(w).size === expected.size, {
        timeoutMs: 10_000,
        message: `every writer to hold all ${expected.size} shapes`,
      })
    }
    await (await s.server.rooms.get(id)).flushed()
    const onDisk = (await stored(s, id)).getMap('records').toJSON()
    expect(onDisk).toEqual(Object.fromEntries(expected))
    expect(round - duringFrom).toBe(100)

    // And after a restart, from disk alone.
    for (const w of writers) w.destroy()
    await s.restart()
    const fresh = connectClient(s, board.id, cleanup)
    await waitFor(() => fresh.provider.synced, { message: 'a fresh client to sync after the restart' })
    expect(moves(fresh).toJSON()).toEqual(Object.fromEntries(expected))
  })
})
