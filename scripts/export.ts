/**
 * `npm run export -- --board <id> --format json|md|csv [--out FILE]`: a board's scope from the
 * command line, or with `--focus <id> --format json|md` a sprint focus's roll-up of its linked
 * boards. Without --url it reads the server's DATA_DIR directly (read-only, with or without the
 * server running); with --url it asks a running server over HTTP. Either way the bytes are the ones
 * the HTTP export serves (a roll-up's Markdown links to cards only when it knows the server's
 * address: --url, or --base-url). The export goes to stdout or --out; anything else to stderr.
 */
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { parseBoardId, parseFocusId, type BoardId, type FocusId } from '../shared/ids.ts'
import { isRollupFormat, ROLLUP_FORMATS, ROLLUP_PATHS, type RollupFormat } from '../server/focus/formats.ts'
import { EXPORT_FORMATS, EXPORT_PATHS, isExportFormat, type ExportFormat } from '../server/scope/formats.ts'
import type { ReadOnlyFocuses } from '../server/focus/readFocusDir.ts'
import type { ReadOnlyBoards } from '../server/scope/readDataDir.ts'

/** Exit statuses: a bad command line is told apart from an export that failed. */
const EXIT_FAILED = 1
const EXIT_USAGE = 2
/** How long to wait for a server's answer with --url. */
const HTTP_TIMEOUT_MS = 30_000
/** How many board ids an unknown-board message lists. */
const LISTED_BOARDS = 20

const USAGE = `Export a Scopeboard board's scope: the whole scope as JSON or Markdown, or its edge cases as CSV.
Or export a sprint focus's roll-up: every linked board's scope, as JSON or Markdown.

Usage:
  npm run export -- --board <id> --format json|md|csv [--out FILE] [--data-dir DIR]
  npm run export -- --board <id> --format json|md|csv --url http://HOST:PORT [--token TOKEN] [--out FILE]
  npm run export -- --focus <id> --format json|md [--out FILE] [--data-dir DIR] [--base-url URL]
  npm run export -- --focus <id> --format json|md --url http://HOST:PORT [--token TOKEN] [--out FILE]

Without --url the board or focus is read straight from the server's data directory (read-only),
whether or not the server is running. With --url it is fetched from a running server's HTTP API.

Options:
  --board <id>       the board to export (the id in its /b/<id> address)
  --focus <id>       the sprint focus to roll up (the id in its /f/<id> address)
  --format <format>  json, md or csv (a focus: json or md)
  --out <file>       write the export there instead of to stdout
  --data-dir <dir>   the server's data directory (default: $DATA_DIR, else ./data)
  --base-url <url>   with --focus and a data directory: the server address the Markdown links to
                     cards with (without it, card names are plain text)
  --url <url>        a running server, e.g. http://127.0.0.1:8787
  --token <token>    the token for --url (default: $SCOPEBOARD_TOKEN)
  -h, --help         show this help

Exit status: 0 exported, 1 the export failed, 2 the command line was wrong.
`

class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message)
  }
}

/** "json, md or csv" */
const FORMAT_CHOICES = `${EXPORT_FORMATS.slice(0, -1).join(', ')} or ${EXPORT_FORMATS[EXPORT_FORMATS.length - 1]}`

const usageError = (message: string) => new CliError(`${message}\nRun with --help for usage.`, EXIT_USAGE)

type Target =
  { kind: 'board'; id: BoardId; format: ExportFormat } | { kind: 'focus'; id: FocusId; format: RollupFormat }

interface Options {
  target: Target
  out: string | null
  dataDir: string
  url: string | null
  token: string | null
  baseUrl: string | null
}

/** "json or md" */
const ROLLUP_CHOICES = ROLLUP_FORMATS.join(' or ')

/** An http(s) address without a trailing slash, or a usage error naming the option. */
function httpAddress(option: string, value: string): string {
  let parsed: URL
  try {
    parsed = new URL(value)
  } catch {
    throw usageError(`${option} must be the server's address, such as http://127.0.0.1:8787 (got "${value}")`)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw usageError(`${option} must start with http:// or https:// (got "${value}")`)
  }
  return parsed.origin + parsed.pathname.replace(/\/+$/, '')
}

/**
 * Tokens are base64url and start with "-" one time in 64; parseArgs would call `--token -abc`
 * ambiguous. The word after --token is always its value, so join the two before parsing.
 */
function joinTokenValue(argv: string[]): string[] {
  const joined: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--token' && i + 1 < argv.length) joined.push(`--token=${argv[++i]!}`)
    else joined.push(arg)
  }
  return joined
}

function parseOptions(argv: string[]): Options | 'help' {
  let values
  try {
    values = parseArgs({
      args: joinTokenValue(argv),
      strict: true,
      allowPositionals: false,
      options: {
        board: { type: 'string' },
        focus: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        'data-dir': { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        'base-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values
  } catch (error) {
    throw usageError((error as Error).message)
  }
  if (values.help) return 'help'
  if (values.board !== undefined && values.focus !== undefined) {
    throw usageError('give either --board or --focus, not both')
  }
  let target: Target
  if (values.focus !== undefined) {
    const focus = parseFocusId(values.focus)
    if (!focus) throw usageError('--focus must be a focus id: 1–64 letters, digits, "-" or "_"')
    if (!isRollupFormat(values.format)) throw usageError(`--format must be ${ROLLUP_CHOICES} with --focus`)
    target = { kind: 'focus', id: focus, format: values.format }
  } else {
    if (values.board === undefined) {
      throw usageError('--board is required: the id of the board to export (or --focus, a sprint focus to roll up)')
    }
    const board = parseBoardId(values.board)
    if (!board) throw usageError('--board must be a board id: 1–64 letters, digits, "-" or "_"')
    if (!isExportFormat(values.format)) throw usageError(`--format must be ${FORMAT_CHOICES}`)
    target = { kind: 'board', id: board, format: values.format }
  }
  if (values['base-url'] !== undefined && (target.kind !== 'focus' || values.url !== undefined)) {
    throw usageError("--base-url goes with --focus and a data directory (with --url the server's own address is used)")
  }
  if (values.out === '') throw usageError('--out must name a file')
  if (values.token !== undefined && values.url === undefined) throw usageError('--token goes with --url')
  if (values.url !== undefined && values['data-dir'] !== undefined) {
    throw usageError('give either --url (a running server) or --data-dir (its data directory), not both')
  }
  return {
    target,
    out: values.out ?? null,
    dataDir: path.resolve(values['data-dir'] || process.env.DATA_DIR || './data'),
    url: values.url === undefined ? null : httpAddress('--url', values.url),
    token: values.token || process.env.SCOPEBOARD_TOKEN || null,
    baseUrl: values['base-url'] === undefined ? null : httpAddress('--base-url', values['base-url']),
  }
}

/** Loaded only here: SQLite, Yjs and the scope model would slow down --help and the --url path. */
async function fromDataDir(options: Options): Promise<Uint8Array> {
  const { DataDirError, openDataDir } = await import('../server/scope/readDataDir.ts')
  const { openFocusDir } = await import('../server/focus/readFocusDir.ts')
  const { docFromUpdates, exportBoard } = await import('../server/scope/exportBoard.ts')
  const { focusRef } = await import('../shared/focus/model.ts')
  let boards: ReadOnlyBoards | undefined
  let focuses: ReadOnlyFocuses | undefined
  try {
    boards = openDataDir(options.dataDir)
    focuses = openFocusDir(boards.dataDir)
    const { target } = options
    if (target.kind === 'focus') {
      const focus = focuses.focus(target.id)
      if (!focus) throw new CliError(unknownFocusMessage(target.id, boards.dataDir, focuses.list()), EXIT_FAILED)
      const { renderRollup, rollupFromDocs } = await import('../server/focus/exportFocus.ts')
      const dir = boards
      const linked = focuses.linkedBoardIds(focus.id).flatMap((id) => dir.read(id) ?? [])
      const docs = linked.map((stored) => ({ board: stored, doc: docFromUpdates(stored.updates) }))
      try {
        const rollup = rollupFromDocs(focus, docs)
        return Buffer.from(renderRollup(rollup, target.format, options.baseUrl).body, 'utf8')
      } finally {
        for (const { doc } of docs) doc.destroy()
      }
    }
    const stored = boards.read(target.id)
    if (!stored) throw new CliError(unknownBoardMessage(target.id, boards.dataDir, boards.list()), EXIT_FAILED)
    const focus = focuses.focusOfBoard(stored.id)
    const doc = docFromUpdates(stored.updates)
    try {
      const board = { id: stored.id, title: stored.title }
      return Buffer.from(exportBoard(doc, board, target.format, focus && focusRef(focus)).body, 'utf8')
    } finally {
      doc.destroy()
    }
  } catch (error) {
    if (error instanceof DataDirError) throw new CliError(error.message, EXIT_FAILED)
    throw error
  } finally {
    focuses?.close()
    boards?.close()
  }
}

function unknownFocusMessage(
  focus: FocusId,
  dataDir: string,
  all: Array<{ id: string; sprint: string; title: string }>,
): string {
  if (all.length === 0) return `no focus ${focus} in ${dataDir}; there are no focuses there yet`
  const listed = all
    .slice(0, LISTED_BOARDS)
    .map((f) => `${f.id} (${JSON.stringify(`${f.sprint}: ${f.title}`)})`)
    .join(', ')
  const more = all.length > LISTED_BOARDS ? ` and ${all.length - LISTED_BOARDS} more` : ''
  return `no focus ${focus} in ${dataDir}; focuses there: ${listed}${more}`
}

function unknownBoardMessage(board: BoardId, dataDir: string, all: Array<{ id: string; title: string }>): string {
  if (all.length === 0) return `no board ${board} in ${dataDir}; there are no boards there yet`
  const listed = all
    .slice(0, LISTED_BOARDS)
    .map((b) => `${b.id} (${JSON.stringify(b.title)})`)
    .join(', ')
  const more = all.length > LISTED_BOARDS ? ` and ${all.length - LISTED_BOARDS} more` : ''
  return `no board ${board} in ${dataDir}; boards there: ${listed}${more}`
}

async function fromServer(options: Options, base: string): Promise<Uint8Array> {
  const { target } = options
  const url =
    target.kind === 'focus'
      ? `${base}/api/focuses/${encodeURIComponent(target.id)}/${ROLLUP_PATHS[target.format]}`
      : `${base}/api/boards/${encodeURIComponent(target.id)}/${EXPORT_PATHS[target.format]}`
  let res: Response
  try {
    res = await fetch(url, {
      headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    })
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message
    throw new CliError(`cannot reach ${base}: ${cause}`, EXIT_FAILED)
  }
  const body = new Uint8Array(await res.arrayBuffer())
  if (res.ok) return body
  let message = new TextDecoder().decode(body).trim()
  try {
    const parsed = JSON.parse(message) as { error?: unknown }
    if (typeof parsed.error === 'string') message = parsed.error
  } catch {
    // Not our JSON error (a proxy's page, say): pass on what came.
  }
  const hint = res.status === 401 && !options.token ? ' (pass --token or set SCOPEBOARD_TOKEN)' : ''
  throw new CliError(`the server answered ${res.status}: ${message}${hint}`, EXIT_FAILED)
}

async function write(bytes: Uint8Array, out: string | null): Promise<void> {
  if (out === null) {
    await new Promise<void>((resolve, reject) =>
      process.stdout.write(bytes, (error) => (error ? reject(error) : resolve())),
    )
    return
  }
  try {
    fs.writeFileSync(out, bytes)
  } catch (error) {
    throw new CliError(`cannot write ${out}: ${(error as Error).message}`, EXIT_FAILED)
  }
  process.stderr.write(`wrote ${bytes.byteLength} bytes to ${out}\n`)
}

async function main(argv: string[]): Promise<number> {
  try {
    const options = parseOptions(argv)
    if (options === 'help') {
      process.stdout.write(USAGE)
      return 0
    }
    const bytes = options.url ? await fromServer(options, options.url) : await fromDataDir(options)
    await write(bytes, options.out)
    return 0
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`export: ${error.message}\n`)
      return error.exitCode
    }
    process.stderr.write(`export: ${(error as Error).stack ?? String(error)}\n`)
    return EXIT_FAILED
  }
}

process.exitCode = await main(process.argv.slice(2))
