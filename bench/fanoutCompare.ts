/**
 * Fan-out latency at several room sizes against Scopeboard (auth on, durable SQLite writes) and
 * against the plain reference server (`@y/websocket-server`: in memory, no auth, no persistence),
 * each as a fresh child process per room size, on the same load.
 */
import { startReferenceServer } from './referenceServer.ts'
import { measureFanout, type FanoutResult } from './fanout.ts'
import { startServerProcess } from './serverProcess.ts'

export const ROOM_SIZES = [10, 50, 100]
/** Each client edits about twice a second, as in a live session. */
export const EDITS_PER_CLIENT_PER_SECOND = 2
/** Each scenario runs about this long, and at least MIN_EDITS edits, so small rooms get enough samples. */
const SCENARIO_SECONDS = 8
const MIN_EDITS = 150
/** Goals from DESIGN.md: p99 under 25 ms at 50 clients, within 1.5× of the reference at p50 and p99. */
export const FANOUT_P99_GOAL_MS = 25
export const REFERENCE_RATIO_GOAL = 1.5

export interface FanoutComparison {
  clients: number
  scopeboard: FanoutResult
  reference: FanoutResult
  p50Ratio: number
  p99Ratio: number
}

function load(clients: number) {
  return {
    clients,
    intervalMs: 1000 / (clients * EDITS_PER_CLIENT_PER_SECOND),
    edits: Math.max(MIN_EDITS, clients * EDITS_PER_CLIENT_PER_SECOND * SCENARIO_SECONDS),
  }
}

async function onScopeboard(clients: number): Promise<FanoutResult> {
  const server = await startServerProcess({ logLevel: 'warn' })
  try {
    const created = await fetch(`${server.url}/api/boards`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: `bench ${clients}` }),
    })
    const { id } = (await created.json()) as { id: string }
    return await measureFanout({
      wsUrl: `${server.url.replace('http', 'ws')}/sync`,
      room: id,
      params: { token: server.token },
      ...load(clients),
    })
  } finally {
    await server.stop()
  }
}

async function onReference(clients: number): Promise<FanoutResult> {
  const server = await startReferenceServer()
  try {
    return await measureFanout({ wsUrl: server.wsUrl, room: `bench-${clients}`, params: {}, ...load(clients) })
  } finally {
    await server.stop()
  }
}

export async function compareFanout(sizes = ROOM_SIZES): Promise<FanoutComparison[]> {
  // y-websocket adds a process 'exit' listener per provider.
  process.setMaxListeners(Math.max(...sizes) + 10)
  const out: FanoutComparison[] = []
  for (const clients of sizes) {
    const reference = await onReference(clients)
    const scopeboard = await onScopeboard(clients)
    out.push({
      clients,
      scopeboard,
      reference,
      p50Ratio: scopeboard.p50Ms / reference.p50Ms,
      p99Ratio: scopeboard.p99Ms / reference.p99Ms,
    })
  }
  return out
}

export function printFanout(rows: FanoutComparison[]): void {
  console.log(
    `\nFan-out latency, one room, each client editing ~${EDITS_PER_CLIENT_PER_SECOND}/s: Scopeboard (auth, durable SQLite writes) vs @y/websocket-server 0.1.1 (in memory, no auth)`,
  )
  console.table(
    rows.map((r) => ({
      clients: r.clients,
      edits: r.scopeboard.edits,
      deliveries: r.scopeboard.samples,
      'ours p50 ms': r.scopeboard.p50Ms.toFixed(2),
      'ref p50 ms': r.reference.p50Ms.toFixed(2),
      'p50 ratio': r.p50Ratio.toFixed(2),
      'ours p99 ms': r.scopeboard.p99Ms.toFixed(2),
      'ref p99 ms': r.reference.p99Ms.toFixed(2),
      'p99 ratio': r.p99Ratio.toFixed(2),
      'ours max ms': r.scopeboard.maxMs.toFixed(2),
      'ref max ms': r.reference.maxMs.toFixed(2),
    })),
  )
}
