/**
 * `npm run bench`: figures, not adjectives. Loopback only; every loop is bounded in count and time.
 * Prints a table per benchmark and writes bench-results/latest.json.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { benchColdOpen, printColdOpen } from './coldOpen.ts'
import { benchExport, printExportBench } from './export.ts'
import { compareFanout, FANOUT_P99_GOAL_MS, printFanout, REFERENCE_RATIO_GOAL } from './fanoutCompare.ts'
import { benchMemory, printMemory } from './memory.ts'
import { benchThroughput, printThroughput } from './throughput.ts'

async function main() {
  // y-websocket adds a process 'exit' listener per provider; up to 100 are open at once here.
  process.setMaxListeners(120)
  // The CPU-only benchmarks run first, before servers and clients load the machine.
  const exportResult = benchExport()
  const throughput = await benchThroughput()
  const fanout = await compareFanout()
  const coldOpen = await benchColdOpen()
  const memory = await benchMemory()

  printFanout(fanout)
  const at50 = fanout.find((r) => r.clients === 50)
  if (at50) {
    const ok =
      at50.scopeboard.p99Ms < FANOUT_P99_GOAL_MS &&
      at50.p50Ratio <= REFERENCE_RATIO_GOAL &&
      at50.p99Ratio <= REFERENCE_RATIO_GOAL
    console.log(
      `goal at 50 clients: p99 < ${FANOUT_P99_GOAL_MS} ms and within ${REFERENCE_RATIO_GOAL}× of the reference — ${ok ? 'met' : 'NOT met'}`,
    )
  }
  printThroughput(throughput)
  printColdOpen(coldOpen)
  printMemory(memory)
  printExportBench(exportResult)

  const out = path.resolve('bench-results')
  fs.mkdirSync(out, { recursive: true })
  fs.writeFileSync(
    path.join(out, 'latest.json'),
    JSON.stringify(
      {
        at: new Date().toISOString(),
        node: process.version,
        cpus: os.cpus().length,
        fanout,
        throughput,
        coldOpen,
        memory,
        export: exportResult,
      },
      null,
      2,
    ) + '\n',
  )
  console.log(`written ${path.join(out, 'latest.json')}`)
}

// Exit explicitly: a closed provider's reconnect timer or a child's pipe must not keep the run alive.
main().then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
