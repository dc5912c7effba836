/**
 * Starts Scopeboard in-process on a free loopback port with its own temporary DATA_DIR.
 *
 * `stop()`/`start()` (or `restart()`) bring the same server back on the same DATA_DIR *and the same
 * port*, so a y-websocket provider left open reconnects to its URL by itself, as a browser would.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { ServerConfig, SyncLimits } from '../../server/config.ts'
import type { Logger } from '../../server/log.ts'
import { startServer, type RunningServer } from '../../server/server.ts'
import type { BoardStorage } from '../../server/storage/BoardStorage.ts'
import { SqliteStorage } from '../../server/storage/SqliteStorage.ts'

export interface TestServerOptions {
  /** Builds the storage for one start; receives a fresh SqliteStorage on this DATA_DIR to wrap. */
  storage?: (sqlite: SqliteStorage) => BoardStorage
  idleUnloadMs?: number
  /** Smaller sync limits for the tests of those limits. */
  limits?: Partial<SyncLimits>
  /** A logger of the test's own, to read what the server reports. */
  log?: Logger
}

export interface TestServer {
  /** http://127.0.0.1:PORT */
  readonly url: string
  /** ws://127.0.0.1:PORT/sync — a provider's server URL; the room name (board id) is appended. */
  readonly wsUrl: string
  readonly port: number
  /** The workspace token. */
  readonly token: string
  readonly dataDir: string
  /** The running instance; throws while stopped. */
  readonly server: RunningServer
  readonly running: boolean
  /** Stops the server, keeping DATA_DIR and the port number for `start()`. */
  stop(): Promise<void>
  /** Starts again on the same DATA_DIR and port, optionally with other options. */
  start(options?: TestServerOptions): Promise<void>
  restart(options?: TestServerOptions): Promise<void>
  /** Stops the server and deletes DATA_DIR. */
  close(): Promise<void>
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scopeboard-it-'))
  const token = randomBytes(24).toString('base64url')
  const config = (port: number): ServerConfig => ({
    port,
    host: '127.0.0.1',
    dataDir,
    workspaceToken: token,
    clientDir: null,
    logLevel: 'silent',
  })
  const launch = (port: number, opts: TestServerOptions) =>
    startServer(config(port), {
      storage: opts.storage ? opts.storage(new SqliteStorage(dataDir)) : undefined,
      idleUnloadMs: opts.idleUnloadMs,
      limits: opts.limits,
      log: opts.log,
    })

  let current: RunningServer | null
  try {
    current = await launch(0, options)
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true })
    throw error
  }
  const port = current.port
  const url = `http://127.0.0.1:${port}`

  const stop = async () => {
    const running = current
    current = null
    await running?.close()
  }
  const start = async (opts: TestServerOptions = options) => {
    if (current) throw new Error('the test server is already running')
    current = await launch(port, opts)
  }

  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}/sync`,
    port,
    token,
    dataDir,
    get server() {
      if (!current) throw new Error('the test server is stopped')
      return current
    },
    get running() {
      return current !== null
    },
    stop,
    start,
    async restart(opts) {
      await stop()
      await start(opts)
    },
    async close() {
      await stop()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export interface CreatedBoard {
  id: string
  title: string
  createdAt: string
}

/** Creates a board with the workspace token and checks the 201 answer. */
export async function createBoard(
  server: Pick<TestServer, 'url' | 'token'>,
  title = 'Test board',
): Promise<CreatedBoard> {
  const res = await fetch(`${server.url}/api/boards`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  })
  if (res.status !== 201) throw new Error(`creating a board answered ${res.status}: ${await res.text()}`)
  return (await res.json()) as CreatedBoard
}

/** A fetch against the server with the workspace token, unless `token` says otherwise. */
export function api(
  server: Pick<TestServer, 'url' | 'token'>,
  pathname: string,
  init: RequestInit & { token?: string | null; json?: unknown } = {},
): Promise<Response> {
  const { token = server.token, json, ...rest } = init
  const headers = new Headers(rest.headers)
  if (token !== null) headers.set('authorization', `Bearer ${token}`)
  let body = rest.body
  if (json !== undefined) {
    headers.set('content-type', 'application/json')
    body = JSON.stringify(json)
  }
  return fetch(`${server.url}${pathname}`, { ...rest, headers, body })
}
