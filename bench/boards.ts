/** Helpers for the benchmarks that need boards with content on a server child process. */
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { recordsMap } from '../shared/doc/layout.ts'
import { until } from './fanout.ts'
import type { ServerProcess } from './serverProcess.ts'

export async function createBoard(server: ServerProcess, title: string): Promise<string> {
  const res = await fetch(`${server.url}/api/boards`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ title }),
  })
  if (res.status !== 201) throw new Error(`creating a board answered ${res.status}`)
  return ((await res.json()) as { id: string }).id
}

export function wsUrlOf(server: ServerProcess): string {
  return `${server.url.replace('http', 'ws')}/sync`
}

export function connect(server: ServerProcess, boardId: string, doc = new Y.Doc()): WebsocketProvider {
  return new WebsocketProvider(wsUrlOf(server), boardId, doc, {
    params: { token: server.token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  })
}

/** Puts the records on the board the way a client that made them offline does (one sync step 2). */
export async function seedBoard(server: ServerProcess, boardId: string, records: Array<Record<string, unknown>>) {
  const doc = new Y.Doc()
  const map = recordsMap(doc)
  doc.transact(() => {
    for (const r of records) map.set(r.id as string, r as never)
  })
  const provider = connect(server, boardId, doc)
  const check = connect(server, boardId)
  try {
    await until(() => provider.synced && check.synced, 60_000, 'the seeding client to sync')
    // A second client holding every record means the server stored them.
    await until(() => recordsMap(check.doc).size === records.length, 60_000, 'the seeded records to be stored')
  } finally {
    provider.destroy()
    check.destroy()
    doc.destroy()
  }
}

interface LogLine {
  msg?: string
  board?: string
  ms?: number
  updates?: number
}

/** The server's JSON log lines with this message (it must run with keepOutput). */
export function logLines(server: ServerProcess, msg: string): LogLine[] {
  const out: LogLine[] = []
  for (const line of server.output) {
    if (!line.startsWith('{')) continue
    try {
      const parsed = JSON.parse(line) as LogLine
      if (parsed.msg === msg) out.push(parsed)
    } catch {
      // not a log line
    }
  }
  return out
}
