/**
 * One client's sync socket. Decodes every frame inside try/catch (a throw inside a `ws` callback
 * would take the whole process down), dispatches on the message type, and holds frames that arrive
 * before the board has loaded so the client is never answered from an empty document.
 */
import * as decoding from 'lib0/decoding'
import type WebSocket from 'ws'
import type { BoardId } from '../../shared/ids.ts'
import {
  CloseCode,
  encodeFlushed,
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
import { MAX_QUEUED_FRAMES_BEFORE_LOAD } from '../config.ts'
import type { Logger } from '../log.ts'
import type { Room, RoomPeer } from './Room.ts'
import type { RoomRegistry } from './RoomRegistry.ts'

type ConnectionState = { kind: 'loading'; queued: Uint8Array[] } | { kind: 'open'; room: Room } | { kind: 'closed' }

/** A refusal that closes the socket with a code and a reason the client can show. */
class ProtocolError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message)
  }
}

let nextConnectionId = 1

export class Connection implements RoomPeer {
  readonly id = nextConnectionId++
  readonly awarenessIds = new Set<number>()
  /** Cleared on every pong; a ping that finds it cleared marks the socket dead. */
  alive = true
  private state: ConnectionState = { kind: 'loading', queued: [] }

  constructor(
    private readonly ws: WebSocket,
    readonly boardId: BoardId,
    private readonly registry: RoomRegistry,
    private readonly log: Logger,
  ) {
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

  send(message: Uint8Array): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(message)
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
        case 'closed':
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
        room.applyAwareness(decoding.readVarUint8Array(decoder), this)
        return
      case MESSAGE_QUERY_AWARENESS:
        this.send(room.encodeAwarenessStates())
        return
      case MESSAGE_FLUSHED: {
        const seq = readFlushed(decoder)
        room.flushed().then(
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
        const update = decoding.readVarUint8Array(decoder)
        room.applyUpdate(update, { kind: 'peer', peer: this }).catch((error: Error) => {
          if (room.isOpen) this.refuse(error)
        })
        return
      }
      default:
        throw new ProtocolError(CloseCode.BadMessage, `unknown sync message type ${subtype}`)
    }
  }

  private refuse(error: unknown): void {
    const code = error instanceof ProtocolError ? error.code : CloseCode.BadMessage
    const detail = error instanceof Error ? error.message : String(error)
    const reason = error instanceof ProtocolError ? detail : `malformed message: ${detail}`
    this.log.warn({ conn: this.id, board: this.boardId, code, reason }, 'connection refused a frame')
    this.close(code, truncateReason(reason))
  }

  private onClosed(): void {
    const previous = this.state
    if (previous.kind === 'closed') return
    this.state = { kind: 'closed' }
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

function assertNever(value: never): never {
  throw new Error(`unexpected state ${JSON.stringify(value)}`)
}
