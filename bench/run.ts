/**
 * `npm run bench`: figures, not adjectives. Loopback only; every loop is bounded in count and time.
 * Prints a table per benchmark and writes bench-results/latest.json.
 */
import fs from 'node:fs'
import path from 'node:path'
import { benchExport, printExportBench } from './export.ts'
import { measureFanout, type FanoutResult } from './fanout.ts'
import { startServerProcess } from './serverProcess.ts'

const ROOM_SIZES = [2, 10, 50]
/** Each client edits about twice a second, as in a live session. */
const EDITS_PER_CLIENT_PER_SECOND = 2
/** Each scenario runs about this long, and at least MIN_EDITS edits, so small rooms get enough samples. */
const SCENARIO_SECONDS = 10
const MIN_EDITS = 100

async function main() {
  // The export benchmark is pure CPU work: it runs first, before the server and 50 clients load
  // the machine.
  const exportResult = benchExport()
  // y-websocket adds a process 'exit' listener per provider; 50 clients are expected here.
  process.setMaxListeners(Math.max(...ROOM_SIZES) + 10)
  const server = await startServerProcess()
  const results: FanoutResult[] = []
  try {
    for (const clients of ROOM_SIZES) {
      const created = await fetch(`${server.url}/api/boards`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ title: `bench ${clients}` }),
      })
      const { id } = (await created.json()) as { id: string }
      const intervalMs = 1000 / (clients * EDITS_PER_CLIENT_PER_SECOND)
      const edits = Math.max(MIN_EDITS, clients * EDITS_PER_CLIENT_PER_SECOND * SCENARIO_SECONDS)
      results.push(
        await measureFanout({
          url: server.url,
          token: server.token,
          boardId: id,
          clients,
          edits,
          intervalMs,
        }),
      )
    }
  } finally {
    await server.stop()
  }
  console.log('\nFan-out latency through the real server (durable SQLite writes, auth on)')
  console.table(
    results.map((r) => ({
      clients: r.clients,
      edits: r.edits,
      deliveries: r.samples,
      'p50 ms': r.p50Ms.toFixed(2),
      'p99 ms': r.p99Ms.toFixed(2),
      'max ms': r.maxMs.toFixed(2),
    })),
  )
  printExportBench(exportResult)
  const out = path.resolve('bench-results')
  fs.mkdirSync(out, { recursive: true })
  fs.writeFileSync(
    path.join(out, 'latest.json'),
    JSON.stringify(
      { at: new Date().toISOString(), node: process.version, fanout: results, export: exportResult },
      null,
      2,
    ) + '\n',
  )
  console.log(`written ${path.join(out, 'latest.json')}`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
