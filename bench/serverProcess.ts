/**
 * Runs the real server as a child process (its own event loop, as in production) on a loopback
 * port. The benchmark uses it with a throwaway DATA_DIR; the durability and shutdown tests use it
 * to kill the server (-9 or a signal) and start it again on the same DATA_DIR and port.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** How long a child may take to print its address before it counts as failed to start. */
export const SERVER_START_TIMEOUT_MS = 20_000

export interface ServerProcessOptions {
  /** Defaults to a new temporary directory, deleted by `stop()`. */
  dataDir?: string
  /** Defaults to 0 (a free port). */
  port?: number
  token?: string
  logLevel?: string
  /** More environment for the child (e.g. SCOPEBOARD_ROOM_IDLE_MS). */
  env?: Record<string, string>
  /** Keep every stdout line in `output` (tests read the log); the benchmark does not. */
  keepOutput?: boolean
}

export interface ServerProcess {
  url: string
  port: number
  token: string
  dataDir: string
  child: ChildProcess
  /** stdout lines so far, when `keepOutput` was set. */
  output: string[]
  /** Settles when the child exits, with its exit code or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Sends a signal and waits for the child to exit. */
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** SIGTERM, wait for the exit, and delete DATA_DIR if this process made it. */
  stop(): Promise<void>
}

export async function startServerProcess(options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const ownsDataDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'scopeboard-bench-'))
  const token = options.token ?? 'bench-token'
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(options.port ?? 0),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SCOPEBOARD_TOKEN: token,
      LOG_LEVEL: options.logLevel ?? 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  const output: string[] = []
  let partial = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`server did not start within ${SERVER_START_TIMEOUT_MS} ms`))
    }, SERVER_START_TIMEOUT_MS)
    let found = false
    // Keep draining stdout so the child never blocks on a full pipe.
    child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n')
      partial = lines.pop() ?? ''
      for (const line of lines) {
        if (options.keepOutput) output.push(line)
        // main.ts prints "Scopeboard is running at http://…/" whatever the log level.
        const match = /Scopeboard is running at (http:\/\/\S+?)\/ /.exec(line)
        if (match && !found) {
          found = true
          clearTimeout(timer)
          resolve(match[1])
        }
      }
    })
    void exited.then(({ code, signal }) => {
      clearTimeout(timer)
      reject(new Error(`server exited before it started (code ${code}, signal ${signal})`))
    })
  })
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    return exited
  }
  return {
    url,
    port: Number(new URL(url).port),
    token,
    dataDir,
    child,
    output,
    exited,
    kill,
    async stop() {
      await kill('SIGTERM')
      if (ownsDataDir) fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
