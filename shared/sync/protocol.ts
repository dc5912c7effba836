/**
 * The sync wire protocol, shared by server, client and tests.
 *
 * It is the standard y-websocket protocol so that any stock `WebsocketProvider` can sync a board:
 * every binary frame starts with a varuint message type.
 *
 *   0 sync       y-protocols sync: step 1 (state vector), step 2 (missing updates), update
 *   1 awareness  y-protocols awareness update (cursors, names)
 *   2 auth       server → client only: permission denied (unused: we close with 4401/4403)
 *   3 query awareness   client asks for everyone's awareness state
 *
 * Handshake: on connect the server sends sync step 1 (its state vector) and the current awareness
 * states; the client sends its own step 1, the server answers with step 2. Afterwards each side
 * sends updates as they happen.
 *
 * One extension, used only by Scopeboard's own client so stock clients never see it:
 *
 *   100 flushed  client → server: [100, n]. The server answers [100, n] once every message the
 *                client sent before it has been processed, i.e. its updates are on disk. This is
 *                how the header can say "saved" truthfully: the socket is ordered, so the answer
 *                cannot overtake the updates it vouches for.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

export const MESSAGE_SYNC = 0
export const MESSAGE_AWARENESS = 1
export const MESSAGE_AUTH = 2
export const MESSAGE_QUERY_AWARENESS = 3
export const MESSAGE_FLUSHED = 100

/** Sub-types of MESSAGE_SYNC, as written by y-protocols/sync. */
export const SYNC_STEP_1 = 0
export const SYNC_STEP_2 = 1
export const SYNC_UPDATE = 2

/**
 * Close codes. 4400–4499 mirror HTTP 4xx: y-websocket does not retry them, so a refused client
 * stops hammering the server and the UI can show the reason.
 */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  MessageTooBig: 1009,
  InternalError: 1011,
  BadMessage: 4400,
  Unauthorized: 4401,
  Forbidden: 4403,
  NotFound: 4404,
  NewerSchema: 4426,
} as const
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]

export function encodeFlushed(seq: number): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_FLUSHED)
  encoding.writeVarUint(encoder, seq)
  return encoding.toUint8Array(encoder)
}

/** Reads the sequence number of a flushed message whose type has already been read. */
export function readFlushed(decoder: decoding.Decoder): number {
  return decoding.readVarUint(decoder)
}
