/**
 * `npm run export -- --focus <id>` as a user runs it, in its own process: the roll-up read from the
 * data directory and from a running server must equal the HTTP roll-up byte for byte, and a board
 * linked to a focus exports the same focus from either. Refusals say what to fix.
 */
import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, createBoard, startTestServer, type TestServer } from '../helpers/server.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
/** Generous for one Node start with tsx on a slow machine; a hang fails the test instead. */
const CLI_TIMEOUT_MS = 15_000

interface CliResult {
  code: number | null
  stdout: Buffer
  stderr: string
}

function runCli(args: string[]): Promise<CliResult> {
  const env = { ...process.env }
  delete env.DATA_DIR
  delete env.SCOPEBOARD_TOKEN
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/export.ts', ...args],
      { cwd: ROOT, env, encoding: 'buffer', timeout: CLI_TIMEOUT_MS },
      (error, stdout, stderr) => {
        if (error && error.killed) return reject(new Error(`the exporter did not finish: ${args.join(' ')}`))
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0
        resolve({ code, stdout, stderr: stderr.toString('utf8') })
      },
    )
  })
}

let s: TestServer
let focusId: string
let linkedBoard: string
const http = {} as Record<'json' | 'md' | 'board', Buffer>

beforeAll(async () => {
  s = await startTestServer()
  const focus = await api(s, '/api/focuses', {
    method: 'POST',
    json: { sprint: 'Sprint 7', title: 'Faster search', strategy: 'Self-serve', metric: 'p95 < 300 ms' },
  })
  focusId = ((await focus.json()) as { id: string }).id
  for (const title of ['Search', 'Filters', 'Not in this sprint']) {
    const board = await createBoard(s, title)
    const add = async (body: Record<string, unknown>) => {
      const res = await api(s, `/api/boards/${board.id}/cards`, { method: 'POST', json: body })
      expect(res.status).toBe(201)
      return ((await res.json()) as { id: string }).id
    }
    const problem = await add({ kind: 'problem', title: `${title}: slow` })
    await add({ kind: 'solution', title: `${title}: index`, status: 'chosen', parentId: problem })
    if (title !== 'Not in this sprint') {
      expect((await api(s, `/api/boards/${board.id}/focus`, { method: 'PUT', json: { focusId } })).status).toBe(200)
      linkedBoard = board.id
    }
  }
  http.json = Buffer.from(await (await api(s, `/api/focuses/${focusId}/scope.json`)).arrayBuffer())
  http.md = Buffer.from(await (await api(s, `/api/focuses/${focusId}/scope.md`)).arrayBuffer())
  http.board = Buffer.from(await (await api(s, `/api/boards/${linkedBoard}/scope.json`)).arrayBuffer())
})

afterAll(() => s?.close())

describe('npm run export -- --focus', () => {
  it('reads the roll-up from the data directory, equal to the HTTP roll-up', async () => {
    const [json, md, linkedMd, board] = await Promise.all([
      runCli(['--focus', focusId, '--format', 'json', '--data-dir', s.dataDir]),
      runCli(['--focus', focusId, '--format', 'md', '--data-dir', s.dataDir]),
      runCli(['--focus', focusId, '--format', 'md', '--data-dir', s.dataDir, '--base-url', `${s.url}/`]),
      runCli(['--board', linkedBoard, '--format', 'json', '--data-dir', s.dataDir]),
    ])
    for (const r of [json, md, linkedMd, board]) expect(r.stderr).toBe('')
    expect(json.code).toBe(0)
    expect(json.stdout.equals(http.json)).toBe(true)
    const rollup = JSON.parse(json.stdout.toString('utf8')) as { boards: Array<{ title: string }> }
    expect(rollup.boards.map((b) => b.title)).toEqual(['Filters', 'Search'])
    // Without the server's address the Markdown names cards without links.
    expect(md.code).toBe(0)
    const text = md.stdout.toString('utf8')
    expect(text).toContain('## Board: Filters — ')
    expect(text).toContain('- Search: index — ')
    expect(text).not.toContain('](http')
    expect(linkedMd.stdout.equals(http.md)).toBe(true)
    // A linked board's own export carries its focus from the data directory too.
    expect(board.stdout.equals(http.board)).toBe(true)
    expect(board.stdout.toString('utf8')).toContain('"sprint": "Sprint 7"')
  })

  it('asks a running server with --url', async () => {
    const [json, md] = await Promise.all([
      runCli(['--focus', focusId, '--format', 'json', '--url', s.url, '--token', s.token]),
      runCli(['--focus', focusId, '--format', 'md', '--url', s.url, '--token', s.token]),
    ])
    expect(json.code).toBe(0)
    expect(json.stdout.equals(http.json)).toBe(true)
    expect(md.code).toBe(0)
    expect(md.stdout.equals(http.md)).toBe(true)
  })

  it('names the focuses there when the focus is unknown, and passes on what the server refused', async () => {
    const [local, remote] = await Promise.all([
      runCli(['--focus', 'nosuchfocus', '--format', 'json', '--data-dir', s.dataDir]),
      runCli(['--focus', 'nosuchfocus', '--format', 'json', '--url', s.url, '--token', s.token]),
    ])
    expect(local.code).toBe(1)
    expect(local.stderr).toBe(
      `export: no focus nosuchfocus in ${s.dataDir}; focuses there: ${focusId} ("Sprint 7: Faster search")\n`,
    )
    expect(remote.code).toBe(1)
    expect(remote.stderr).toBe('export: the server answered 404: no focus with this id\n')
    for (const r of [local, remote]) expect(r.stdout.length).toBe(0)
  })

  it('refuses a bad command line with status 2 and says what to fix', async () => {
    const base = ['--data-dir', s.dataDir]
    const cases: Array<[string[], RegExp]> = [
      [[...base, '--focus', focusId, '--format', 'csv'], /--format must be json or md with --focus/],
      [[...base, '--focus', 'a/b', '--format', 'json'], /--focus must be a focus id/],
      [[...base, '--focus', focusId, '--board', linkedBoard, '--format', 'json'], /either --board or --focus/],
      [[...base, '--board', linkedBoard, '--format', 'md', '--base-url', s.url], /--base-url goes with --focus/],
      [[...base, '--focus', focusId, '--format', 'md', '--base-url', 'nope'], /--base-url must be the server's/],
    ]
    const results = await Promise.all(cases.map(([args]) => runCli(args)))
    for (const [i, [args, message]] of cases.entries()) {
      expect(results[i].code, args.join(' ')).toBe(2)
      expect(results[i].stderr).toMatch(message)
      expect(results[i].stdout.length).toBe(0)
    }
  })
})
