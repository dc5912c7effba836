/**
 * Builds and starts the whole server: storage, rooms, HTTP app and sync endpoint on one port.
 * Tests start it in-process on port 0; main.ts starts it from the environment.
 */
import type { Server } from 'node:http'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Authenticator, loadWorkspaceToken } from './auth/tokens.ts'
import { COMPACT_AFTER_UPDATES, DEFAULT_SYNC_LIMITS, type ServerConfig, type SyncLimits } from './config.ts'
import { createApp } from './http/app.ts'
import { createLogger, type Logger } from './log.ts'
import { RoomRegistry } from './rooms/RoomRegistry.ts'
import { SyncConnections } from './rooms/SyncConnections.ts'
import { attachSync } from './rooms/syncSocket.ts'
import type { BoardStorage } from './storage/BoardStorage.ts'
import type { FocusStorage } from './storage/FocusStorage.ts'
import { SqliteFocusStorage } from './storage/SqliteFocusStorage.ts'
import type { SnapshotStorage } from './storage/SnapshotStorage.ts'
import { SqliteSnapshotStorage } from './storage/SqliteSnapshotStorage.ts'
import { SQLITE_FILE, SqliteStorage } from './storage/SqliteStorage.ts'

export interface RunningServer {
  /** http://host:port with the real port, also when started on port 0. */
  readonly url: string
  readonly port: number
  readonly workspaceToken: string
  readonly tokenSource: 'env' | 'file' | 'generated'
  readonly storage: BoardStorage
  readonly rooms: RoomRegistry
  /** The live sync connections. */
  readonly connections: SyncConnections
  readonly log: Logger
  /** Stops accepting, closes rooms (compacting them) and sockets, then storage. */
  close(): Promise<void>
}

export interface StartOptions {
  /** Replace the storage engine (tests wrap it to slow it down or make it fail). */
  storage?: BoardStorage
  /**
   * Replace the focus storage. By default it shares the SQLite storage's connection, or opens
   * the data directory's database itself when `storage` is something else.
   */
  focuses?: FocusStorage
  /** Replace the snapshot storage; shares the SQLite connection by default, like `focuses`. */
  snapshots?: SnapshotStorage
  idleUnloadMs?: number
  /** Replace some sync limits (tests use small ones); the rest keep their defaults. */
  limits?: Partial<SyncLimits>
  /** Replace the logger (tests read what the server reports). */
  log?: Logger
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger(config.logLevel)
  const { token, source } = loadWorkspaceToken(config.dataDir, config.workspaceToken)
  const storage = options.storage ?? new SqliteStorage(config.dataDir)
  const focuses =
    options.focuses ??
    (storage instanceof SqliteStorage
      ? storage.focuses()
      : SqliteFocusStorage.open(path.join(config.dataDir, SQLITE_FILE)))
  const snapshots =
    options.snapshots ??
    (storage instanceof SqliteStorage
      ? storage.snapshots()
      : SqliteSnapshotStorage.open(path.join(config.dataDir, SQLITE_FILE)))
  const rooms = new RoomRegistry(
    storage,
    log,
    options.idleUnloadMs ?? config.roomIdleUnloadMs,
    COMPACT_AFTER_UPDATES,
    snapshots,
  )
  const auth = new Authenticator(token, storage)
  const connections = new SyncConnections()
  const limits: SyncLimits = { ...DEFAULT_SYNC_LIMITS, ...options.limits }
  const app = createApp({
    storage,
    focuses,
    snapshots,
    rooms,
    auth,
    liveLinks: connections,
    log,
    clientDir: config.clientDir,
    tldrawLicenseKey: config.tldrawLicenseKey ?? null,
  })

  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }) as Server
    s.once('listening', () => resolve(s))
    s.once('error', reject)
  })
  const sync = attachSync(server, { auth, rooms, storage, log, connections, limits })
  const port = (server.address() as AddressInfo).port
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  const url = `http://${host}:${port}`

  let closing: Promise<void> | null = null
  return {
    url,
    port,
    workspaceToken: token,
    tokenSource: source,
    storage,
    rooms,
    connections,
    log,
    close() {
      closing ??= (async () => {
        // Stop accepting, then flush and compact every room, which closes its sockets with 1001.
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
        sync.stopAccepting()
        await rooms.closeAll()
        sync.close()
        server.closeAllConnections()
        await stopped
        await focuses.close()
        await snapshots.close()
        await storage.close()
      })()
      return closing
    },
  }
}
