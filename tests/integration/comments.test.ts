/**
 * The comments API on a real server: threads written over HTTP land in the live document (a stock
 * y-websocket client on the board reads them with the comment model), survive concurrent writes
 * and a restart, and reach the scope exports (threads per card, "Open questions", the health
 * warning on a chosen solution) over HTTP and from the command-line exporter. Every bad request is
 * refused with a status and a message that says what is wrong.
 */
import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { MAX_COMMENT_LENGTH, readThreads } from '../../shared/comments/model.ts'
import type { Scope } from '../../shared/scope/index.ts'
import { rawRequest } from '../helpers/http.ts'
import { api, createBoard, startTestServer, type TestServer } from '../helpers/server.ts'
import { Cleanup, connectClient } from '../helpers/sync.ts'
import { waitFor } from '../helpers/wait.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
/** Generous for one Node start with tsx on a slow machine; a hang fails the test instead. */
const CLI_TIMEOUT_MS = 15_000
const CONCURRENT_THREADS = 20

const cleanup = new Cleanup()
afterEach(() => cleanup.run())

let s: TestServer
beforeAll(async () => {
  s = await startTestServer()
  // The routes are mounted in server/http/app.ts; say so plainly rather than fail on every 404.
  const board = await createBoard(s, 'Mount check')
  const res = await api(s, `/api/boards/${board.id}/comments`)
  if (res.status === 404 && (await res.json()).error === 'no such API route') {
    throw new Error(
      "the comment routes are not mounted: add app.route('/api/boards', commentRoutes(deps)) to server/http/app.ts",
    )
  }
})
afterAll(() => s?.close())

type Json = Record<string, unknown>

interface MessageAnswer {
  id: string
  author: { name: string; discipline: string }
  body: string
  createdAt: string
  editedAt: string | null
  deletedAt: string | null
}

interface ThreadAnswer {
  id: string
  cardId: string | null
  anchor: { kind: string; shapeId?: string }
  status: 'open' | 'resolved'
  orphaned: boolean
  createdAt: string
  lastActivityAt: string
  messages: MessageAnswer[]
}

const ana = { name: 'Ana Lopez', discipline: 'engineering' }
const ben = { name: 'Ben Ito', discipline: 'product' }
const chloe = { name: 'Chloé Martin', discipline: 'design' }

async function addCard(boardId: string, body: Json): Promise<{ id: string; arrowId: string | null }> {
  const res = await api(s, `/api/boards/${boardId}/cards`, { method: 'POST', json: body })
  if (res.status !== 201) throw new Error(`adding a card answered ${res.status}: ${await res.text()}`)
  return (await res.json()) as { id: string; arrowId: string | null }
}

function postThread(boardId: string, body: unknown): Promise<Response> {
  return api(s, `/api/boards/${boardId}/comments`, { method: 'POST', json: body })
}

function postReply(boardId: string, threadId: string, body: unknown): Promise<Response> {
  return api(s, `/api/boards/${boardId}/comments/${threadId}/replies`, { method: 'POST', json: body })
}

function patchThread(boardId: string, threadId: string, body: unknown): Promise<Response> {
  return api(s, `/api/boards/${boardId}/comments/${threadId}`, { method: 'PATCH', json: body })
}

async function answer<T = ThreadAnswer>(res: Response, status: number): Promise<T> {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${await res.text()}`)
  return (await res.json()) as T
}

async function newThread(boardId: string, cardId: string, body: string, author = ana): Promise<ThreadAnswer> {
  return answer(await postThread(boardId, { cardId, body, author }), 201)
}

async function listThreads(boardId: string, query = ''): Promise<ThreadAnswer[]> {
  return answer<ThreadAnswer[]>(await api(s, `/api/boards/${boardId}/comments${query}`), 200)
}

async function refusal(res: Response, status: number): Promise<string> {
  expect(res.status).toBe(status)
  const body = (await res.json()) as Json
  expect(Object.keys(body)).toEqual(['error'])
  return body.error as string
}

async function scopeJson(boardId: string): Promise<Scope> {
  return answer<Scope>(await api(s, `/api/boards/${boardId}/scope.json`), 200)
}

async function scopeMd(boardId: string): Promise<string> {
  const res = await api(s, `/api/boards/${boardId}/scope.md`)
  expect(res.status).toBe(200)
  return res.text()
}

/** A board with a problem and a chosen solution under it, as a team would post them. */
async function checkoutBoard(title = 'Checkout') {
  const board = await createBoard(s, title)
  const problem = await addCard(board.id, {
    kind: 'problem',
    title: 'Card declines end the checkout',
    owners: [ana],
  })
  const solution = await addCard(board.id, {
    kind: 'solution',
    title: 'Retry with saved card',
    status: 'chosen',
    owners: [ana],
    parentId: problem.id,
  })
  return { board, problem, solution }
}

describe('POST /api/boards/:id/comments', () => {
  it('writes the thread into the live document, where a stock y-websocket client reads it', async () => {
    const { board, solution } = await checkoutBoard()
    const client = connectClient(s, board.id, cleanup)
    await waitFor(() => client.provider.synced, { message: 'the client to sync' })

    const author = { ...ben, id: 'profile-ben', color: '#2f9e44' }
    const thread = await newThread(
      board.id,
      solution.id,
      '  What happens when\r\nthe card is declined twice?  ',
      author,
    )
    expect(thread).toEqual({
      id: expect.stringMatching(/^t_[0-9a-f]+$/),
      cardId: solution.id,
      anchor: { kind: 'shape', shapeId: `shape:${solution.id}` },
      status: 'open',
      orphaned: false,
      createdAt: expect.any(String),
      lastActivityAt: thread.createdAt,
      messages: [
        {
          id: expect.any(String),
          author: ben,
          body: 'What happens when\nthe card is declined twice?',
          createdAt: thread.createdAt,
          editedAt: null,
          deletedAt: null,
        },
      ],
    })
    expect(Date.parse(thread.createdAt)).not.toBeNaN()

    const seen = await waitFor(() => readThreads(client.doc).find((t) => t.id === thread.id), {
      message: 'the thread to reach the client',
    })
    expect(seen).toMatchObject({
      anchor: { kind: 'shape', shapeId: `shape:${solution.id}` },
      status: 'open',
      messages: [{ body: 'What happens when\nthe card is declined twice?', author }],
    })
  })

  it('takes the card id with or without "shape:", and any shape, not only cards', async () => {
    const { board, solution } = await checkoutBoard()
    const prefixed = await newThread(board.id, `shape:${solution.id}`, 'Prefixed')
    expect(prefixed.cardId).toBe(solution.id)
    // The arrow the cards API drew between the two cards stands in for any sketch on the canvas.
    const onArrow = await newThread(board.id, solution.arrowId!, 'Why this arrow?')
    expect(onArrow).toMatchObject({ cardId: solution.arrowId, orphaned: false })
  })

  it('refuses bad requests with a status and a message, and writes nothing', async () => {
    const { board, solution } = await checkoutBoard()
    const post = (body: unknown) => postThread(board.id, body)
    const valid = { cardId: solution.id, body: 'Fine', author: ana }

    expect(await refusal(await post({ ...valid, body: '' }), 400)).toBe('a comment cannot be empty')
    expect(await refusal(await post({ ...valid, body: ' \n\t ' }), 400)).toBe('a comment cannot be empty')
    expect(await refusal(await post({ ...valid, body: 42 }), 400)).toBe('"body" must be a string')
    expect(await refusal(await post({ ...valid, body: 'x'.repeat(MAX_COMMENT_LENGTH + 1) }), 400)).toBe(
      `a comment can be at most ${MAX_COMMENT_LENGTH} characters`,
    )
    expect(await refusal(await post({ cardId: solution.id, body: 'Hi' }), 400)).toBe(
      '"author" must be {name, discipline}',
    )
    expect(await refusal(await post({ ...valid, author: { name: '  ', discipline: 'design' } }), 400)).toBe(
      '"author.name" must be a non-empty string',
    )
    expect(await refusal(await post({ ...valid, author: { name: 'Sam', discipline: 'sales' } }), 400)).toBe(
      '"author.discipline" must be one of engineering, design, product',
    )
    expect(await refusal(await post({ ...valid, cardId: 'no-such-card' }), 404)).toBe(
      'no card or shape "no-such-card" on this board',
    )
    // A record that is not a shape is not something to comment on.
    expect(await refusal(await post({ ...valid, cardId: 'page:page' }), 404)).toBe(
      'no card or shape "page:page" on this board',
    )
    for (const cardId of [undefined, '', 'shape:', 42, 'x'.repeat(201)]) {
      expect(await refusal(await post({ ...valid, cardId }), 400), String(cardId)).toMatch(/^"cardId" must be/)
    }
    expect(await refusal(await api(s, `/api/boards/${board.id}/comments`, { method: 'POST', body: 'hi' }), 415)).toBe(
      'send the body as JSON with Content-Type: application/json',
    )
    expect(await refusal(await post(['not', 'an', 'object']), 400)).toBe('the body must be a JSON object')
    expect(await refusal(await postThread('nosuchboard', valid), 404)).toBe('no board with this id')
    expect(await refusal(await postThread('bad.id', valid), 400)).toMatch(/^board id must be/)
    expect(
      await refusal(
        await api(s, `/api/boards/${board.id}/comments`, { method: 'POST', json: valid, token: null }),
        401,
      ),
    ).toMatch(/^no token/)

    expect(await listThreads(board.id)).toEqual([])
  })
})

describe('replies and status', () => {
  it('adds replies, resolves and reopens, and lists threads by status, newest activity first', async () => {
    const { board, problem, solution } = await checkoutBoard()
    const client = connectClient(s, board.id, cleanup)
    await waitFor(() => client.provider.synced, { message: 'the client to sync' })

    // Threads in one millisecond tie, and a tie is broken by id: each step waits for the clock.
    const nextMillisecond = (iso: string) =>
      waitFor(() => Date.now() > Date.parse(iso), { message: 'the clock to move on' })
    const first = await newThread(board.id, solution.id, 'What if the wallet is declined too?', ana)
    await nextMillisecond(first.lastActivityAt)
    const second = await newThread(board.id, problem.id, 'Who is affected most?', chloe)
    expect((await listThreads(board.id)).map((t) => t.id)).toEqual([second.id, first.id])

    await nextMillisecond(second.lastActivityAt)
    const replied = await answer(
      await postReply(board.id, first.id, { body: 'We show the support contact.', author: ben }),
      201,
    )
    expect(replied.messages.map((m) => [m.author.name, m.body])).toEqual([
      ['Ana Lopez', 'What if the wallet is declined too?'],
      ['Ben Ito', 'We show the support contact.'],
    ])
    expect(replied.lastActivityAt >= second.lastActivityAt).toBe(true)
    // The reply is the newest activity on the board, so its thread comes first now.
    expect((await listThreads(board.id)).map((t) => t.id)).toEqual([first.id, second.id])
    await waitFor(() => readThreads(client.doc).find((t) => t.id === first.id)?.messages.length === 2, {
      message: 'the reply to reach the client',
    })

    const resolved = await answer(await patchThread(board.id, first.id, { status: 'resolved', author: ana }), 200)
    expect(resolved).toMatchObject({ id: first.id, status: 'resolved' })
    await waitFor(() => readThreads(client.doc).find((t) => t.id === first.id)?.status === 'resolved', {
      message: 'the resolve to reach the client',
    })
    expect(readThreads(client.doc).find((t) => t.id === first.id)?.statusBy).toMatchObject(ana)
    expect((await listThreads(board.id, '?status=open')).map((t) => t.id)).toEqual([second.id])
    expect((await listThreads(board.id, '?status=resolved')).map((t) => t.id)).toEqual([first.id])
    expect(await listThreads(board.id, '?status=all')).toHaveLength(2)

    // Resolving what is resolved changes nothing.
    const again = await answer(await patchThread(board.id, first.id, { status: 'resolved', author: ben }), 200)
    expect(again.lastActivityAt).toBe(resolved.lastActivityAt)

    const reopened = await answer(await patchThread(board.id, first.id, { status: 'open', author: ben }), 200)
    expect(reopened.status).toBe('open')
    expect((await listThreads(board.id, '?status=open')).map((t) => t.id).sort()).toEqual([first.id, second.id].sort())
  })

  it('refuses bad replies and status changes with a status and a message', async () => {
    const { board, solution } = await checkoutBoard()
    const thread = await newThread(board.id, solution.id, 'Question')

    expect(await refusal(await postReply(board.id, 't_000000', { body: 'Hi', author: ana }), 404)).toBe(
      'no comment thread "t_000000" on this board',
    )
    expect(await refusal(await postReply(board.id, 'bad.id', { body: 'Hi', author: ana }), 400)).toMatch(
      /^thread id must be/,
    )
    expect(await refusal(await postReply(board.id, thread.id, { body: '   ', author: ana }), 400)).toBe(
      'a comment cannot be empty',
    )
    expect(await refusal(await postReply(board.id, thread.id, { body: 'Hi', author: 'Ana' }), 400)).toBe(
      '"author" must be {name, discipline}',
    )
    expect(await refusal(await patchThread(board.id, thread.id, { status: 'done', author: ana }), 400)).toBe(
      '"status" must be "open" or "resolved"',
    )
    expect(await refusal(await patchThread(board.id, thread.id, { status: 'resolved' }), 400)).toBe(
      '"author" must be {name, discipline}',
    )
    expect(await refusal(await patchThread(board.id, 't_000000', { status: 'resolved', author: ana }), 404)).toBe(
      'no comment thread "t_000000" on this board',
    )
    expect(await refusal(await api(s, `/api/boards/${board.id}/comments?status=closed`), 400)).toBe(
      '"status" must be one of open, resolved, all (got "closed")',
    )
    expect(await refusal(await api(s, `/api/boards/nosuchboard/comments`), 404)).toBe('no board with this id')

    const [unchanged] = await listThreads(board.id)
    expect(unchanged).toMatchObject({ id: thread.id, status: 'open' })
    expect(unchanged.messages).toHaveLength(1)
  })

  it('lists a thread whose shape was deleted as orphaned, and keeps it in the scope export', async () => {
    const { board, problem } = await checkoutBoard()
    const thread = await newThread(board.id, problem.id, 'Still relevant?')
    const client = connectClient(s, board.id, cleanup)
    await waitFor(() => client.provider.synced, { message: 'the client to sync' })

    client.doc.getMap('records').delete(`shape:${problem.id}`)
    const [orphan] = await waitFor(
      async () => {
        const threads = await listThreads(board.id)
        return threads[0]?.orphaned ? threads : null
      },
      { message: 'the deletion to reach the server' },
    )
    expect(orphan).toMatchObject({ id: thread.id, cardId: problem.id, orphaned: true, status: 'open' })
    const scope = await scopeJson(board.id)
    expect(scope.orphanedThreads).toEqual([
      {
        id: thread.id,
        anchorId: problem.id,
        status: 'open',
        createdAt: thread.createdAt,
        messages: [{ author: ana, body: 'Still relevant?', createdAt: thread.createdAt, deleted: false }],
      },
    ])
    expect(await scopeMd(board.id)).toContain(
      '**On a deleted shape**\n\n- **Ana Lopez** (engineering): Still relevant?\n',
    )
  })
})

describe('comments in the scope exports', () => {
  it('carry the threads per card, "Open questions", and the warning on a chosen solution until resolved', async () => {
    const { board, problem, solution } = await checkoutBoard('Checkout: declined cards')
    const warning = async () =>
      (await scopeJson(board.id)).health.checks.find((c) => c.id === 'open-comment-on-chosen-solution')!
    expect(await warning()).toMatchObject({ passed: true, cardIds: [] })

    const question = await newThread(board.id, solution.id, 'What if the saved card has expired?', chloe)
    await answer(await postReply(board.id, question.id, { body: 'We ask for a new card.', author: ana }), 201)
    const onProblem = await newThread(board.id, problem.id, 'How many shoppers is this?', ben)
    await answer(await patchThread(board.id, onProblem.id, { status: 'resolved', author: ben }), 200)

    const scope = await scopeJson(board.id)
    expect(scope.schemaVersion).toBe(2)
    const [p] = scope.problems
    const [chosen] = p.solutions
    expect(chosen).toMatchObject({ id: solution.id, status: 'chosen', openThreads: 1 })
    expect(chosen.threads).toEqual([
      {
        id: question.id,
        status: 'open',
        createdAt: question.createdAt,
        messages: [
          {
            author: chloe,
            body: 'What if the saved card has expired?',
            createdAt: question.createdAt,
            deleted: false,
          },
          { author: ana, body: 'We ask for a new card.', createdAt: expect.any(String), deleted: false },
        ],
      },
    ])
    expect(p).toMatchObject({ openThreads: 0, threads: [{ id: onProblem.id, status: 'resolved' }] })
    expect(await warning()).toMatchObject({ passed: false, severity: 'warning', cardIds: [solution.id] })

    const md = await scopeMd(board.id)
    const openQuestions = md.slice(md.indexOf('## Open questions'), md.indexOf('## Health checks'))
    expect(openQuestions).toBe(
      [
        '## Open questions',
        '',
        '**Solution: Retry with saved card**',
        '',
        '- **Chloé Martin** (design): What if the saved card has expired?',
        '  - **Ana Lopez** (engineering): We ask for a new card.',
        '',
        '',
      ].join('\n'),
    )
    expect(md).toContain('- ⚠️ **Warning**: 1 chosen solution has open comment threads')

    await answer(await patchThread(board.id, question.id, { status: 'resolved', author: ana }), 200)
    expect(await warning()).toMatchObject({ passed: true, cardIds: [] })
    const after = await scopeMd(board.id)
    expect(after).toContain('## Open questions\n\n_No open comment threads._\n')
    expect(after).not.toContain('open comment threads:')
  })

  it('reach the command-line export from the data directory, equal to the HTTP one', async () => {
    const { board, solution } = await checkoutBoard('CLI with comments')
    await newThread(board.id, solution.id, 'Exported from disk too?')
    const http = Buffer.from(await (await api(s, `/api/boards/${board.id}/scope.json`)).arrayBuffer())

    const cli = await new Promise<{ code: number | null; stdout: Buffer; stderr: string }>((resolve, reject) => {
      const env = { ...process.env }
      delete env.DATA_DIR
      delete env.SCOPEBOARD_TOKEN
      execFile(
        process.execPath,
        ['--import', 'tsx', 'scripts/export.ts', '--board', board.id, '--format', 'json', '--data-dir', s.dataDir],
        { cwd: ROOT, env, encoding: 'buffer', timeout: CLI_TIMEOUT_MS },
        (error, stdout, stderr) => {
          if (error?.killed) return reject(new Error('the exporter did not finish'))
          resolve({
            code: error ? (typeof error.code === 'number' ? error.code : null) : 0,
            stdout,
            stderr: `${stderr}`,
          })
        },
      )
    })
    expect(cli.stderr).toBe('')
    expect(cli.code).toBe(0)
    expect(cli.stdout.equals(http)).toBe(true)
    const scope = JSON.parse(cli.stdout.toString('utf8')) as Scope
    expect(scope.problems[0].solutions[0].threads[0].messages[0].body).toBe('Exported from disk too?')
  })
})

describe('concurrent writes', () => {
  it(`keeps all of ${CONCURRENT_THREADS} threads posted at once, and across a restart`, async () => {
    const { board, solution } = await checkoutBoard()
    const client = connectClient(s, board.id, cleanup, { maxBackoffTime: 100 })
    await waitFor(() => client.provider.synced, { message: 'the client to sync' })

    const bodies = Array.from({ length: CONCURRENT_THREADS }, (_, i) => `Question ${i + 1}`)
    const responses = await Promise.all(
      bodies.map((body, i) => postThread(board.id, { cardId: solution.id, body, author: i % 2 ? ana : chloe })),
    )
    expect(responses.map((r) => r.status)).toEqual(bodies.map(() => 201))
    const ids = await Promise.all(responses.map(async (r) => ((await r.json()) as ThreadAnswer).id))
    expect(new Set(ids).size).toBe(CONCURRENT_THREADS)

    const created = await listThreads(board.id)
    expect(created.map((t) => t.messages[0].body).sort()).toEqual([...bodies].sort())
    await waitFor(() => readThreads(client.doc).length === CONCURRENT_THREADS, {
      message: `all ${CONCURRENT_THREADS} threads to reach the client`,
    })
    expect((await scopeJson(board.id)).problems[0].solutions[0].openThreads).toBe(CONCURRENT_THREADS)

    // Replies to one thread at once all land too: array inserts from separate changes merge.
    const replies = await Promise.all(
      bodies.map((body) => postReply(board.id, ids[0], { body: `Re: ${body}`, author: ben })),
    )
    expect(replies.map((r) => r.status)).toEqual(bodies.map(() => 201))
    const listed = await listThreads(board.id)
    const replied = listed.find((t) => t.id === ids[0])!
    expect(
      replied.messages
        .slice(1)
        .map((m) => m.body)
        .sort(),
    ).toEqual(bodies.map((b) => `Re: ${b}`).sort())

    await s.restart()
    // A fresh connection: fetch's pool may still hold one the stopped server closed.
    const res = await rawRequest(`${s.url}/api/boards/${board.id}/comments`, {
      headers: { authorization: `Bearer ${s.token}` },
    })
    expect(res.status).toBe(200)
    const afterRestart = JSON.parse(res.body) as ThreadAnswer[]
    expect(afterRestart.map((t) => t.id).sort()).toEqual([...ids].sort())
    expect(afterRestart).toEqual(listed)
  })
})
