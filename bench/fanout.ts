/**
 * Fan-out latency: how long one client's edit takes to reach every other client in the room.
 * Each client edits in turn at a fixed pace (together, `clients × rate` edits a second); every
 * other client timestamps the edit when its doc observes it. All clients live in this process,
 * so the figures include their own work (decoding and applying every update) on the same cores.
 */
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'
import * as Y from 'yjs'

export interface FanoutResult {
  clients: number
  edits: number
  samples: number
  p50Ms: number
  p99Ms: number
  maxMs: number
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

export async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

export async function measureFanout(opts: {
  /** A provider's server URL (the room is appended). */
  wsUrl: string
  room: string
  /** Query parameters (the token), none for the reference server. */
  params: Record<string, string>
  clients: number
  edits: number
  intervalMs: number
}): Promise<FanoutResult> {
  const docs: Y.Doc[] = []
  const providers: WebsocketProvider[] = []
  const sentAt = new Map<string, number>()
  const latencies: number[] = []
  try {
    for (let i = 0; i < opts.clients; i++) {
      const doc = new Y.Doc()
      const provider = new WebsocketProvider(opts.wsUrl, opts.room, doc, {
        params: opts.params,
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
      })
      const map = doc.getMap<number>('bench')
      map.observe((event) => {
        if (event.transaction.local) return
        const now = performance.now()
        for (const key of event.keysChanged) {
          const sent = sentAt.get(key)
          if (sent !== undefined) latencies.push(now - sent)
        }
      })
      docs.push(doc)
      providers.push(provider)
    }
    await until(() => providers.every((p) => p.synced), 30_000, 'all clients to sync')
    // Paced against the clock, so a slow turn of the loop does not lower the rate.
    const started = performance.now()
    for (let e = 0; e < opts.edits; e++) {
      const due = started + e * opts.intervalMs
      const wait = due - performance.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      const writer = docs[e % docs.length]
      const key = `edit-${e}`
      sentAt.set(key, performance.now())
      writer.getMap<number>('bench').set(key, e)
    }
    const expected = opts.edits * (opts.clients - 1)
    await until(() => latencies.length >= expected, 30_000, `${expected} deliveries`)
    const sorted = [...latencies].sort((a, b) => a - b)
    return {
      clients: opts.clients,
      edits: opts.edits,
      samples: sorted.length,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted[sorted.length - 1],
    }
  } finally {
    for (const p of providers) p.destroy()
    for (const d of docs) d.destroy()
  }
}
