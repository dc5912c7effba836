/**
 * Sync clients for integration tests: stock y-websocket providers (what any Yjs app would use)
 * and a raw `ws` socket that records every frame and the close, for protocol-level checks.
 */
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import { MESSAGE_AUTH, MESSAGE_SYNC, SYNC_STEP_1 } from '../../shared/sync/protocol.ts'

/** Undoes what a test set up; run in afterEach so a failed test leaves nothing open. */
export class Cleanup {
  private readonly tasks: Array<() => unknown> = []

  add(task: () => unknown): void {
    this.tasks.push(task)
  }

  /** Newest first, like a stack; one failing task does not skip the others. */
  async run(): Promise<void> {
    const errors: unknown[] = []
    while (this.tasks.length > 0) {
      const task = this.tasks.pop()!
      try {
        await task()
      } catch (error) {
        errors.push(error)
      }
    }
    if (errors.length > 0) throw errors[0]
  }
}

export type ProviderStatus = 'connected' | 'disconnected' | 'connecting'

export interface SyncClient {
  readonly doc: Y.Doc
  readonly provider: WebsocketProvider
  /** Every 'status' event, in order. */
  readonly statuses: ProviderStatus[]
  /** Every terminal close the provider reported ('closed' event: it stopped reconnecting). */
  readonly terminalCloses: Array<{ code: number; reason: string }>
  /** Reasons of the permission-denied messages the server sent (a dropped write). */
  readonly denials: string[]
  destroy(): void
}

export interface SyncClientOptions {
  /** Defaults to the workspace token; null connects without one. */
  token?: string | null
  maxBackoffTime?: number
  shouldReconnect?: (event: CloseEvent) => boolean
}

/** A stock y-websocket provider on `/sync/<boardId>?token=…`, destroyed by `cleanup`. */
export function connectClient(
  server: { wsUrl: string; token: string },
  boardId: string,
  cleanup: Cleanup,
  options: SyncClientOptions = {},
): SyncClient {
  const token = options.token === undefined ? server.token : options.token
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(server.wsUrl, boardId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: token === null ? {} : { token },
    ...(options.maxBackoffTime !== undefined ? { maxBackoffTime: options.maxBackoffTime } : {}),
    ...(options.shouldReconnect ? { shouldReconnect: options.shouldReconnect } : {}),
  })
  const statuses: ProviderStatus[] = []
  const terminalCloses: Array<{ code: number; reason: string }> = []
  provider.on('status', ({ status }) => statuses.push(status))
  provider.on('closed', (event) => terminalCloses.push({ code: event.code, reason: event.reason }))
  const denials: string[] = []
  // Instead of y-websocket's console warning: [2, 0, reason].
  provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
    decoding.readVarUint(decoder)
    denials.push(decoding.readVarString(decoder))
  }
  // The constructor connects before we could listen; record that first attempt too.
  if (provider.wsconnecting) statuses.push('connecting')
  let destroyed = false
  const client: SyncClient = {
    doc,
    provider,
    statuses,
    terminalCloses,
    denials,
    destroy() {
      if (destroyed) return
      destroyed = true
      provider.destroy()
      doc.destroy()
    },
  }
  cleanup.add(() => client.destroy())
  return client
}

export interface CloseInfo {
  code: number
  reason: string
  /** How many frames had arrived when the close did. */
  messagesBeforeClose: number
}

export interface RawSocket {
  readonly ws: WebSocket
  /** Every frame received, as bytes (text frames as their UTF-8 bytes). */
  readonly messages: Uint8Array[]
  readonly opened: Promise<void>
  readonly closed: Promise<CloseInfo>
  readonly closeInfo: CloseInfo | null
  send(data: Uint8Array | string): void
}

/** A raw WebSocket client; unexpected errors surface through `closed` rather than crashing. */
export function openRawSocket(
  url: string,
  cleanup: Cleanup,
  options: { headers?: Record<string, string> } = {},
): RawSocket {
  const ws = new WebSocket(url, { headers: options.headers })
  const messages: Uint8Array[] = []
  let closeInfo: CloseInfo | null = null
  ws.binaryType = 'nodebuffer'
  ws.on('message', (data: Buffer) => messages.push(new Uint8Array(data)))
  ws.on('error', () => undefined)
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('close', () => reject(new Error('the socket closed before it opened')))
  })
  opened.catch(() => undefined)
  const closed = new Promise<CloseInfo>((resolve) => {
    ws.once('close', (code, reason) => {
      closeInfo = { code, reason: reason.toString('utf8'), messagesBeforeClose: messages.length }
      resolve(closeInfo)
    })
  })
  cleanup.add(() => {
    if (ws.readyState !== ws.CLOSED) ws.terminate()
  })
  return {
    ws,
    messages,
    opened,
    closed,
    get closeInfo() {
      return closeInfo
    },
    send(data) {
      ws.send(data, { binary: typeof data !== 'string' })
    },
  }
}

/** `ws://…/sync/<boardId>?token=…` for raw sockets. */
export function syncUrl(server: { wsUrl: string }, boardId: string, token?: string | null): string {
  const query = token ? `?token=${encodeURIComponent(token)}` : ''
  return `${server.wsUrl}/${boardId}${query}`
}

/** True for a server sync step 1, which the server sends once the board has loaded. */
export function isSyncStep1(frame: Uint8Array): boolean {
  return frame.length >= 2 && frame[0] === MESSAGE_SYNC && frame[1] === SYNC_STEP_1
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  syncProtocol.writeSyncStep1(encoder, doc)
  return encoding.toUint8Array(encoder)
}

export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** The doc's shared types as plain JSON, for comparing what two clients hold. */
export function snapshot(doc: Y.Doc): {
  records: Record<string, unknown>
  list: unknown[]
  meta: Record<string, unknown>
} {
  return {
    records: doc.getMap('records').toJSON(),
    list: doc.getArray('list').toJSON(),
    meta: doc.getMap('meta').toJSON(),
  }
}
