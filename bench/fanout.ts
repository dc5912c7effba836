/**
 * Fan-out latency: how long one client's edit takes to reach every other client in the room,
 * through the real server (durable writes included). Each client edits in turn at a fixed pace;
 * every other client timestamps the edit when its doc observes it.
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

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

export async function measureFanout(opts: {
  url: string
  token: string
  boardId: string
  clients: number
  edits: number
  intervalMs: number
}): Promise<FanoutResult> {
  const wsUrl = opts.url.replace('http', 'ws') + '/sync'
  const docs: Y.Doc[] = []
  const providers: WebsocketProvider[] = []
  const sentAt = new Map<string, number>()
  const latencies: number[] = []
  try {
    for (let i = 0; i < opts.clients; i++) {
      const doc = new Y.Doc()
      const provider = new WebsocketProvider(wsUrl, opts.boardId, doc, {
        params: { token: opts.token },
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
    for (let e = 0; e < opts.edits; e++) {
      const writer = docs[e % docs.length]
      const key = `edit-${e}`
      sentAt.set(key, performance.now())
      writer.getMap<number>('bench').set(key, e)
      await new Promise((r) => setTimeout(r, opts.intervalMs))
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
