/**
 * One client's sync socket. Decodes every frame inside try/catch (a throw inside a `ws` callback
 * would take the whole process down), dispatches on the message type, and holds frames that arrive
 * before the board has loaded so the client is never answered from an empty document.
 *
 * It also holds the client to its limits and its role:
 *   - a token bucket bounds its message rate (4429 beyond it);
 *   - awareness updates are bounded and must carry objects (4400);
 *   - its document updates go to the room one after another, each with the connection's write
 *     scope (its role): an update the role does not allow is dropped, never stored or broadcast,
 *     and answered with a permission-denied message; the socket stays open;
 *   - an update that builds on changes the server lacks is not applied; the client's next sync
 *     step 2 brings those changes and the update's own (see `settle`); a client that keeps
 *     sending such updates is closed (4400);
 *   - a client that stops reading is closed (1013) before its queue holds much server memory.
 */
import * as decoding from 'lib0/decoding'
import type WebSocket from 'ws'
import { can } from '../../shared/auth/roles.ts'
import { COMMENTS_KEY } from '../../shared/doc/layout.ts'
import type { BoardId } from '../../shared/ids.ts'
import {
  CloseCode,
  encodeFlushed,
  encodePermissionDenied,
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_FLUSHED,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  readFlushed,
  SYNC_STEP_1,
  SYNC_STEP_2,
  SYNC_UPDATE,
} from '../../shared/sync/protocol.ts'
import type { Access } from '../auth/tokens.ts'
import {
  MAX_AWARENESS_CLIENTS_PER_CONNECTION,
  MAX_RESYNC_REQUESTS,
  MAX_QUEUED_FRAMES_BEFORE_LOAD,
  SLOW_CONSUMER_CLOSE_TIMEOUT_MS,
  type SyncLimits,
} from '../config.ts'
import type { Logger } from '../log.ts'
import { checkAwarenessUpdate } from './awarenessCheck.ts'
import { decodeUpdate, MalformedUpdate, type DecodedUpdate } from './decodedUpdate.ts'
import { ProtocolError } from './ProtocolError.ts'
import { WRITE_ALL, type Room, type RoomOrigin, type RoomPeer, type WriteScope } from './Room.ts'
import type { RoomRegistry } from './RoomRegistry.ts'
import { TokenBucket } from './TokenBucket.ts'
import { assertNever } from '../../shared/assertNever.ts'

type ConnectionState = { kind: 'loading'; queued: Uint8Array[] } | { kind: 'open'; room: Room } | { kind: 'closed' }

export const VIEW_ONLY_REASON = 'view-only link: edits are not accepted'
export const COMMENT_ONLY_REASON = 'comment-only link: only comments can be changed'
export const MISSING_DEPENDENCIES_REASON = 'update depends on changes the server does not have'

/** What a connection may write, from how it signed in. */
export function writeScopeFor(access: Access): WriteScope {
  if (access.kind === 'workspace' || can(access.role, 'edit')) return WRITE_ALL
  if (can(access.role, 'comment')) return { kind: 'inside', root: COMMENTS_KEY }
  return { kind: 'none' }
}

/** Client ids whose writes a connection had dropped, kept to this many. */
const MAX_DROPPED_CLIENTS = 1_024

let nextConnectionId = 1

export class Connection implements RoomPeer {
  readonly id = nextConnectionId++
  readonly awarenessIds = new Set<number>()
  /** Cleared on every pong; a ping that finds it cleared marks the socket dead. */
  alive = true
  /** Updates this connection sent that its role did not allow. */
  droppedWrites = 0
  private state: ConnectionState = { kind: 'loading', queued: [] }
  private readonly scope: WriteScope
  private readonly origin: RoomOrigin = { kind: 'peer', peer: this }
  private readonly bucket: TokenBucket
  /** This connection's writes, one after another. */
  private writes: Promise<void> = Promise.resolve()
  /** Its "flushed" answers, in order, each after the writes sent before it. */
  private flushes: Promise<void> = Promise.resolve()
  private sentStep2 = false
  /**
   * Set while a write was not applied for lack of what it builds on: settled by the client's next
   * sync step 2, which carries it. "Flushed" answers wait for it, so "saved" stays true.
   */
  private awaitingStep2: { settled: Promise<void>; settle: () => void; asked: boolean } | null = null
  private resyncRequests = 0
  /** Later updates of these clients build on a dropped one, and are dropped too. */
  private readonly droppedClients = new Set<number>()
  private largestFrameSent = 0

  readonly boardId: BoardId
  readonly access: Access
  readonly principal: string
  private readonly registry: RoomRegistry
  private readonly log: Logger
  private readonly limits: SyncLimits
  private readonly onEnded: () => void

  constructor(
    private readonly ws: WebSocket,
    options: {
      boardId: BoardId
      access: Access
      registry: RoomRegistry
      log: Logger
      limits: SyncLimits
      /** Called once, as soon as the connection is over for the server (before the socket is). */
      onEnded?: () => void
    },
  ) {
    const { boardId, access, registry } = options
    this.boardId = boardId
    this.access = access
    this.principal = access.kind === 'workspace' ? 'workspace' : `link:${access.linkId}`
    this.registry = registry
    this.log = options.log
    this.limits = options.limits
    this.onEnded = options.onEnded ?? (() => undefined)
    this.scope = writeScopeFor(access)
    const limits = this.limits
    this.bucket = new TokenBucket(limits.messageRatePerSecond, limits.messageBurst)
    ws.binaryType = 'nodebuffer'
    ws.on('message', (data, isBinary) => this.onFrame(data, isBinary))
    ws.on('close', () => this.onClosed())
    ws.on('error', (error) => this.log.warn({ conn: this.id, err: error.message }, 'socket error'))
    ws.on('pong', () => {
      this.alive = true
    })
    registry.get(boardId).then(
      (room) => this.onRoomLoaded(room),
      (error: Error) => {
        this.log.error({ board: boardId, err: error }, 'board failed to load')
        this.close(CloseCode.InternalError, 'the board could not be loaded')
      },
    )
  }

  get isOpen(): boolean {
    return this.state.kind !== 'closed'
  }

  /**
   * Sends unless the client has stopped reading. The bound is at least twice the largest frame
   * this connection was sent, so a whole board in one sync step 2 never trips it by itself.
   */
  send(message: Uint8Array): void {
    if (this.ws.readyState !== this.ws.OPEN) return
    if (this.ws.bufferedAmount > Math.max(this.limits.maxBufferedBytes, 2 * this.largestFrameSent)) {
      this.dropSlowConsumer()
      return
    }
    if (message.byteLength > this.largestFrameSent) this.largestFrameSent = message.byteLength
    this.ws.send(message)
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) {
      this.ws.close(code, reason)
    }
    this.onClosed()
  }

  /** Called by the heartbeat: drop a socket that did not answer the last ping. */
  heartbeat(): void {
    if (!this.alive) {
      this.log.info({ conn: this.id, board: this.boardId }, 'connection timed out')
      this.ws.terminate()
      this.onClosed()
      return
    }
    this.alive = false
    this.ws.ping()
  }

  private dropSlowConsumer(): void {
    this.log.warn(
      { conn: this.id, board: this.boardId, buffered: this.ws.bufferedAmount },
      'connection stopped reading; closed',
    )
    this.ws.close(CloseCode.TryAgainLater, 'the connection fell too far behind: reconnect')
    // The close frame waits behind everything queued; a client that never reads never gets it.
    setTimeout(() => this.ws.terminate(), SLOW_CONSUMER_CLOSE_TIMEOUT_MS).unref()
    this.onClosed()
  }

  private onRoomLoaded(room: Room): void {
    if (this.state.kind !== 'loading') {
      this.registry.release(room)
      return
    }
    const { queued } = this.state
    this.state = { kind: 'open', room }
    room.addPeer(this)
    for (const frame of queued) {
      if (this.state.kind !== 'open') break
      this.handle(frame, room)
    }
  }

  private onFrame(data: WebSocket.RawData, isBinary: boolean): void {
    try {
      if (this.state.kind === 'closed') return
      if (!this.bucket.take()) {
        throw new ProtocolError(
          CloseCode.TooManyRequests,
          `too many messages: at most ${this.limits.messageRatePerSecond} a second`,
        )
      }
      if (!isBinary)
        throw new ProtocolError(CloseCode.BadMessage, 'text frames are not part of the protocol: send binary')
      const frame = toBytes(data)
      switch (this.state.kind) {
        case 'loading':
          if (this.state.queued.length >= MAX_QUEUED_FRAMES_BEFORE_LOAD) {
            throw new ProtocolError(CloseCode.BadMessage, 'too many messages before the board loaded')
          }
          this.state.queued.push(frame)
          return
        case 'open':
          this.handle(frame, this.state.room)
          return
        default:
          return assertNever(this.state)
      }
    } catch (error) {
      this.refuse(error)
    }
  }

  private handle(frame: Uint8Array, room: Room): void {
    try {
      this.dispatch(frame, room)
    } catch (error) {
      this.refuse(error)
    }
  }

  private dispatch(frame: Uint8Array, room: Room): void {
    if (frame.byteLength === 0) throw new ProtocolError(CloseCode.BadMessage, 'empty message')
    const decoder = decoding.createDecoder(frame)
    const type = decoding.readVarUint(decoder)
    switch (type) {
      case MESSAGE_SYNC:
        this.handleSync(decoder, room)
        return
      case MESSAGE_AWARENESS:
        this.handleAwareness(decoding.readVarUint8Array(decoder), room)
        return
      case MESSAGE_QUERY_AWARENESS:
        this.send(room.encodeAwarenessStates())
        return
      case MESSAGE_FLUSHED: {
        const seq = readFlushed(decoder)
        // After this connection's writes so far, and the step 2 any of them is waiting for.
        const written = this.writes
        this.flushes = this.flushes
          .then(() => written)
          .then(() => this.awaitingStep2?.settled)
          .then(() => room.flushed())
          .then(
            () => this.send(encodeFlushed(seq)),
            () => undefined,
          )
        return
      }
      case MESSAGE_AUTH:
        throw new ProtocolError(CloseCode.BadMessage, 'auth messages only travel from server to client')
      default:
        throw new ProtocolError(CloseCode.BadMessage, `unknown message type ${type}`)
    }
  }

  private handleSync(decoder: decoding.Decoder, room: Room): void {
    const subtype = decoding.readVarUint(decoder)
    switch (subtype) {
      case SYNC_STEP_1:
        this.send(room.encodeSyncStep2(decoding.readVarUint8Array(decoder)))
        return
      case SYNC_STEP_2:
      case SYNC_UPDATE: {
        // Decoded whole now, so a broken update is refused before anything else happens.
        const update = decodeUpdate(decoding.readVarUint8Array(decoder))
        const isStep2 = subtype === SYNC_STEP_2
        this.writes = this.writes
          .then(() => this.write(room, update, isStep2))
          .catch((error: unknown) => {
            if (room.isOpen) this.refuse(error)
          })
        return
      }
      default:
        throw new ProtocolError(CloseCode.BadMessage, `unknown sync message type ${subtype}`)
    }
  }

  /**
   * Presence: what a connection may say is decided by the room (Room.awarenessSpeech). Entries
   * for other people's clients — echoes, forwarded removals, or a spoof — are left out and logged,
   * never applied; the connection stays open, since a stock client sends them in good faith.
   * Speaking for more than MAX_AWARENESS_CLIENTS_PER_CONNECTION clients of one's own is abuse
   * (4400).
   */
  private handleAwareness(update: Uint8Array, room: Room): void {
    const entries = checkAwarenessUpdate(update, this.limits.maxAwarenessBytes)
    const { own, others } = room.awarenessSpeech(entries, this)
    const announced = new Set([...this.awarenessIds, ...own.filter((e) => !e.removed).map((e) => e.clientId)])
    if (announced.size > MAX_AWARENESS_CLIENTS_PER_CONNECTION) {
      throw new ProtocolError(
        CloseCode.BadMessage,
        `awareness for more than ${MAX_AWARENESS_CLIENTS_PER_CONNECTION} clients on one connection`,
      )
    }
    if (others > 0) {
      this.log.debug({ conn: this.id, board: this.boardId, entries: others }, "awareness for others' clients left out")
    }
    room.applyAwareness(own, this)
  }

  private async write(room: Room, update: DecodedUpdate, isStep2: boolean): Promise<void> {
    if (this.state.kind !== 'open') return
    await this.settle(room, update, isStep2)
    if (isStep2) this.sentStep2 = true
  }

  /**
   * Applies one update, or deals with why it was not:
   *   - the role does not allow it: dropped and told (`dropped`);
   *   - it builds on changes the server lacks: not applied, and not needed either, because the
   *     client's next sync step 2 carries everything the server lacks, this update's changes
   *     included. Before the client's first step 2 that is on its way already (y-websocket sends
   *     local edits as soon as the socket opens); after it — another tab may have handed this
   *     client changes the server has not seen — the server asks for one by sending its sync
   *     step 1. A client whose answers keep bringing nothing gets MAX_RESYNC_REQUESTS such
   *     requests, then the socket is closed (4400).
   */
  private async settle(room: Room, update: DecodedUpdate, isStep2: boolean): Promise<void> {
    const result = await room.applyUpdate(update, this.origin, this.scope)
    switch (result.kind) {
      case 'applied':
      case 'unchanged':
        if (isStep2) {
          if (result.kind === 'applied') this.resyncRequests = 0
          this.stopAwaitingStep2()
        }
        return
      case 'forbidden':
        if (isStep2) this.stopAwaitingStep2()
        return this.dropped(result.writers)
      case 'missing': {
        if (result.needs.some((client) => this.droppedClients.has(client))) {
          if (isStep2) this.stopAwaitingStep2()
          return this.dropped(result.writers)
        }
        const waiting = this.startAwaitingStep2()
        // The first step 2 is on its way; a request already sent awaits its answer.
        if ((!this.sentStep2 || waiting.asked) && !isStep2) return
        if (this.resyncRequests >= MAX_RESYNC_REQUESTS) {
          throw new ProtocolError(CloseCode.BadMessage, MISSING_DEPENDENCIES_REASON)
        }
        this.resyncRequests++
        waiting.asked = true
        this.send(room.encodeSyncStep1())
        return
      }
      default:
        return assertNever(result)
    }
  }

  private startAwaitingStep2(): { settled: Promise<void>; settle: () => void; asked: boolean } {
    if (!this.awaitingStep2) {
      let settle!: () => void
      const settled = new Promise<void>((resolve) => (settle = resolve))
      this.awaitingStep2 = { settled, settle, asked: false }
    }
    return this.awaitingStep2
  }

  private stopAwaitingStep2(): void {
    this.awaitingStep2?.settle()
    this.awaitingStep2 = null
  }

  /**
   * A write the role does not allow: counted, logged (the first at warn), and answered with
   * y-protocols' permission-denied message. Closing instead would lock out a browser whose local
   * copy holds such a change: it sends it again in the sync step 2 of every reconnect.
   */
  private dropped(writers: number[]): void {
    this.droppedWrites++
    for (const client of writers) {
      if (this.droppedClients.size < MAX_DROPPED_CLIENTS) this.droppedClients.add(client)
    }
    const reason = this.scope.kind === 'none' ? VIEW_ONLY_REASON : COMMENT_ONLY_REASON
    const fields = { conn: this.id, board: this.boardId, dropped: this.droppedWrites }
    if (this.droppedWrites === 1) this.log.warn(fields, `dropped a write: ${reason}`)
    else this.log.debug(fields, `dropped a write: ${reason}`)
    this.send(encodePermissionDenied(reason))
  }

  private refuse(error: unknown): void {
    let code: number = CloseCode.BadMessage
    let reason: string
    if (error instanceof ProtocolError) {
      code = error.code
      reason = error.message
    } else if (error instanceof MalformedUpdate) {
      reason = error.message
    } else {
      reason = `malformed message: ${error instanceof Error ? error.message : String(error)}`
    }
    this.log.warn({ conn: this.id, board: this.boardId, code, reason }, 'connection refused a frame')
    this.close(code, truncateReason(reason))
  }

  private onClosed(): void {
    const previous = this.state
    if (previous.kind === 'closed') return
    this.state = { kind: 'closed' }
    this.stopAwaitingStep2()
    this.onEnded()
    if (previous.kind === 'open') {
      previous.room.removePeer(this)
      this.registry.release(previous.room)
    }
  }
}

function toBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data))
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

/** A close reason may be at most 123 bytes of UTF-8. */
export function truncateReason(reason: string): string {
  if (Buffer.byteLength(reason) <= 123) return reason
  let out = reason
  while (Buffer.byteLength(out) > 120) out = out.slice(0, -1)
  return out + '…'
}
