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
/** Largest JSON body the HTTP API accepts. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024
/** Largest WebSocket frame accepted; larger ones close the socket with 1009. */
export const MAX_WS_MESSAGE_BYTES = 16 * 1024 * 1024
/** Space the cards API leaves between a new card and its parent, siblings and other shapes. */
export const CARD_PLACEMENT_GAP = 40

export const TOKEN_COOKIE = 'scopeboard_token'

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
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = env.PORT === undefined || env.PORT === '' ? 8787 : Number(env.PORT)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a whole number from 0 to 65535, got "${env.PORT}"`)
  }
  return {
    port,
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR || './data'),
    workspaceToken: env.SCOPEBOARD_TOKEN || null,
    clientDir: path.resolve(env.SCOPEBOARD_CLIENT_DIR || 'dist/client'),
    logLevel: env.LOG_LEVEL || 'info',
    tldrawLicenseKey: env.TLDRAW_LICENSE_KEY || null,
  }
}
