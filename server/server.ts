/**
 * Builds and starts the whole server: storage, rooms, HTTP app and sync endpoint on one port.
 * Tests start it in-process on port 0; main.ts starts it from the environment.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Authenticator, loadWorkspaceToken } from './auth/tokens.ts'
import { DEFAULT_SYNC_LIMITS, type ServerConfig, type SyncLimits } from './config.ts'
import { createApp } from './http/app.ts'
import { createLogger, type Logger } from './log.ts'
import { RoomRegistry } from './rooms/RoomRegistry.ts'
import { SyncConnections } from './rooms/SyncConnections.ts'
import { attachSync } from './rooms/syncSocket.ts'
import type { BoardStorage } from './storage/BoardStorage.ts'
import { SqliteStorage } from './storage/SqliteStorage.ts'

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
  idleUnloadMs?: number
  /** Replace some sync limits (tests use small ones); the rest keep their defaults. */
  limits?: Partial<SyncLimits>
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const log = createLogger(config.logLevel)
  const { token, source } = loadWorkspaceToken(config.dataDir, config.workspaceToken)
  const storage = options.storage ?? new SqliteStorage(config.dataDir)
  const rooms = new RoomRegistry(storage, log, options.idleUnloadMs)
  const auth = new Authenticator(token, storage)
  const connections = new SyncConnections()
  const limits: SyncLimits = { ...DEFAULT_SYNC_LIMITS, ...options.limits }
  const app = createApp({
    storage,
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
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
        await rooms.closeAll()
        sync.close()
        server.closeAllConnections()
        await stopped
        await storage.close()
      })()
      return closing
    },
  }
}
