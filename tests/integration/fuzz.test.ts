/**
 * A seeded fuzz run against a live server on loopback: random bytes, truncated and oversized
 * frames, mutated valid updates and protocol junk, on raw sockets, while two stock clients keep
 * editing. Each frame is followed by a "flushed" probe, so every frame ends one of three ways:
 * the probe is answered (the frame was accepted, and if it was an update it is now part of the
 * board); the server sets the update aside because it builds on changes it lacks, and asks for
 * them with its sync step 1 (this client answers that it has none); or the connection is closed
 * with a clear code. The server must stay up, the two clients
 * must never be disturbed, and the board must end up exactly as the accepted writes made it — in
 * memory, for a fresh client, and on disk.
 *
 * Bounded: at most FRAMES frames and about TIME_BUDGET_MS; replay a failure with its seed.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { BoardId } from '../../shared/ids.ts'
import {
  CloseCode,
  encodeFlushed,
  MESSAGE_AWARENESS,
  MESSAGE_FLUSHED,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  SYNC_STEP_1,
  SYNC_STEP_2,
  SYNC_UPDATE,
} from '../../shared/sync/protocol.ts'
import { seeded } from '../helpers/random.ts'
import { createBoard, startTestServer, type TestServer } from '../helpers/server.ts'
import { Cleanup, connectClient, isSyncStep1, openRawSocket, syncUrl, type RawSocket } from '../helpers/sync.ts'
import { waitFor } from '../helpers/wait.ts'

const SEED = 0x5c09eb0a
const FRAMES = 3_000
const TIME_BUDGET_MS = 15_000
const LANES = 4
/** Small, so oversized frames are cheap to send. */
const MAX_MESSAGE_BYTES = 64 * 1024

const cleanup = new Cleanup()
afterAll(() => cleanup.run())

type Frame = { kind: string; data: Uint8Array | string }

function message(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

function syncFrame(subtype: number, payload: Uint8Array): Uint8Array {
  return message((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC)
    encoding.writeVarUint(e, subtype)
    encoding.writeVarUint8Array(e, payload)
  })
}

function awarenessFrame(entries: Array<[client: number, clock: number, json: string]>): Uint8Array {
  const update = message((e) => {
    encoding.writeVarUint(e, entries.length)
    for (const [client, clock, json] of entries) {
      encoding.writeVarUint(e, client)
      encoding.writeVarUint(e, clock)
      encoding.writeVarString(e, json)
    }
  })
  return message((e) => {
    encoding.writeVarUint(e, MESSAGE_AWARENESS)
    encoding.writeVarUint8Array(e, update)
  })
}

/** The update a frame carries, read the way the server reads it; null for anything else. */
function updateOf(data: Uint8Array | string): Uint8Array | null {
  if (typeof data === 'string') return null
  try {
    const decoder = decoding.createDecoder(data)
    if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return null
    const subtype = decoding.readVarUint(decoder)
    return subtype === SYNC_STEP_2 || subtype === SYNC_UPDATE ? decoding.readVarUint8Array(decoder) : null
  } catch {
    return null
  }
}

function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const out = new Uint8Array(bytes)
  const at = Math.floor(random() * out.length)
  switch (Math.floor(random() * 4)) {
    case 0:
      return out.slice(0, at)
    case 1:
      out[at] = Math.floor(random() * 256)
      return out
    case 2:
      out[at] ^= 1 << Math.floor(random() * 8)
      return out
    default: {
      const longer = new Uint8Array(out.length + 1)
      longer.set(out.subarray(0, at))
      longer[at] = Math.floor(random() * 256)
      longer.set(out.subarray(at), at + 1)
      return longer
    }
  }
}

describe('fuzzing the sync socket', () => {
  let s: TestServer

  it(`survives ${FRAMES} seeded frames (seed ${SEED.toString(16)}); the board is exactly what the accepted writes made`, async () => {
    s = await startTestServer({
      // The rate limit has its own test; here it would only cut the run short.
      limits: { maxMessageBytes: MAX_MESSAGE_BYTES, messageRatePerSecond: 1e6, messageBurst: 1e6 },
    })
    cleanup.add(() => s.close())
    const boardId = (await createBoard(s, 'Fuzzed')).id
    const random = seeded(SEED)

    const writers = [connectClient(s, boardId, cleanup), connectClient(s, boardId, cleanup)]
    await waitFor(() => writers.every((w) => w.provider.synced), { message: 'the two writers to sync' })
    /** Valid updates, as the writers sent them: material for mutations. */
    const pool: Uint8Array[] = []
    for (const writer of writers) {
      writer.doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin !== writer.provider) pool.push(update)
      })
    }
    let edits = 0
    const edit = () => {
      const writer = writers[edits % 2]
      const key = `shape:w${edits++}`
      writer.doc.transact(() => {
        writer.doc.getMap('records').set(key, { id: key, typeName: 'shape', x: edits })
        if (edits % 3 === 0) writer.doc.getMap('records').delete(`shape:w${edits - 2}`)
        if (edits % 5 === 0) writer.doc.getText('notes').insert(0, `note ${edits} `)
      })
    }
    for (let i = 0; i < 10; i++) edit()
    await waitFor(() => pool.length >= 10, { message: 'the first edits' })

    /** A stranger's valid writes: accepted like any workspace client's. */
    const stranger = new Y.Doc()
    const strangerUpdates: Uint8Array[] = []
    stranger.on('update', (update: Uint8Array) => strangerUpdates.push(update))

    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]
    const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256))
    const junk: Array<() => Frame> = [
      () => ({ kind: 'text frame', data: '{"type":"sync"}' }),
      () => ({ kind: 'empty frame', data: new Uint8Array(0) }),
      () => ({
        kind: 'unknown type',
        data: message((e) => encoding.writeVarUint(e, 3 + Math.floor(random() * 90) + 4)),
      }),
      () => ({ kind: 'auth message', data: new Uint8Array([2, 0, 1, 65]) }),
      () => ({ kind: 'bad sync subtype', data: new Uint8Array([0, 3 + Math.floor(random() * 100)]) }),
      () => ({ kind: 'truncated varint', data: new Uint8Array([0x80 | Math.floor(random() * 128)]) }),
      () => ({ kind: 'garbage state vector', data: syncFrame(SYNC_STEP_1, bytes(1 + Math.floor(random() * 12))) }),
      () => ({ kind: 'awareness array state', data: awarenessFrame([[Math.floor(random() * 1e6), 1, '[1,2]']]) }),
      () => ({ kind: 'awareness number state', data: awarenessFrame([[Math.floor(random() * 1e6), 1, '42']]) }),
      () => ({ kind: 'awareness bad JSON', data: awarenessFrame([[Math.floor(random() * 1e6), 1, '{"a":']]) }),
      () => ({ kind: 'truncated flushed', data: new Uint8Array([MESSAGE_FLUSHED, 0x80]) }),
    ]
    const generators: Array<[weight: number, make: () => Frame]> = [
      [20, () => ({ kind: 'random bytes', data: bytes(Math.floor(random() * 48)) })],
      [
        12,
        () => {
          const frame = syncFrame(SYNC_UPDATE, pick(pool))
          return { kind: 'truncated frame', data: frame.slice(0, 1 + Math.floor(random() * (frame.length - 1))) }
        },
      ],
      [3, () => ({ kind: 'oversized frame', data: bytes(MAX_MESSAGE_BYTES + 1 + Math.floor(random() * 4096)) })],
      [
        35,
        () => ({
          kind: 'mutated update',
          data: syncFrame(random() < 0.5 ? SYNC_UPDATE : SYNC_STEP_2, mutate(pick(pool), random)),
        }),
      ],
      [15, () => pick(junk)()],
      [
        5,
        () => {
          stranger.getMap('records').set(`shape:s${strangerUpdates.length}`, { typeName: 'shape', x: 0 })
          return { kind: 'valid update', data: syncFrame(SYNC_UPDATE, strangerUpdates[strangerUpdates.length - 1]) }
        },
      ],
      [
        5,
        () => ({
          kind: 'valid awareness',
          data: awarenessFrame([[Math.floor(random() * 1e6), 1, '{"user":{"name":"F"}}']]),
        }),
      ],
      [3, () => ({ kind: 'sync step 1', data: syncFrame(SYNC_STEP_1, Y.encodeStateVector(stranger)) })],
      [2, () => ({ kind: 'query awareness', data: new Uint8Array([MESSAGE_QUERY_AWARENESS]) })],
    ]
    const totalWeight = generators.reduce((sum, [w]) => sum + w, 0)
    const nextFrame = (): Frame => {
      let r = random() * totalWeight
      for (const [w, make] of generators) {
        if ((r -= w) < 0) return make()
      }
      return generators[0][1]()
    }

    const accepted: Uint8Array[] = []
    const closes = new Map<string, number>()
    const badCodes: string[] = []
    let sent = 0
    let resyncs = 0
    let probe = 1_000_000
    const started = Date.now()

    const openLane = async (): Promise<RawSocket> => {
      const raw = openRawSocket(syncUrl(s, boardId, s.token), cleanup)
      await waitFor(() => raw.messages.some(isSyncStep1) || raw.closeInfo, { message: 'a fuzz socket to open' })
      if (raw.closeInfo) throw new Error(`a fuzz socket was refused: ${raw.closeInfo.code} ${raw.closeInfo.reason}`)
      // Its (empty) sync step 2: from now on an update with missing dependencies is refused at once.
      raw.send(syncFrame(SYNC_STEP_2, Y.encodeStateAsUpdate(new Y.Doc())))
      return raw
    }

    const lane = async () => {
      let raw = await openLane()
      while (sent < FRAMES && Date.now() - started < TIME_BUDGET_MS) {
        const frame = nextFrame()
        const seq = probe++
        sent++
        if (sent % 100 === 0) edit()
        const answer = Buffer.from(encodeFlushed(seq))
        let read = raw.messages.length
        let resynced = false
        raw.send(frame.data)
        raw.send(encodeFlushed(seq))
        const outcome = await waitFor(
          () => {
            for (; read < raw.messages.length; read++) {
              const m = raw.messages[read]
              if (answer.equals(m)) return 'answered'
              // The server asks for what an update builds on: this client has nothing to give.
              if (isSyncStep1(m) && raw.ws.readyState === raw.ws.OPEN) {
                resynced = true
                raw.send(syncFrame(SYNC_STEP_2, Y.encodeStateAsUpdate(new Y.Doc())))
              }
            }
            return raw.closeInfo ? 'closed' : null
          },
          { message: `the server to answer or close after a ${frame.kind}` },
        )
        if (outcome === 'answered') {
          const update = updateOf(frame.data)
          if (resynced) resyncs++
          else if (update) accepted.push(update)
          continue
        }
        const { code, reason } = raw.closeInfo!
        const key = `${code} ${frame.kind}`
        closes.set(key, (closes.get(key) ?? 0) + 1)
        const clear = code === CloseCode.MessageTooBig || (code === CloseCode.BadMessage && reason.length > 0)
        if (!clear) badCodes.push(`${frame.kind}: ${code} "${reason}"`)
        raw = await openLane()
      }
      raw.ws.close()
    }
    await Promise.all(Array.from({ length: LANES }, lane))

    const refused = [...closes.values()].reduce((a, b) => a + b, 0)
    console.info(
      `fuzz: ${sent} frames in ${Date.now() - started} ms, ${refused} refused (closed), ${sent - refused} answered ` +
        `(${accepted.length} updates taken, ${resyncs} updates set aside for lack of what they build on); ` +
        `closes by code and kind: ${JSON.stringify(Object.fromEntries(closes))}`,
    )
    expect(badCodes).toEqual([])
    expect(sent).toBeGreaterThanOrEqual(Math.min(FRAMES, 1_000))
    expect(refused).toBeGreaterThan(sent / 3)

    // The writers were never disturbed and still sync.
    edit()
    const last = `shape:w${edits - 1}`
    await waitFor(() => writers.every((w) => w.doc.getMap('records').has(last)), { message: 'a last edit to arrive' })
    for (const writer of writers) expect(writer.statuses.filter((st) => st === 'connected')).toHaveLength(1)

    // Exactly what the accepted writes made: the writers' edits plus every update the server took.
    const expected = new Y.Doc()
    for (const writer of writers) Y.applyUpdate(expected, Y.encodeStateAsUpdate(writer.doc))
    for (const update of accepted) Y.applyUpdate(expected, update)
    expect(expected.store.pendingStructs).toBeNull()

    const fresh = connectClient(s, boardId, cleanup)
    await waitFor(() => fresh.provider.synced, { message: 'a fresh client to sync after the fuzzing' })
    const state = (doc: Y.Doc) => Y.encodeStateAsUpdate(doc)
    await waitFor(() => Buffer.from(state(fresh.doc)).equals(state(expected)), {
      message: 'the fresh client to hold exactly the accepted writes',
    })
    expect(fresh.doc.getMap('records').toJSON()).toEqual(expected.getMap('records').toJSON())
    expect(fresh.doc.getMap('meta').get('title')).toBe('Fuzzed')

    const stored = new Y.Doc()
    for (const update of (await s.server.storage.loadUpdates(boardId as BoardId)).updates) Y.applyUpdate(stored, update)
    expect(Buffer.from(state(stored)).equals(state(expected))).toBe(true)
    expect(stored.store.pendingStructs).toBeNull()
    expect(stored.store.pendingDs).toBeNull()

    const health = await fetch(`${s.url}/healthz`)
    expect(health.status).toBe(200)
  }, 40_000)
})
