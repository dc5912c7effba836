/**
 * Server memory per loaded board and per connection, read from the child's resident set
 * (/proc/<pid>/status VmRSS), and whether boards unload once idle (SCOPEBOARD_ROOM_IDLE_MS).
 * RSS is coarse (V8 grows its heap in steps and rarely gives it back), so the per-item figures
 * are averages over many boards and connections.
 */
import type { WebsocketProvider } from 'y-websocket'
import { createBoard, connect, logLines, seedBoard } from './boards.ts'
import { generateBoard } from './export.ts'
import { until } from './fanout.ts'
import { rssOf } from './referenceServer.ts'
import { startServerProcess } from './serverProcess.ts'

const BOARDS = 20
/** Each board: 25 problems × 10 cards = 250 cards with their arrows. */
const PROBLEMS_PER_BOARD = 25
/** Connections added to one board, on top of one per board (the per-address limit is 100). */
const EXTRA_CONNECTIONS = 75
const IDLE_MS = 1_000

export interface MemoryResult {
  boards: number
  cardsPerBoard: number
  connections: number
  baselineRssMiB: number
  perBoardKiB: number
  perConnectionKiB: number
  idleUnloadMs: number
  loadedAfterIdle: number
  unloadedWithinMs: number
}

export async function benchMemory(): Promise<MemoryResult> {
  const server = await startServerProcess({ keepOutput: true, env: { SCOPEBOARD_ROOM_IDLE_MS: String(IDLE_MS) } })
  const providers: WebsocketProvider[] = []
  const pid = server.child.pid!
  try {
    const { records, cards } = generateBoard(PROBLEMS_PER_BOARD)
    const ids: string[] = []
    for (let i = 0; i < BOARDS; i++) {
      ids.push(await createBoard(server, `memory ${i}`))
      await seedBoard(server, ids[i], records)
    }
    const unloadedCount = () => logLines(server, 'room unloaded').length
    const loadedCount = () => logLines(server, 'room loaded').length
    await until(() => unloadedCount() >= loadedCount(), 20_000, 'the seeded boards to unload')
    const baseline = rssOf(pid)

    for (const id of ids) providers.push(connect(server, id))
    await until(() => providers.every((p) => p.synced), 30_000, 'a client on every board to sync')
    const withBoards = rssOf(pid)

    for (let i = 0; i < EXTRA_CONNECTIONS; i++) providers.push(connect(server, ids[0]))
    await until(() => providers.every((p) => p.synced), 30_000, 'the extra connections to sync')
    const withConnections = rssOf(pid)

    for (const p of providers.splice(0)) p.destroy()
    const left = performance.now()
    await until(() => unloadedCount() >= loadedCount(), IDLE_MS + 10_000, 'every board to unload once idle')
    const unloadedWithinMs = performance.now() - left
    return {
      boards: BOARDS,
      cardsPerBoard: cards,
      connections: BOARDS + EXTRA_CONNECTIONS,
      baselineRssMiB: baseline / 2 ** 20,
      perBoardKiB: (withBoards - baseline) / BOARDS / 1024,
      perConnectionKiB: (withConnections - withBoards) / EXTRA_CONNECTIONS / 1024,
      idleUnloadMs: IDLE_MS,
      loadedAfterIdle: loadedCount() - unloadedCount(),
      unloadedWithinMs,
    }
  } finally {
    for (const p of providers) p.destroy()
    await server.stop()
  }
}

export function printMemory(r: MemoryResult): void {
  console.log(
    `\nServer memory (child RSS), ${r.boards} boards of ${r.cardsPerBoard} cards, ${r.connections} connections`,
  )
  console.table([
    {
      'baseline MiB': r.baselineRssMiB.toFixed(1),
      'per loaded board KiB': Math.round(r.perBoardKiB),
      'per connection KiB': Math.round(r.perConnectionKiB),
      'idle unload after ms': r.idleUnloadMs,
      'all unloaded within ms': Math.round(r.unloadedWithinMs),
      'boards still loaded': r.loadedAfterIdle,
    },
  ])
}
