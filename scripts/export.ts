/**
 * `npm run export -- --board <id> --format json|md|csv [--out FILE]`: a board's scope from the
 * command line. Without --url it reads the server's DATA_DIR directly (read-only, with or without
 * the server running); with --url it asks a running server over HTTP. Either way the bytes are
 * the ones the HTTP export serves. The export goes to stdout or --out; anything else to stderr.
 */
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { parseBoardId, type BoardId } from '../shared/ids.ts'
import { EXPORT_FORMATS, EXPORT_PATHS, isExportFormat, type ExportFormat } from '../server/scope/formats.ts'

/** Exit statuses: a bad command line is told apart from an export that failed. */
const EXIT_FAILED = 1
const EXIT_USAGE = 2
/** How long to wait for a server's answer with --url. */
const HTTP_TIMEOUT_MS = 30_000
/** How many board ids an unknown-board message lists. */
const LISTED_BOARDS = 20

const USAGE = `Export a Scopeboard board's scope: the whole scope as JSON or Markdown, or its edge cases as CSV.

Usage:
  npm run export -- --board <id> --format json|md|csv [--out FILE] [--data-dir DIR]
  npm run export -- --board <id> --format json|md|csv --url http://HOST:PORT [--token TOKEN] [--out FILE]

Without --url the board is read straight from the server's data directory (read-only), whether or
not the server is running. With --url it is fetched from a running server's HTTP API.

Options:
  --board <id>       the board to export (the id in its /b/<id> address)
  --format <format>  json, md or csv
  --out <file>       write the export there instead of to stdout
  --data-dir <dir>   the server's data directory (default: $DATA_DIR, else ./data)
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

interface Options {
  board: BoardId
  format: ExportFormat
  out: string | null
  dataDir: string
  url: string | null
  token: string | null
}

function parseOptions(argv: string[]): Options | 'help' {
  let values
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        board: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        'data-dir': { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values
  } catch (error) {
    throw usageError((error as Error).message)
  }
  if (values.help) return 'help'
  if (values.board === undefined) throw usageError('--board is required: the id of the board to export')
  const board = parseBoardId(values.board)
  if (!board) throw usageError('--board must be a board id: 1–64 letters, digits, "-" or "_"')
  if (!isExportFormat(values.format)) throw usageError(`--format must be ${FORMAT_CHOICES}`)
  if (values.out === '') throw usageError('--out must name a file')
  if (values.token !== undefined && values.url === undefined) throw usageError('--token goes with --url')
  if (values.url !== undefined && values['data-dir'] !== undefined) {
    throw usageError('give either --url (a running server) or --data-dir (its data directory), not both')
  }
  let url: string | null = null
  if (values.url !== undefined) {
    let parsed: URL
    try {
      parsed = new URL(values.url)
    } catch {
      throw usageError(`--url must be the server's address, such as http://127.0.0.1:8787 (got "${values.url}")`)
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw usageError(`--url must start with http:// or https:// (got "${values.url}")`)
    }
    url = parsed.origin + parsed.pathname.replace(/\/+$/, '')
  }
  return {
    board,
    format: values.format,
    out: values.out ?? null,
    dataDir: path.resolve(values['data-dir'] || process.env.DATA_DIR || './data'),
    url,
    token: values.token || process.env.SCOPEBOARD_TOKEN || null,
  }
}

/** Loaded only here: SQLite, Yjs and the scope model would slow down --help and the --url path. */
async function fromDataDir(options: Options): Promise<Uint8Array> {
  const { DataDirError, openDataDir } = await import('../server/scope/readDataDir.ts')
  let boards
  try {
    boards = openDataDir(options.dataDir)
    const stored = boards.read(options.board)
    if (!stored) throw new CliError(unknownBoardMessage(options.board, boards.dataDir, boards.list()), EXIT_FAILED)
    const { docFromUpdates, exportBoard } = await import('../server/scope/exportBoard.ts')
    const doc = docFromUpdates(stored.updates)
    try {
      return Buffer.from(exportBoard(doc, { id: stored.id, title: stored.title }, options.format).body, 'utf8')
    } finally {
      doc.destroy()
    }
  } catch (error) {
    if (error instanceof DataDirError) throw new CliError(error.message, EXIT_FAILED)
    throw error
  } finally {
    boards?.close()
  }
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
  const url = `${base}/api/boards/${encodeURIComponent(options.board)}/${EXPORT_PATHS[options.format]}`
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
