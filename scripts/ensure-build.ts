/**
 * Builds the web app when dist/client is missing or older than any client source, so `npm start`
 * and the tests never serve a stale bundle and never rebuild needlessly.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const builtIndex = path.join(root, 'dist/client/index.html')
const sources = ['client', 'shared', 'vite.config.ts', 'package-lock.json']

function newestMtime(p: string): number {
  const full = path.join(root, p)
  if (!fs.existsSync(full)) return 0
  const stat = fs.statSync(full)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of fs.readdirSync(full)) newest = Math.max(newest, newestMtime(path.join(p, entry)))
  return newest
}

export function clientBuildIsFresh(): boolean {
  if (!fs.existsSync(builtIndex)) return false
  const built = fs.statSync(builtIndex).mtimeMs
  return sources.every((s) => newestMtime(s) <= built)
}

export async function ensureClientBuilt(opts: { quiet?: boolean } = {}): Promise<void> {
  if (clientBuildIsFresh()) return
  if (!opts.quiet) console.log('Building the web app (vite build)…')
  // Always a production build: under Vitest NODE_ENV is "test", which would make Vite bundle
  // React's development build, and `npm start` would then serve it.
  const result = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--mode', 'production'],
    {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: opts.quiet ? 'pipe' : 'inherit',
      encoding: 'utf8',
    },
  )
  if (result.status !== 0) {
    throw new Error(`vite build failed:\n${result.stdout ?? ''}${result.stderr ?? ''}`)
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureClientBuilt().catch((error: Error) => {
    console.error(error.message)
    process.exit(1)
  })
}
