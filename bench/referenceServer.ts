/**
 * The plain reference server, `@y/websocket-server` (the y-websocket project's own backend), as a
 * child process on a free loopback port: in memory, no auth, no persistence. Its room is the URL
 * path: `ws://127.0.0.1:PORT/<room>`.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import net from 'node:net'
import path from 'node:path'
import { SERVER_START_TIMEOUT_MS } from './serverProcess.ts'

const require = createRequire(import.meta.url)

export interface ReferenceServer {
  /** ws://127.0.0.1:PORT — a provider's server URL; the room name is appended. */
  wsUrl: string
  child: ChildProcess
  stop(): Promise<void>
}

/** A port that was free a moment ago (the reference server cannot report the one it got for 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

export async function startReferenceServer(): Promise<ReferenceServer> {
  const entry = path.join(path.dirname(require.resolve('@y/websocket-server/package.json')), 'src/server.js')
  const port = await freePort()
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port) }
  delete env.YPERSISTENCE
  const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the reference server did not start within ${SERVER_START_TIMEOUT_MS} ms`))
    }, SERVER_START_TIMEOUT_MS)
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('running at')) {
        clearTimeout(timer)
        resolve()
      }
    })
    void exited.then(() => reject(new Error('the reference server exited before it started')))
  })
  child.stdout!.resume()
  return {
    wsUrl: `ws://127.0.0.1:${port}`,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}

/** The child's resident memory in bytes, from /proc (Linux). */
export function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = /VmRSS:\s+(\d+) kB/.exec(status)
  if (!match) throw new Error(`no VmRSS for process ${pid}`)
  return Number(match[1]) * 1024
}
