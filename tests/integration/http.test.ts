/**
 * The HTTP API over a real socket: board creation and listing, refusals of bad bodies, health,
 * and renaming, which goes through the live document both ways.
 */
import http from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { BOARD_ID_PATTERN } from '../../shared/ids.ts'
import { rawRequest, type RawResponse } from '../helpers/http.ts'
import { api, createBoard, startTestServer, type TestServer } from '../helpers/server.ts'
import { Cleanup, connectClient } from '../helpers/sync.ts'
import { waitFor } from '../helpers/wait.ts'

const cleanup = new Cleanup()
afterEach(() => cleanup.run())

let s: TestServer
beforeAll(async () => {
  s = await startTestServer()
})
afterAll(() => s?.close())

const MIB = 1024 * 1024

async function expectJsonError(res: Response, status: number): Promise<string> {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  const body = (await res.json()) as Record<string, unknown>
  expect(Object.keys(body)).toEqual(['error'])
  expect(typeof body.error).toBe('string')
  expect((body.error as string).length).toBeGreaterThan(0)
  return body.error as string
}

interface ListedBoard {
  id: string
  title: string
  updatedAt: string
  focusId: string | null
}

async function listBoards(): Promise<ListedBoard[]> {
  const res = await api(s, '/api/boards')
  expect(res.status).toBe(200)
  return (await res.json()) as ListedBoard[]
}

describe('boards API', () => {
  it('POST /api/boards creates a board: 201 {id, title, createdAt}', async () => {
    const res = await api(s, '/api/boards', { method: 'POST', json: { title: 'Checkout revamp' } })
    expect(res.status).toBe(201)
    const body = (await res.json()) as Record<string, unknown>
    expect(Object.keys(body).sort()).toEqual(['createdAt', 'id', 'title'])
    expect(body.id).toMatch(BOARD_ID_PATTERN)
    expect(body.title).toBe('Checkout revamp')
    expect(new Date(body.createdAt as string).toISOString()).toBe(body.createdAt)
  })

  it('GET /api/boards lists a new board as {id, title, updatedAt, focusId: null}', async () => {
    const board = await createBoard(s, 'Listed board')
    const listed = (await listBoards()).find((b) => b.id === board.id)
    expect(listed).toEqual({ id: board.id, title: 'Listed board', updatedAt: expect.any(String), focusId: null })
    expect(Object.keys(listed!).sort()).toEqual(['focusId', 'id', 'title', 'updatedAt'])
    expect(Number.isNaN(Date.parse(listed!.updatedAt))).toBe(false)
  })

  it('refuses malformed JSON with 400', async () => {
    await expectJsonError(
      await api(s, '/api/boards', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"title": "x"',
      }),
      400,
    )
    await expectJsonError(await api(s, '/api/boards', { method: 'POST', json: ['not', 'an', 'object'] }), 400)
  })

  it('refuses a body that is not declared as JSON with 415', async () => {
    await expectJsonError(
      await api(s, '/api/boards', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"title":"x"}' }),
      415,
    )
  })

  it('refuses a missing, empty, blank, non-string or too long title with 400', async () => {
    const bodies: unknown[] = [
      {},
      { title: '' },
      { title: '   ' },
      { title: 42 },
      { title: null },
      { title: 'x'.repeat(201) },
    ]
    for (const json of bodies) {
      await expectJsonError(await api(s, '/api/boards', { method: 'POST', json }), 400)
    }
    const longest = await api(s, '/api/boards', { method: 'POST', json: { title: 'y'.repeat(200) } })
    expect(longest.status).toBe(201)
  })

  function expectRawJsonError(res: RawResponse, status: number): void {
    expect(res.status).toBe(status)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    const body = JSON.parse(res.body) as Record<string, unknown>
    expect(Object.keys(body)).toEqual(['error'])
    expect(typeof body.error).toBe('string')
    expect((body.error as string).length).toBeGreaterThan(0)
  }

  // These go over their own connections (node:http): a refused, unread body can leave a
  // connection unusable, which must not leak into the other tests through fetch's shared pool.
  it('refuses a body over 1 MiB with 413', async () => {
    const body = JSON.stringify({ title: 'x', padding: 'p'.repeat(MIB) })
    expect(Buffer.byteLength(body)).toBeGreaterThan(MIB)
    const res = await rawRequest(`${s.url}/api/boards`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
      body,
    })
    expectRawJsonError(res, 413)
  })

  it('refuses a streamed (chunked, no Content-Length) body over 1 MiB with 413', async () => {
    function* chunks(): Generator<Buffer> {
      yield Buffer.from('{"title":"x","padding":"')
      for (let sent = 0; sent <= MIB; sent += 64 * 1024) yield Buffer.alloc(64 * 1024, 'p')
      yield Buffer.from('"}')
    }
    const res = await rawRequest(`${s.url}/api/boards`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
      body: chunks(),
    })
    expectRawJsonError(res, 413)
  })

  it('after a 413 the kept-alive connection still serves the next request (or the 413 says Connection: close)', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    cleanup.add(() => agent.destroy())
    const body = JSON.stringify({ title: 'x', padding: 'p'.repeat(MIB) })
    const refused = await rawRequest(`${s.url}/api/boards`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
      body,
      agent,
    })
    expect(refused.status).toBe(413)
    if (refused.headers.connection === 'close') return
    // The server promised keep-alive, so a client may send its next request on this connection.
    const next = await rawRequest(`${s.url}/healthz`, { agent }).catch((error: Error) => error)
    expect(next instanceof Error ? `failed: ${next.message}` : next.status).toBe(200)
  })

  it('GET /healthz answers 200 {ok: true} without a token', async () => {
    const res = await fetch(`${s.url}/healthz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true })
  })

  it('answers an unknown /api route with 404 JSON', async () => {
    await expectJsonError(await api(s, '/api/nothing-here'), 404)
    await expectJsonError(await api(s, '/api/boards/x/y/z'), 404)
  })
})

describe('renaming a board', () => {
  it('PATCH /api/boards/:id renames through the live doc: a connected client sees it, and the list shows it', async () => {
    const board = await createBoard(s, 'Old name')
    const client = connectClient(s, board.id, cleanup)
    await waitFor(() => client.provider.synced, { message: 'the client to sync' })
    expect(client.doc.getMap('meta').get('title')).toBe('Old name')

    const res = await api(s, `/api/boards/${board.id}`, { method: 'PATCH', json: { title: 'New name' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ id: board.id, title: 'New name', updatedAt: expect.any(String), focusId: null })

    await waitFor(() => client.doc.getMap('meta').get('title') === 'New name', {
      message: 'the client to see the new title',
    })
    expect((await listBoards()).find((b) => b.id === board.id)?.title).toBe('New name')
  })

  it('PATCH refuses an unknown board with 404, a bad id and a bad title with 400', async () => {
    const board = await createBoard(s, 'Stays')
    await expectJsonError(await api(s, '/api/boards/no-such-board', { method: 'PATCH', json: { title: 'x' } }), 404)
    await expectJsonError(await api(s, `/api/boards/${'a'.repeat(65)}`, { method: 'PATCH', json: { title: 'x' } }), 400)
    await expectJsonError(await api(s, `/api/boards/${board.id}`, { method: 'PATCH', json: { title: '' } }), 400)
    expect((await listBoards()).find((b) => b.id === board.id)?.title).toBe('Stays')
  })

  it('a title changed inside the doc by a client reaches the board list', async () => {
    const board = await createBoard(s, 'Before')
    const client = connectClient(s, board.id, cleanup)
    await waitFor(() => client.provider.synced, { message: 'the client to sync' })
    client.doc.getMap('meta').set('title', 'Renamed in the doc')
    await waitFor(async () => (await listBoards()).find((b) => b.id === board.id)?.title === 'Renamed in the doc', {
      message: 'GET /api/boards to show the title set in the doc',
    })
  })
})
