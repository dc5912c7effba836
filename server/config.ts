/**
 * Every tunable of the server in one place: the environment it reads and the named limits and
 * timings it runs with.
 */
import path from 'node:path'

/** A room stays loaded this long after its last client leaves, so a quick reload finds it warm. */
export const ROOM_IDLE_UNLOAD_MS = 30_000
/** Compact a board's update log into one state once it holds this many updates. */
export const COMPACT_AFTER_UPDATES = 500
/** Frames received before the room has loaded are held, up to this many per connection. */
export const MAX_QUEUED_FRAMES_BEFORE_LOAD = 1_000
/** Ping every connection this often; one that has not answered the previous ping is dropped. */
export const PING_INTERVAL_MS = 30_000
/** The board list's updatedAt is written at most this often per board while edits stream in. */
export const TOUCH_BOARD_EVERY_MS = 1_000
/**
 * A board that unloads after changes gets an automatic snapshot, unless its last one is younger
 * than this: a board opened and closed all day keeps an hourly history, not one per visit.
 */
export const AUTO_SNAPSHOT_EVERY_MS = 60 * 60 * 1000
/** Automatic snapshots younger than this are all kept. */
export const AUTO_SNAPSHOT_KEEP_ALL_MS = 48 * 60 * 60 * 1000
/** Older automatic snapshots: the newest of each of this many most recent days that have one is kept. */
export const AUTO_SNAPSHOT_KEEP_DAYS = 30
/** Longest name a board snapshot may have (shared with the history panel). */
export { MAX_SNAPSHOT_NAME_LENGTH } from '../shared/history/snapshotName.ts'
/** Largest JSON body the HTTP API accepts. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024
/**
 * Largest WebSocket frame accepted; larger ones close the socket with 1009. A board at the
 * design's scale (5,000 cards with their arrows) encodes to about 5.4 MB, and a client that made
 * it offline sends it whole in one sync step 2, so this leaves room for three times that.
 */
export const MAX_WS_MESSAGE_BYTES = 16 * 1024 * 1024
/** Sync connections one board may have at once (the design expects 3–15 people); more get 4429. */
export const MAX_CONNECTIONS_PER_BOARD = 100
/** Sync sockets one IP address may hold at once, counted from the upgrade; more get 4429. */
export const MAX_CONNECTIONS_PER_IP = 100
/**
 * Messages per second a connection may keep sending (a token bucket), and the burst it may send
 * at once. A person dragging sends about three per frame (update, presence, flushed), so 180 a
 * second at 60 Hz; beyond the bucket the socket is closed with 4429.
 */
export const MESSAGE_RATE_PER_SECOND = 500
export const MESSAGE_BURST = 1_000
/**
 * Largest awareness message (presence: name, cursor, selection); larger ones close with 4400.
 * Selecting all 5,000 cards of a big board puts about 150 KB of shape ids in it.
 */
export const MAX_AWARENESS_BYTES = 256 * 1024
/** Awareness client ids one connection may announce (a y-websocket client has one). */
export const MAX_AWARENESS_CLIENTS_PER_CONNECTION = 8
/**
 * Bytes a connection may have queued for sending before it counts as not reading: it is closed
 * with 1013 (y-websocket reconnects later) instead of holding server memory. The bound is at
 * least twice the largest frame sent to that connection, so one large frame (a whole board in a
 * sync step 2) never counts as falling behind by itself.
 */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024
/** A closed slow consumer that does not finish the closing handshake is cut off after this. */
export const SLOW_CONSUMER_CLOSE_TIMEOUT_MS = 2_000
/**
 * An update that builds on changes the server lacks is not applied; after the client's first sync
 * step 2 the server asks for another (its sync step 1), whose answer brings them. A client whose
 * answers bring nothing gets this many requests, then 4400.
 */
export const MAX_RESYNC_REQUESTS = 8
/** Space the cards API leaves between a new card and its parent, siblings and other shapes. */
export const CARD_PLACEMENT_GAP = 40

/** The workspace sign-in cookie. */
export const TOKEN_COOKIE = 'scopeboard_token'
/** A share link's sign-in cookie is this plus the board id: it is sent for that board only. */
export const LINK_COOKIE_PREFIX = 'scopeboard_link_'
/** How long a sign-in cookie lasts; a revoked link stops working at once all the same. */
export const COOKIE_MAX_AGE_S = 60 * 60 * 24 * 365

/** The sync limits, overridable per server (tests use small ones). */
export interface SyncLimits {
  maxMessageBytes: number
  maxConnectionsPerBoard: number
  maxConnectionsPerIp: number
  messageRatePerSecond: number
  messageBurst: number
  maxAwarenessBytes: number
  maxBufferedBytes: number
}

export const DEFAULT_SYNC_LIMITS: SyncLimits = {
  maxMessageBytes: MAX_WS_MESSAGE_BYTES,
  maxConnectionsPerBoard: MAX_CONNECTIONS_PER_BOARD,
  maxConnectionsPerIp: MAX_CONNECTIONS_PER_IP,
  messageRatePerSecond: MESSAGE_RATE_PER_SECOND,
  messageBurst: MESSAGE_BURST,
  maxAwarenessBytes: MAX_AWARENESS_BYTES,
  maxBufferedBytes: MAX_BUFFERED_BYTES,
}

export interface ServerConfig {
  port: number
  host: string
  dataDir: string
  /** From SCOPEBOARD_TOKEN; when null the server keeps a generated one in DATA_DIR. */
  workspaceToken: string | null
  /** Where the built client lives; null serves the API and sync only. */
  clientDir: string | null
  logLevel: string
  /** Put into the page for tldraw; needed on HTTPS hosts other than localhost. */
  tldrawLicenseKey?: string | null
  /** SCOPEBOARD_ROOM_IDLE_MS: how long an empty board stays loaded (ROOM_IDLE_UNLOAD_MS). */
  roomIdleUnloadMs?: number
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = env.PORT === undefined || env.PORT === '' ? 8787 : Number(env.PORT)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a whole number from 0 to 65535, got "${env.PORT}"`)
  }
  const idle = env.SCOPEBOARD_ROOM_IDLE_MS
  const roomIdleUnloadMs = idle === undefined || idle === '' ? ROOM_IDLE_UNLOAD_MS : Number(idle)
  if (!Number.isInteger(roomIdleUnloadMs) || roomIdleUnloadMs < 0) {
    throw new Error(`SCOPEBOARD_ROOM_IDLE_MS must be a whole number of milliseconds, got "${idle}"`)
  }
  return {
    port,
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR || './data'),
    workspaceToken: env.SCOPEBOARD_TOKEN || null,
    clientDir: path.resolve(env.SCOPEBOARD_CLIENT_DIR || 'dist/client'),
    logLevel: env.LOG_LEVEL || 'info',
    tldrawLicenseKey: env.TLDRAW_LICENSE_KEY || null,
    roomIdleUnloadMs,
  }
}
