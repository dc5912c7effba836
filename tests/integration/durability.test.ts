/**
 * Durability against the real server as a child process: `kill -9` in the middle of a stream of
 * edits loses nothing any client was sent, and a graceful stop (SIGTERM) compacts, says "going
 * away" (1001) and lets clients reconnect by themselves.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { startServerProcess, type ServerProcess } from '../../bench/serverProcess.ts'
import { parseBoardId } from '../../shared/ids.ts'
import { openDataDir } from '../../server/scope/readDataDir.ts'
import { createBoard } from '../helpers/server.ts'
import { CloseCode } from '../../shared/sync/protocol.ts'
import {
  Cleanup,
  connectClient,
  isSyncStep1,
  openRawSocket,
  snapshot,
  syncUrl,
  type SyncClient,
} from '../helpers/sync.ts'
import { waitFor } from '../helpers/wait.ts'

/** Edits the writer makes in all; the server is killed once the watcher has seen KILL_AFTER. */
const EDITS = 3_000
const KILL_AFTER = 1_200
/**
 * Edits per tick and the tick: about 400 a second, under the server's per-connection message rate
 * (MESSAGE_RATE_PER_SECOND), so the stream is the fastest a client may legitimately send.
 */
const EDITS_PER_TICK = 2
const TICK_MS = 5
/** Reconnect quickly after the restart; y-websocket's default backoff goes up to 2.5 s. */
const MAX_BACKOFF_MS = 100

const cleanup = new Cleanup()
afterEach(() => cleanup.run())

function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scopeboard-durability-'))
  cleanup.add(() => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

async function launch(dataDir: string, port = 0): Promise<ServerProcess> {
  const server = await startServerProcess({ dataDir, port, token: 'durability-token', keepOutput: true })
  cleanup.add(() => server.kill('SIGKILL'))
  return server
}

function wsOf(server: ServerProcess) {
  return { wsUrl: `${server.url.replace('http', 'ws')}/sync`, token: server.token }
}

/** The board as stored in DATA_DIR, read with the server down. */
function storedDoc(dataDir: string, boardId: string): { doc: Y.Doc; rows: number } {
  const boards = openDataDir(dataDir)
  try {
    const board = boards.read(parseBoardId(boardId)!)
    if (!board) throw new Error(`board ${boardId} is not stored`)
    const doc = new Y.Doc()
    for (const update of board.updates) Y.applyUpdate(doc, update)
    return { doc, rows: board.updates.length }
  } finally {
    boards.close()
  }
}

/** True when `doc` holds everything `other` holds (per client, at least as many structs). */
function covers(doc: Y.Doc, other: Y.Doc): boolean {
  const have = Y.decodeStateVector(Y.encodeStateVector(doc))
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(other))) {
    if ((have.get(client) ?? 0) < clock) return false
  }
  return true
}

function edits(client: SyncClient): Y.Map<number> {
  return client.doc.getMap<number>('edits')
}

describe('durability (server as a child process)', () => {
  it('loses no update it broadcast when killed -9 mid-stream; the writer reconnects and converges', async () => {
    const dataDir = tempDataDir()
    let server = await launch(dataDir)
    const port = server.port
    const board = await createBoard({ url: server.url, token: server.token }, 'Kill -9')

    const writer = connectClient(wsOf(server), board.id, cleanup, { maxBackoffTime: MAX_BACKOFF_MS })
    // The watcher keeps what it received before the kill: it does not reconnect.
    const watcher = connectClient(wsOf(server), board.id, cleanup, { shouldReconnect: () => false })
    await waitFor(() => writer.provider.synced && watcher.provider.synced, { message: 'both clients to sync' })

    let written = 0
    let killed: Promise<unknown> | null = null
    const stream = (async () => {
      while (written < EDITS) {
        for (let i = 0; i < EDITS_PER_TICK && written < EDITS; i++, written++) edits(writer).set(`e${written}`, written)
        if (!killed && edits(watcher).size >= KILL_AFTER) killed = server.kill('SIGKILL')
        await new Promise((resolve) => setTimeout(resolve, TICK_MS))
      }
    })()
    await waitFor(() => killed, { timeoutMs: 15_000, message: `the watcher to receive ${KILL_AFTER} edits` })
    expect(await killed).toEqual({ code: null, signal: 'SIGKILL' })
    await waitFor(() => !watcher.provider.wsconnected, { message: 'the watcher to see the server gone' })
    const seen = Y.encodeStateAsUpdate(watcher.doc)
    const seenDoc = new Y.Doc()
    Y.applyUpdate(seenDoc, seen)
    const seenCount = seenDoc.getMap('edits').size
    expect(seenCount).toBeGreaterThanOrEqual(KILL_AFTER)

    // On disk, before anything can reconnect and fill gaps: everything the watcher was sent.
    const stored = storedDoc(dataDir, board.id)
    expect(covers(stored.doc, seenDoc)).toBe(true)
    expect(stored.doc.getMap('edits').toJSON()).toMatchObject(seenDoc.getMap('edits').toJSON())

    server = await launch(dataDir, port)
    expect(server.port).toBe(port)
    const fresh = connectClient(wsOf(server), board.id, cleanup)
    await waitFor(() => fresh.provider.synced, { message: 'a fresh client to sync after the restart' })
    expect(covers(fresh.doc, seenDoc)).toBe(true)
    expect(fresh.doc.getMap('meta').get('title')).toBe('Kill -9')

    await stream
    expect(written).toBe(EDITS)
    // The writer was never told to reconnect: its provider does it, and sends what it made offline.
    await waitFor(() => edits(fresh).size === EDITS, {
      timeoutMs: 10_000,
      message: `the server to hold all ${EDITS} edits`,
    })
    expect(writer.statuses.filter((s) => s === 'connected').length).toBeGreaterThanOrEqual(2)
    await waitFor(() => JSON.stringify(snapshot(writer.doc)) === JSON.stringify(snapshot(fresh.doc)), {
      message: 'writer and fresh client to converge',
    })
    expect(edits(fresh).toJSON()).toEqual(Object.fromEntries(Array.from({ length: EDITS }, (_, i) => [`e${i}`, i])))
    console.log(
      `kill -9 after ${seenCount} edits seen (${stored.rows} stored rows): all on disk; ${EDITS} converged after restart`,
    )
  }, 60_000)

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`on ${signal} flushes, compacts, says "going away" (1001), exits 0; clients reconnect by themselves`, async () => {
      const dataDir = tempDataDir()
      let server = await launch(dataDir)
      const port = server.port
      const board = await createBoard({ url: server.url, token: server.token }, 'Graceful')
      const client = connectClient(wsOf(server), board.id, cleanup, { maxBackoffTime: MAX_BACKOFF_MS })
      const raw = openRawSocket(syncUrl(wsOf(server), board.id, server.token), cleanup)
      await waitFor(() => client.provider.synced, { message: 'the client to sync' })
      await waitFor(() => raw.messages.some(isSyncStep1), { message: 'the raw socket to be admitted' })
      for (let i = 0; i < 50; i++) edits(client).set(`e${i}`, i)
      await waitFor(() => raw.messages.length >= 50, { message: 'the edits to be broadcast' })

      const exit = await server.kill(signal)
      expect(exit).toEqual({ code: 0, signal: null })
      expect(await raw.closed).toMatchObject({ code: CloseCode.GoingAway, reason: 'server is shutting down' })
      expect(server.output.some((line) => line.includes('"shutting down"'))).toBe(true)
      // Compacted: one state row holds the whole board.
      const stored = storedDoc(dataDir, board.id)
      expect(stored.rows).toBe(1)
      expect(stored.doc.getMap('edits').size).toBe(50)

      // 1001 is not a refusal: the provider reconnects when the server is back, and syncs.
      const connectedBefore = client.statuses.filter((s) => s === 'connected').length
      edits(client).set('offline', -1)
      server = await launch(dataDir, port)
      await waitFor(() => client.statuses.filter((s) => s === 'connected').length > connectedBefore, {
        timeoutMs: 5_000,
        message: 'the provider to reconnect by itself',
      })
      const fresh = connectClient(wsOf(server), board.id, cleanup)
      await waitFor(() => edits(fresh).size === 51, { message: 'the edit made offline to reach the server' })
      expect(edits(fresh).toJSON()).toEqual(edits(client).toJSON())
    }, 45_000)
  }
})
