/**
 * Malformed frames on the sync socket: each closes only the connection that sent it, with 4400 and
 * a reason; the board, its other clients and the server carry on unharmed. Also the one protocol
 * extension, "flushed" (type 100), answered once the updates before it are stored.
 */
import * as encoding from 'lib0/encoding'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  CloseCode,
  encodeFlushed,
  MESSAGE_AUTH,
  MESSAGE_SYNC,
  SYNC_STEP_2,
  SYNC_UPDATE,
} from '../../shared/sync/protocol.ts'
import type { BoardId } from '../../shared/ids.ts'
import { createBoard, startTestServer, type TestServer } from '../helpers/server.ts'
import {
  Cleanup,
  connectClient,
  encodeSyncUpdate,
  isSyncStep1,
  openRawSocket,
  snapshot,
  syncUrl,
  type SyncClient,
} from '../helpers/sync.ts'
import { InstrumentedStorage } from '../helpers/storage.ts'
import { createGate, waitFor, withTimeout } from '../helpers/wait.ts'

/** Cleared after each test: the raw sockets and short-lived clients. */
const perTest = new Cleanup()
afterEach(() => perTest.run())
/** Cleared after the file: the server and the clients that must live through every test. */
const perFile = new Cleanup()
afterAll(() => perFile.run())

let s: TestServer

beforeAll(async () => {
  s = await startTestServer()
  perFile.add(() => s.close())
})

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

/** Bytes that Yjs cannot decode as an update. */
const GARBAGE = new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0xff, 0x00, 0x13, 0x37])

const BAD_FRAMES: Array<[name: string, data: Uint8Array | string]> = [
  ['a text frame', '{"type":"sync"}'],
  ['an empty binary frame', new Uint8Array(0)],
  ['an unknown message type (77)', frame((e) => encoding.writeVarUint(e, 77))],
  [
    'an unknown message type with a payload',
    frame((e) => (encoding.writeVarUint(e, 77), encoding.writeVarString(e, 'hi'))),
  ],
  ['a truncated varint (0x80)', new Uint8Array([0x80])],
  [
    'an auth message, which only travels from server to client',
    frame((e) => (encoding.writeVarUint(e, MESSAGE_AUTH), encoding.writeVarUint(e, 0))),
  ],
  [
    'a sync message with an unknown sub-type',
    frame((e) => (encoding.writeVarUint(e, MESSAGE_SYNC), encoding.writeVarUint(e, 9))),
  ],
  ['a sync message cut after its type', frame((e) => encoding.writeVarUint(e, MESSAGE_SYNC))],
  [
    'a sync update of garbage bytes',
    frame(
      (e) => (
        encoding.writeVarUint(e, MESSAGE_SYNC),
        encoding.writeVarUint(e, SYNC_UPDATE),
        encoding.writeVarUint8Array(e, GARBAGE)
      ),
    ),
  ],
  [
    'a sync step 2 of garbage bytes',
    frame(
      (e) => (
        encoding.writeVarUint(e, MESSAGE_SYNC),
        encoding.writeVarUint(e, SYNC_STEP_2),
        encoding.writeVarUint8Array(e, GARBAGE)
      ),
    ),
  ],
  [
    'a sync update whose length runs past the frame',
    frame(
      (e) => (
        encoding.writeVarUint(e, MESSAGE_SYNC),
        encoding.writeVarUint(e, SYNC_UPDATE),
        encoding.writeVarUint(e, 1000),
        encoding.writeUint8(e, 1)
      ),
    ),
  ],
  ['a flushed message with a truncated sequence number', new Uint8Array([100, 0x80])],
]

describe('bad frames', () => {
  let boardId: string
  let writer: SyncClient
  let watcher: SyncClient
  const written = new Set<string>()

  beforeAll(async () => {
    boardId = (await createBoard(s, 'Under fire')).id
    writer = connectClient(s, boardId, perFile)
    watcher = connectClient(s, boardId, perFile)
    await waitFor(() => writer.provider.synced && watcher.provider.synced, { message: 'the two good clients to sync' })
    writer.doc.getMap('records').set('shape:before', { id: 'shape:before', typeName: 'shape', x: 0 })
    written.add('shape:before')
    await waitFor(() => watcher.doc.getMap('records').has('shape:before'), { message: 'the first edit to arrive' })
  })

  it.each(BAD_FRAMES)('%s closes that connection with 4400 and a reason, and nothing else', async (name, data) => {
    const raw = openRawSocket(syncUrl(s, boardId, s.token), perTest)
    // Wait until the board is open for this socket, so the frame takes the normal path.
    await waitFor(() => raw.messages.some(isSyncStep1), { message: 'the server’s sync step 1' })
    raw.send(data)
    const closed = await withTimeout(raw.closed, 5_000, `the server to close after ${name}`)
    expect(closed.code).toBe(CloseCode.BadMessage)
    expect(closed.reason.length).toBeGreaterThan(0)

    // The good client was not disturbed: still on its first connection, and its edits flow.
    const key = `shape:after-${BAD_FRAMES.findIndex(([n]) => n === name)}`
    writer.doc.getMap('records').set(key, { id: key, typeName: 'shape', x: written.size })
    written.add(key)
    await waitFor(() => watcher.doc.getMap('records').has(key), {
      message: `an edit made after ${name} to reach the other client`,
    })
    expect(writer.provider.wsconnected).toBe(true)
    expect(writer.statuses.filter((st) => st === 'connected')).toHaveLength(1)
    expect(watcher.statuses.filter((st) => st === 'connected')).toHaveLength(1)
  })

  it('also refuses a bad frame sent before the board has loaded', async () => {
    // A board nobody has open yet: the frame is queued during the load, then refused.
    const fresh = (await createBoard(s, 'Cold')).id
    const raw = openRawSocket(syncUrl(s, fresh, s.token), perTest)
    await raw.opened
    raw.send(new Uint8Array([77]))
    const closed = await withTimeout(raw.closed, 5_000, 'the server to close the socket')
    expect(closed.code).toBe(CloseCode.BadMessage)
    expect(closed.reason.length).toBeGreaterThan(0)
  })

  it('leaves the document exactly as the good client wrote it, in memory and on disk, and the server healthy', async () => {
    const late = connectClient(s, boardId, perTest)
    await waitFor(() => late.provider.synced, { message: 'a third client to sync' })
    await waitFor(() => late.doc.getMap('records').size === written.size, {
      message: 'the third client to hold every good edit',
    })
    expect(snapshot(late.doc)).toEqual(snapshot(writer.doc))
    expect(new Set(late.doc.getMap('records').keys())).toEqual(written)
    expect(late.doc.getMap('meta').get('title')).toBe('Under fire')

    const stored = new Y.Doc()
    const { updates } = await s.server.storage.loadUpdates(boardId as BoardId)
    for (const update of updates) Y.applyUpdate(stored, update)
    expect(snapshot(stored)).toEqual(snapshot(writer.doc))
    stored.destroy()

    const health = await fetch(`${s.url}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ ok: true })
  })
})

describe('flushed (message type 100)', () => {
  it('answers with the same sequence number only once the update sent before it is stored', async () => {
    const gate = createGate()
    let storage: InstrumentedStorage | null = null
    const srv = await startTestServer({
      storage: (sqlite) => (storage = new InstrumentedStorage(sqlite)),
    })
    perTest.add(() => srv.close())
    // Cleanup runs newest first: release a held append before the server waits for it on close.
    perTest.add(() => gate.release())
    const held = storage as InstrumentedStorage | null
    if (!held) throw new Error('the server did not build the instrumented storage')
    const boardId = (await createBoard(srv, 'Flush')).id
    const raw = openRawSocket(syncUrl(srv, boardId, srv.token), perTest)
    await waitFor(() => raw.messages.some(isSyncStep1), { message: 'the server’s sync step 1' })

    const local = new Y.Doc()
    perTest.add(() => local.destroy())
    local.getMap('records').set('shape:flushed', { id: 'shape:flushed', typeName: 'shape', x: 1 })
    // 300 needs two varint bytes, so a reader that took only one would answer the wrong number.
    const seq = 300
    const answer = Buffer.from(encodeFlushed(seq))
    const answered = () => raw.messages.some((m) => Buffer.from(m).equals(answer))

    held.appendGate = gate.promise
    raw.send(encodeSyncUpdate(Y.encodeStateAsUpdate(local)))
    raw.send(encodeFlushed(seq))
    await waitFor(() => held.appendCalls.length === 1, { message: 'the update to reach storage' })
    // Round trips through the server: an early answer would have been sent by now.
    for (let i = 0; i < 3; i++) expect((await fetch(`${srv.url}/healthz`)).status).toBe(200)
    expect(answered()).toBe(false)

    gate.release()
    await waitFor(answered, { message: 'the flushed answer [100, 300]' })
    const stored = new Y.Doc()
    for (const update of (await held.loadUpdates(boardId as BoardId)).updates) Y.applyUpdate(stored, update)
    expect(stored.getMap('records').has('shape:flushed')).toBe(true)
    stored.destroy()
    expect(raw.closeInfo).toBeNull()

    // Every flushed answer echoes its own number.
    raw.send(encodeFlushed(7))
    await waitFor(() => raw.messages.some((m) => Buffer.from(m).equals(Buffer.from(encodeFlushed(7)))), {
      message: 'the flushed answer [100, 7]',
    })
  })
})
