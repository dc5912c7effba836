/**
 * The command-line exporter (`scripts/export.ts`) as a user runs it, in its own process: reading
 * the data directory while the server runs and after it stopped, asking a server over --url, and
 * each refusal with its message and exit status. Every export must equal the HTTP one byte for byte.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
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

function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const cleanEnv = { ...process.env }
  delete cleanEnv.DATA_DIR
  delete cleanEnv.SCOPEBOARD_TOKEN
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/export.ts', ...args],
      { cwd: ROOT, env: { ...cleanEnv, ...env }, encoding: 'buffer', timeout: CLI_TIMEOUT_MS },
      (error, stdout, stderr) => {
        if (error && error.killed) return reject(new Error(`the exporter did not finish: ${args.join(' ')}`))
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0
        resolve({ code, stdout, stderr: stderr.toString('utf8') })
      },
    )
  })
}

const FILES = { json: 'scope.json', md: 'scope.md', csv: 'edge-cases.csv' } as const
type Format = keyof typeof FILES
const FORMATS = Object.keys(FILES) as Format[]

let s: TestServer
let boardId: string
let tmp: string
/** The HTTP exports of the board, which every CLI export must equal. */
const expected = {} as Record<Format, Buffer>

beforeAll(async () => {
  s = await startTestServer()
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scopeboard-cli-'))
  boardId = (await createBoard(s, 'CLI board')).id
  const add = async (body: Record<string, unknown>) => {
    const res = await api(s, `/api/boards/${boardId}/cards`, { method: 'POST', json: body })
    expect(res.status).toBe(201)
    return (await res.json()) as { id: string }
  }
  const problem = await add({ kind: 'problem', title: 'Slow search' })
  const solution = await add({ kind: 'solution', title: 'Index the catalogue', parentId: problem.id })
  await add({ kind: 'edge-case', title: 'Empty query', severity: 'low', parentId: solution.id })
  for (const format of FORMATS) {
    expected[format] = Buffer.from(await (await api(s, `/api/boards/${boardId}/${FILES[format]}`)).arrayBuffer())
  }
})

afterAll(async () => {
  await s?.close()
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})

describe('npm run export', () => {
  it('reads the data directory while the server runs, equal to the HTTP export', async () => {
    const results = await Promise.all(
      FORMATS.map((format) => runCli(['--board', boardId, '--format', format, '--data-dir', s.dataDir])),
    )
    for (const [i, format] of FORMATS.entries()) {
      expect(results[i].stderr).toBe('')
      expect(results[i].code).toBe(0)
      expect(results[i].stdout.equals(expected[format]), format).toBe(true)
    }
  })

  it('asks a running server with --url and --token, and writes --out', async () => {
    const out = path.join(tmp, 'scope.md')
    const [json, md, viaEnv] = await Promise.all([
      runCli(['--board', boardId, '--format', 'json', '--url', s.url, '--token', s.token]),
      runCli(['--board', boardId, '--format', 'md', '--url', `${s.url}/`, '--token', s.token, '--out', out]),
      runCli(['--board', boardId, '--format', 'csv', '--url', s.url], { SCOPEBOARD_TOKEN: s.token }),
    ])
    expect(json.code).toBe(0)
    expect(json.stdout.equals(expected.json)).toBe(true)
    expect(md.code).toBe(0)
    expect(md.stdout.length).toBe(0)
    expect(md.stderr).toBe(`wrote ${expected.md.length} bytes to ${out}\n`)
    expect(fs.readFileSync(out).equals(expected.md)).toBe(true)
    expect(viaEnv.code).toBe(0)
    expect(viaEnv.stdout.equals(expected.csv)).toBe(true)
  })

  it('passes on what the server refused, with its message', async () => {
    const [badToken, dashToken, noToken, noBoard, unreachable] = await Promise.all([
      runCli(['--board', boardId, '--format', 'json', '--url', s.url, '--token', 'wrong']),
      // One generated token in 64 starts with "-": it is still the token, not a missing value.
      runCli(['--board', boardId, '--format', 'json', '--url', s.url, '--token', '-wrong']),
      runCli(['--board', boardId, '--format', 'json', '--url', s.url]),
      runCli(['--board', 'nosuchboard', '--format', 'json', '--url', s.url, '--token', s.token]),
      runCli(['--board', boardId, '--format', 'json', '--url', 'http://127.0.0.1:1', '--token', s.token]),
    ])
    expect(badToken).toMatchObject({
      code: 1,
      stderr: 'export: the server answered 401: this token is not valid here\n',
    })
    expect(dashToken).toMatchObject(badToken)
    expect(noToken.code).toBe(1)
    expect(noToken.stderr).toMatch(
      /^export: the server answered 401: no token.*\(pass --token or set SCOPEBOARD_TOKEN\)\n$/,
    )
    expect(noBoard).toMatchObject({ code: 1, stderr: 'export: the server answered 404: no board with this id\n' })
    expect(unreachable.code).toBe(1)
    expect(unreachable.stderr).toMatch(/^export: cannot reach http:\/\/127\.0\.0\.1:1: /)
    for (const r of [badToken, dashToken, noToken, noBoard, unreachable]) expect(r.stdout.length).toBe(0)
  })

  it('refuses a bad command line with status 2 and says what to fix', async () => {
    const base = ['--data-dir', s.dataDir]
    const cases: Array<[string[], RegExp]> = [
      [[...base, '--format', 'json'], /--board is required/],
      [[...base, '--board', boardId], /--format must be json, md or csv/],
      [[...base, '--board', boardId, '--format', 'xml'], /--format must be json, md or csv/],
      [[...base, '--board', 'a/b', '--format', 'json'], /--board must be a board id/],
      [[...base, '--board', boardId, '--format', 'json', '--colour', 'red'], /Unknown option '--colour'/],
      [['--board', boardId, '--format', 'json', '--url', 'localhost:8787'], /--url must/],
    ]
    const results = await Promise.all(cases.map(([args]) => runCli(args)))
    for (const [i, [args, message]] of cases.entries()) {
      expect(results[i].code, args.join(' ')).toBe(2)
      expect(results[i].stderr).toMatch(message)
      expect(results[i].stderr).toMatch(/Run with --help for usage/)
      expect(results[i].stdout.length).toBe(0)
    }
  })

  it('prints usage with --help', async () => {
    const help = await runCli(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout.toString()).toMatch(/^Export a Scopeboard board's scope/)
    expect(help.stdout.toString()).toContain('npm run export -- --board <id> --format json|md|csv')
  })

  it('names the boards there when the board is unknown, and says what is wrong with the data directory', async () => {
    const emptyDir = path.join(tmp, 'empty')
    fs.mkdirSync(emptyDir)
    const [unknown, missingDir, noDatabase, fromEnv] = await Promise.all([
      runCli(['--board', 'nosuchboard', '--format', 'json', '--data-dir', s.dataDir]),
      runCli(['--board', boardId, '--format', 'json', '--data-dir', path.join(tmp, 'missing')]),
      runCli(['--board', boardId, '--format', 'json', '--data-dir', emptyDir]),
      runCli(['--board', boardId, '--format', 'csv'], { DATA_DIR: s.dataDir }),
    ])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toBe(
      `export: no board nosuchboard in ${s.dataDir}; boards there: ${boardId} ("CLI board")\n`,
    )
    expect(missingDir.code).toBe(1)
    expect(missingDir.stderr).toBe(
      `export: no data directory at ${path.join(tmp, 'missing')} (set DATA_DIR or pass --data-dir)\n`,
    )
    expect(noDatabase.code).toBe(1)
    expect(noDatabase.stderr).toMatch(/^export: no Scopeboard database in .*empty: scopeboard\.sqlite is missing/)
    expect(fromEnv.code).toBe(0)
    expect(fromEnv.stdout.equals(expected.csv)).toBe(true)
  })

  // Last: it stops the server.
  it('reads the data directory after the server stopped, equal to what the server served', async () => {
    await s.stop()
    const results = await Promise.all(
      FORMATS.map((format) => runCli(['--board', boardId, '--format', format, '--data-dir', s.dataDir])),
    )
    for (const [i, format] of FORMATS.entries()) {
      expect(results[i].code).toBe(0)
      expect(results[i].stdout.equals(expected[format]), format).toBe(true)
    }
  })
})
