/**
 * `npm run dev`: the API/sync server restarting on change, and Vite with hot reload proxying
 * /api and /sync to it. Open the Vite URL it prints (http://localhost:5173 by default), with the
 * sign-in link's `?token=…` appended the first time.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = (name: string) => path.join(root, 'node_modules/.bin', name)

const children: ChildProcess[] = [
  spawn(bin('tsx'), ['watch', '--clear-screen=false', 'server/main.ts'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, SCOPEBOARD_CLIENT_DIR: path.join(root, '.tmp/no-client') },
  }),
  spawn(bin('vite'), [], { cwd: root, stdio: 'inherit' }),
]

const stop = () => {
  for (const child of children) child.kill('SIGTERM')
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
for (const child of children) {
  child.on('exit', (code) => {
    stop()
    process.exitCode = code ?? 0
  })
}
