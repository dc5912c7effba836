/**
 * Scopeboard with its web app, in-process on a free loopback port, for the browser tests.
 *
 * Unlike tests/helpers/server.ts (API and sync only) this one serves dist/client, which the vitest
 * globalSetup builds. `stop()`/`start()` bring the same server back on the same DATA_DIR and the same
 * port, so pages left open reconnect by themselves, as they would after a real restart.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ServerConfig } from '../../server/config.ts'
import { startServer, type RunningServer } from '../../server/server.ts'

export const CLIENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/client')

export interface AppServer {
  /** http://127.0.0.1:PORT */
  readonly url: string
  readonly port: number
  readonly token: string
  readonly running: boolean
  /** Stops the server, keeping DATA_DIR and the port for `start()`. */
  stop(): Promise<void>
  /** Starts again on the same DATA_DIR and port. */
  start(): Promise<void>
  /** Stops the server and deletes DATA_DIR. */
  close(): Promise<void>
}

export async function startAppServer(): Promise<AppServer> {
  if (!fs.existsSync(path.join(CLIENT_DIR, 'index.html'))) {
    throw new Error(`the web app is not built at ${CLIENT_DIR}: run "npm run build" (the vitest globalSetup does it)`)
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scopeboard-browser-'))
  const token = randomBytes(24).toString('base64url')
  const config = (port: number): ServerConfig => ({
    port,
    host: '127.0.0.1',
    dataDir,
    workspaceToken: token,
    clientDir: CLIENT_DIR,
    logLevel: 'silent',
  })

  let current: RunningServer | null
  try {
    current = await startServer(config(0))
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true })
    throw error
  }
  const port = current.port

  const stop = async () => {
    const running = current
    current = null
    await running?.close()
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    token,
    get running() {
      return current !== null
    },
    stop,
    async start() {
      if (current) throw new Error('the app server is already running')
      current = await startServer(config(port))
    },
    async close() {
      await stop()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Creates a board over the API with the workspace token; returns its id. */
export async function createBoardViaApi(server: Pick<AppServer, 'url' | 'token'>, title: string): Promise<string> {
  const res = await fetch(`${server.url}/api/boards`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  })
  if (res.status !== 201) throw new Error(`creating a board answered ${res.status}: ${await res.text()}`)
  return ((await res.json()) as { id: string }).id
}
