/**
 * Cold open of a 5,000-shape board: the board is stored (compacted) and not loaded; a client
 * connects and asks for everything. Measures the server's load (from its log), the bytes it sends
 * and the time to the first full sync, then the HTTP scope export of the loaded board.
 */
import WebSocket from 'ws'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import { recordsMap } from '../shared/doc/layout.ts'
import { MESSAGE_SYNC, SYNC_STEP_2 } from '../shared/sync/protocol.ts'
import { createBoard, logLines, seedBoard, wsUrlOf } from './boards.ts'
import { generateBoard } from './export.ts'
import { until } from './fanout.ts'
import { startServerProcess } from './serverProcess.ts'
import { encodeSyncStep1 } from './syncFrames.ts'

/** Boards unload this soon after their last client leaves, so the open is cold. */
const IDLE_MS = 300
const COLD_OPENS = 3

export interface ColdOpenResult {
  cards: number
  /** Cards and the arrows linking them. */
  shapes: number
  records: number
  storedRows: number
  opens: Array<{ serverLoadMs: number; bytesSent: number; firstSyncMs: number }>
  scopeJsonColdMs: number
  scopeJsonWarmMs: number
  scopeJsonBytes: number
}

export async function benchColdOpen(): Promise<ColdOpenResult> {
  const server = await startServerProcess({ keepOutput: true, env: { SCOPEBOARD_ROOM_IDLE_MS: String(IDLE_MS) } })
  try {
    const { records, cards } = generateBoard()
    const shapes = records.filter((r) => r.typeName === 'shape').length
    const id = await createBoard(server, 'cold open')
    await seedBoard(server, id, records)
    const opens: ColdOpenResult['opens'] = []
    const isUnloaded = () => logLines(server, 'room unloaded').length >= logLines(server, 'room loaded').length
    for (let i = 0; i < COLD_OPENS; i++) {
      await until(isUnloaded, 10_000, 'the board to unload')
      const loadedBefore = logLines(server, 'room loaded').length
      const open = await openOnce(wsUrlOf(server), id, server.token, records.length)
      await until(() => logLines(server, 'room loaded').length > loadedBefore, 5_000, 'the load to be logged')
      opens.push({ ...open, serverLoadMs: logLines(server, 'room loaded').at(-1)!.ms ?? NaN })
    }
    const storedRows = logLines(server, 'room loaded').at(-1)!.updates ?? NaN
    // The HTTP export of the same board: the first request loads it, the next find it loaded.
    const exports: number[] = []
    let scopeJsonBytes = 0
    for (let i = 0; i < 3; i++) {
      const started = performance.now()
      const res = await fetch(`${server.url}/api/boards/${id}/scope.json`, {
        headers: { Authorization: `Bearer ${server.token}` },
      })
      scopeJsonBytes = (await res.arrayBuffer()).byteLength
      exports.push(performance.now() - started)
      if (res.status !== 200) throw new Error(`scope.json answered ${res.status}`)
    }
    return {
      cards,
      shapes,
      records: records.length,
      storedRows,
      opens,
      scopeJsonColdMs: exports[0],
      scopeJsonWarmMs: Math.min(...exports.slice(1)),
      scopeJsonBytes,
    }
  } finally {
    await server.stop()
  }
}

/** Connects, sends an empty state vector, and waits for the server's sync step 2. */
function openOnce(wsUrl: string, boardId: string, token: string, expected: number) {
  return new Promise<{ serverLoadMs: number; bytesSent: number; firstSyncMs: number }>((resolve, reject) => {
    const started = performance.now()
    const doc = new Y.Doc()
    let bytes = 0
    const ws = new WebSocket(`${wsUrl}/${boardId}?token=${encodeURIComponent(token)}`)
    const timer = setTimeout(() => {
      ws.terminate()
      reject(new Error('no sync step 2 within 30 s'))
    }, 30_000)
    ws.on('open', () => ws.send(encodeSyncStep1(doc)))
    ws.on('message', (data: Buffer) => {
      bytes += data.byteLength
      const decoder = decoding.createDecoder(new Uint8Array(data))
      if (decoding.readVarUint(decoder) !== MESSAGE_SYNC || decoding.readVarUint(decoder) !== SYNC_STEP_2) return
      Y.applyUpdate(doc, decoding.readVarUint8Array(decoder))
      const firstSyncMs = performance.now() - started
      clearTimeout(timer)
      const size = recordsMap(doc).size
      ws.close()
      doc.destroy()
      if (size !== expected) reject(new Error(`the first sync brought ${size} records, not ${expected}`))
      else resolve({ serverLoadMs: NaN, bytesSent: bytes, firstSyncMs })
    })
    ws.on('error', reject)
  })
}

export function printColdOpen(r: ColdOpenResult): void {
  console.log(
    `\nCold open of a ${r.cards.toLocaleString('en')}-card board (${r.shapes.toLocaleString('en')} shapes with the arrows, ${r.records.toLocaleString('en')} records, ${r.storedRows} stored row), unloaded before each open`,
  )
  console.table(
    r.opens.map((o, i) => ({
      open: i + 1,
      'server load ms': o.serverLoadMs,
      'bytes sent': o.bytesSent.toLocaleString('en'),
      'first sync ms': o.firstSyncMs.toFixed(1),
    })),
  )
  console.log(
    `scope.json over HTTP: ${r.scopeJsonColdMs.toFixed(1)} ms with the board unloaded, ${r.scopeJsonWarmMs.toFixed(1)} ms loaded (${(r.scopeJsonBytes / 1024).toFixed(0)} KiB)`,
  )
}
