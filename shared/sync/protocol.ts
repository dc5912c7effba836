/**
 * The sync wire protocol, shared by server, client and tests.
 *
 * It is the standard y-websocket protocol so that any stock `WebsocketProvider` can sync a board:
 * every binary frame starts with a varuint message type.
 *
 *   0 sync       y-protocols sync: step 1 (state vector), step 2 (missing updates), update
 *   1 awareness  y-protocols awareness update (cursors, names)
 *   2 auth       server → client only: y-protocols "permission denied" [2, 0, reason]. Sent when
 *                the server drops a document update the connection's role may not make (a view
 *                link's edit, a comment link's change outside the comments). The connection stays
 *                open and keeps syncing down; stock y-websocket logs the reason as a warning.
 *   3 query awareness   client asks for everyone's awareness state
 *
 * Handshake: on connect the server sends sync step 1 (its state vector) and the current awareness
 * states; the client sends its own step 1, the server answers with step 2. Afterwards each side
 * sends updates as they happen.
 *
 * Writes by role: a workspace or `edit` connection may change anything. A `view` connection may
 * sync down, send and query awareness, and send updates that change nothing (y-websocket's step 2
 * on connect usually is one); a `comment` connection may also change what lies inside the root
 * map 'comments'. Any other update is dropped — never applied, stored or broadcast — and answered
 * with a permission-denied message (type 2); so are later updates that build on a dropped one.
 * The connection is not closed: a local copy holding a dropped change (IndexedDB) would otherwise
 * be refused on every reconnect.
 *
 * An update that builds on changes the server does not have is not applied; the client's next
 * step 2 brings them and the update's own changes. After the client's first step 2 the server asks
 * for one by sending its step 1 again (any y-protocols client answers a step 1 with a step 2).
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

/** Sub-type of MESSAGE_AUTH, as written by y-protocols/auth. */
export const AUTH_PERMISSION_DENIED = 0

/** Sub-types of MESSAGE_SYNC, as written by y-protocols/sync. */
export const SYNC_STEP_1 = 0
export const SYNC_STEP_2 = 1
export const SYNC_UPDATE = 2

/**
 * Close codes. 4400–4499 mirror HTTP 4xx: y-websocket does not retry them, so a refused client
 * stops hammering the server and the UI can show the reason. 1013 is the one refusal worth
 * retrying: the client fell behind, and a fresh connection starts it over.
 *
 *   1001 server shutting down or board unloaded      4400 malformed or unknown message, bad board
 *   1009 frame larger than the server accepts             id, broken or incomplete update, awareness
 *   1011 the board could not be loaded or saved           state too large or not an object
 *   1013 the client stopped reading (slow consumer)  4401 no token, unknown or revoked token
 *                                                    4403 no right to this board, or link revoked
 *                                                    4404 no such board
 *                                                    4429 too many connections or messages
 */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  MessageTooBig: 1009,
  InternalError: 1011,
  TryAgainLater: 1013,
  BadMessage: 4400,
  Unauthorized: 4401,
  Forbidden: 4403,
  NotFound: 4404,
  NewerSchema: 4426,
  TooManyRequests: 4429,
} as const
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]

export function encodeFlushed(seq: number): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_FLUSHED)
  encoding.writeVarUint(encoder, seq)
  return encoding.toUint8Array(encoder)
}

/** [2, 0, reason]: the y-protocols auth message that tells a client its update was not accepted. */
export function encodePermissionDenied(reason: string): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_AUTH)
  encoding.writeVarUint(encoder, AUTH_PERMISSION_DENIED)
  encoding.writeVarString(encoder, reason)
  return encoding.toUint8Array(encoder)
}

/** Reads the sequence number of a flushed message whose type has already been read. */
export function readFlushed(decoder: decoding.Decoder): number {
  return decoding.readVarUint(decoder)
}
