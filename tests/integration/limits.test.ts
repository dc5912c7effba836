/**
 * The server under bad input and load: malformed, mistyped, huge and path-traversing HTTP
 * requests; security headers; and the sync limits — message rate, connections per board and per
 * address, message and awareness size, updates that build on what the server lacks, cookies from
 * another origin, and a client that stops reading while another floods the board.
 */
import http from 'node:http'
import type { Socket } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { BoardId } from '../../shared/ids.ts'
import { CloseCode, encodeFlushed, MESSAGE_QUERY_AWARENESS } from '../../shared/sync/protocol.ts'
import { rawRequest } from '../helpers/http.ts'
import { createLink } from '../helpers/links.ts'
import { api, createBoard, startTestServer, type TestServer } from '../helpers/server.ts'
import {
  Cleanup,
  connectClient,
  encodeSyncUpdate,
  isSyncStep1,
  openRawSocket,
  syncUrl,
  type RawSocket,
} from '../helpers/sync.ts'
import { waitFor, withTimeout } from '../helpers/wait.ts'

const cleanup = new Cleanup()
afterEach(() => cleanup.run())

async function expectJsonError(res: Response, status: number, label: string): Promise<void> {
  expect(res.status, label).toBe(status)
  const body = (await res.json()) as Record<string, unknown>
  expect(Object.keys(body), label).toEqual(['error'])
  expect(typeof body.error === 'string' && body.error.length > 0, label).toBe(true)
}

async function admitted(raw: RawSocket, label: string): Promise<void> {
  await waitFor(() => raw.messages.some(isSyncStep1) || raw.closeInfo, { message: `${label} to open` })
  expect(raw.closeInfo, label).toBeNull()
}

async function refusedWith(raw: RawSocket, code: number, reason: RegExp): Promise<void> {
  const closed = await withTimeout(raw.closed, 5_000, `the server to close with ${code}`)
  expect(closed.code).toBe(code)
  expect(closed.reason).toMatch(reason)
}

describe('bad HTTP input', () => {
  let s: TestServer
  let boardId: string
  let viewToken: string
  beforeAll(async () => {
    s = await startTestServer()
    boardId = (await createBoard(s, 'Input')).id
    viewToken = (await createLink(s, boardId, 'view')).token
  })
  afterAll(() => s?.close())

  it('malformed JSON and wrong types are 400, a body not declared as JSON is 415', async () => {
    const post = (path: string, body: string, type = 'application/json') =>
      api(s, path, { method: 'POST', body, headers: { 'content-type': type } })
    const links = `/api/boards/${boardId}/links`
    await expectJsonError(await post(links, '{"role": "view"'), 400, 'truncated JSON')
    await expectJsonError(await post(links, '["view"]'), 400, 'an array')
    await expectJsonError(await post(links, '"view"'), 400, 'a string')
    await expectJsonError(await post(links, '{"role": ["view"]}'), 400, 'a role that is a list')
    await expectJsonError(await post(links, '{"role": "view"}', 'text/plain'), 415, 'text/plain')
    await expectJsonError(await post(`/api/boards/${boardId}/cards`, '{"kind": 1, "title": {}}'), 400, 'card types')
    await expectJsonError(
      await api(s, `/api/boards/${boardId}`, { method: 'PATCH', json: { title: ['x'] } }),
      400,
      'a title that is a list',
    )
  })

  it('a body over 1 MiB is 413, on the links route too', async () => {
    const res = await rawRequest(`${s.url}/api/boards/${boardId}/links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'view', padding: 'p'.repeat(1024 * 1024) }),
    })
    expect(res.status).toBe(413)
    expect(Object.keys(JSON.parse(res.body) as object)).toEqual(['error'])
  })

  it('path traversal, overlong, broken and control-character ids are 400 (with any token), never 500', async () => {
    const long = 'a'.repeat(10_000)
    const paths = [
      '/api/boards/..%2F..',
      '/api/boards/..%2F..%2Fhealthz/scope.json',
      '/api/boards/..%5C..%5Cetc%5Cpasswd/scope.md',
      `/api/boards/${'a'.repeat(65)}`,
      `/api/boards/${long}/edge-cases.csv`,
      '/api/boards/%E0%A4%A/scope.json',
      '/api/boards/a%00b',
      `/api/boards/${boardId}/links/${'l'.repeat(65)}`,
      `/api/boards/${boardId}/links/..%2F..`,
    ]
    for (const path of paths) {
      const method = path.includes('/links/') ? 'DELETE' : 'GET'
      for (const token of method === 'GET' ? [s.token, viewToken] : [s.token]) {
        const res = await rawPath(s, path, { method, headers: { authorization: `Bearer ${token}` } })
        expect(res.status, `${method} ${path}`).toBe(400)
        expect(Object.keys(JSON.parse(res.body) as object), `${method} ${path}`).toEqual(['error'])
      }
    }
    await expectJsonError(await api(s, `/api/session?board=..%2F..`), 400, 'session for a traversing id')
    // Dot segments, even percent-encoded, are resolved when the URL is parsed, before routing:
    // `/api/boards/%2e%2e/links` is `/api/links`, which is no route.
    const dots = await rawPath(s, '/api/boards/%2e%2e/links', {
      method: 'GET',
      headers: { authorization: `Bearer ${s.token}` },
    })
    expect(dots.status).toBe(404)
  })

  it('an unknown board is 404 for the workspace; an unknown route is 404, and closed to links (403)', async () => {
    await expectJsonError(await api(s, '/api/boards/no-such-board'), 404, 'unknown board')
    await expectJsonError(await api(s, '/api/nothing-here'), 404, 'unknown route')
    await expectJsonError(await api(s, `/api/boards/${boardId}/nothing`, { token: viewToken }), 403, 'unlisted route')
  })

  it('a token far too long, or with odd characters, is simply not valid: 401', async () => {
    await expectJsonError(await api(s, `/api/boards/${boardId}`, { token: 'x'.repeat(4_000) }), 401, 'long token')
    const odd = `/api/boards/${boardId}?token=${encodeURIComponent('a.b.c\u0000\u202e')}`
    await expectJsonError(await api(s, odd, { token: null }), 401, 'odd token')
  })

  it('every answer carries the security headers: CSP for own origin only, no framing, nosniff, same-origin referrer', async () => {
    for (const path of ['/', '/b/x', '/healthz', '/api/boards', '/api/nothing-here', '/nothing']) {
      const res = await api(s, path)
      await res.arrayBuffer()
      const csp = res.headers.get('content-security-policy') ?? ''
      expect(csp, path).toContain("default-src 'self'")
      expect(csp, path).toContain("script-src 'self'")
      expect(csp, path).toContain("frame-ancestors 'none'")
      expect(csp, path).toContain("object-src 'none'")
      expect(csp, path).toContain(`connect-src 'self' ws://127.0.0.1:${s.port} wss://127.0.0.1:${s.port}`)
      expect(res.headers.get('x-frame-options'), path).toBe('DENY')
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
      expect(res.headers.get('referrer-policy'), path).toBe('same-origin')
    }
  })
})

describe('sync limits', () => {
  let s: TestServer
  beforeAll(async () => {
    s = await startTestServer({
      limits: {
        maxConnectionsPerBoard: 3,
        maxConnectionsPerIp: 6,
        messageRatePerSecond: 100,
        messageBurst: 50,
        maxAwarenessBytes: 2048,
        maxMessageBytes: 256 * 1024,
      },
    })
  })
  afterAll(() => s?.close())

  /** Waits until the server has let go of this file's earlier sockets. */
  const settled = () => waitFor(() => s.server.connections.size === 0, { message: 'earlier sockets to close' })

  it('a connection that sends faster than its bucket allows is closed with 4429; others carry on', async () => {
    await settled()
    const board = (await createBoard(s, 'Rate')).id
    const calm = connectClient(s, board, cleanup)
    await waitFor(() => calm.provider.synced, { message: 'the calm client to sync' })
    const noisy = openRawSocket(syncUrl(s, board, s.token), cleanup)
    await admitted(noisy, 'the noisy socket')
    for (let i = 0; i < 200; i++) noisy.send(new Uint8Array([MESSAGE_QUERY_AWARENESS]))
    await refusedWith(noisy, CloseCode.TooManyRequests, /too many messages: at most 100 a second/)
    calm.doc.getMap('records').set('shape:still', { x: 1 })
    const watcher = connectClient(s, board, cleanup)
    await waitFor(() => watcher.doc.getMap('records').has('shape:still'), { message: 'the calm client’s edit' })
    expect(calm.statuses.filter((st) => st === 'connected')).toHaveLength(1)
  })

  it('a board takes at most 3 connections and an address at most 6; more are closed with 4429', async () => {
    await settled()
    const a = (await createBoard(s, 'Full')).id
    const b = (await createBoard(s, 'Also full')).id
    const onA = [0, 1, 2].map(() => openRawSocket(syncUrl(s, a, s.token), cleanup))
    for (const raw of onA) await admitted(raw, 'a socket on board A')
    await refusedWith(openRawSocket(syncUrl(s, a, s.token), cleanup), CloseCode.TooManyRequests, /this board has 3/)

    const onB = [0, 1, 2].map(() => openRawSocket(syncUrl(s, b, s.token), cleanup))
    for (const raw of onB) await admitted(raw, 'a socket on board B')
    // Refused before the token is even read: 6 sockets from 127.0.0.1 are open.
    await refusedWith(openRawSocket(syncUrl(s, b), cleanup), CloseCode.TooManyRequests, /at most 6 per address/)

    onA[0].ws.close()
    await waitFor(() => s.server.connections.onBoard(a as BoardId) === 2, { message: 'the server to count the close' })
    await admitted(openRawSocket(syncUrl(s, a, s.token), cleanup), 'a socket once one left')
  })

  it('a frame over the size limit is closed with 1009', async () => {
    await settled()
    const board = (await createBoard(s, 'Big')).id
    const raw = openRawSocket(syncUrl(s, board, s.token), cleanup)
    await admitted(raw, 'the socket')
    raw.send(new Uint8Array(256 * 1024 + 1))
    expect((await withTimeout(raw.closed, 5_000, 'the close')).code).toBe(CloseCode.MessageTooBig)
  })

  it('awareness: too large, not an object, or too many clients is closed with 4400', async () => {
    await settled()
    const board = (await createBoard(s, 'Presence')).id
    const awareness = (entries: Array<[number, string]>) => {
      const parts: number[] = [entries.length]
      for (const [client, json] of entries) {
        const text = Buffer.from(json)
        parts.push(client, 1, ...varUint(text.length), ...text)
      }
      return new Uint8Array([1, ...varUint(parts.length), ...parts])
    }
    const cases: Array<[Uint8Array, RegExp]> = [
      [awareness([[5, JSON.stringify({ user: { name: 'x'.repeat(3000) } })]]), /larger than 2048 bytes/],
      [awareness([[5, '[1,2,3]']]), /must be an object/],
      [awareness([[5, '"just a string"']]), /must be an object/],
      [awareness([[5, '{"a":']]), /not JSON/],
      [awareness(Array.from({ length: 9 }, (_, i) => [10 + i, '{}'] as [number, string])), /more than 8 clients/],
    ]
    for (const [frame, reason] of cases) {
      const raw = openRawSocket(syncUrl(s, board, s.token), cleanup)
      await admitted(raw, 'the socket')
      raw.send(frame)
      await refusedWith(raw, CloseCode.BadMessage, reason)
    }
    const fine = openRawSocket(syncUrl(s, board, s.token), cleanup)
    await admitted(fine, 'the socket')
    fine.send(awareness([[5, '{"user":{"name":"Ok"}}']]))
    fine.send(new Uint8Array([MESSAGE_QUERY_AWARENESS]))
    await waitFor(() => fine.messages.some((m) => m[0] === 1 && Buffer.from(m).includes(Buffer.from('"Ok"'))), {
      message: 'the accepted presence to be answered back',
    })
    expect(fine.closeInfo).toBeNull()
  })

  it('presence: nobody may speak for another person’s client, before or after they leave; the same person may take theirs back', async () => {
    await settled()
    const board = (await createBoard(s, 'Who is here')).id
    const frame = (client: number, clock: number, state: object | null) => {
      const text = Buffer.from(JSON.stringify(state))
      const parts = [1, ...varUint(client), ...varUint(clock), ...varUint(text.length), ...text]
      return new Uint8Array([1, ...varUint(parts.length), ...parts])
    }
    // What the server holds as client 77's presence (the room stays loaded while sockets are on it).
    const room = await s.server.rooms.get(board as BoardId)
    cleanup.add(() => s.server.rooms.release(room))
    const name = () => (room.awareness.getStates().get(77) as { user?: { name?: string } } | undefined)?.user?.name
    /** Sends a query after `frame` and waits for its answer: by then the server has dealt with the frame. */
    const sendAndSettle = async (socket: RawSocket, data: Uint8Array, label: string) => {
      const answers = socket.messages.filter((m) => m[0] === 1).length
      socket.send(data)
      socket.send(new Uint8Array([MESSAGE_QUERY_AWARENESS]))
      await waitFor(() => socket.messages.filter((m) => m[0] === 1).length > answers, { message: label })
    }

    const ada = openRawSocket(syncUrl(s, board, s.token), cleanup)
    await admitted(ada, 'ada')
    ada.send(frame(77, 1, { user: { name: 'Ada' } }))
    await waitFor(() => name() === 'Ada', { message: "ada's presence" })

    // A view link's client sends Ada's state back as it received it (stock y-websocket clients do
    // that with every change), then a state of its own for her client, then her removal (as a
    // client does that stopped hearing from her): none of it is applied, and the socket stays.
    const view = await createLink(s, board, 'view')
    const other = openRawSocket(syncUrl(s, board, view.token), cleanup)
    await admitted(other, 'the view link')
    await sendAndSettle(other, frame(77, 1, { user: { name: 'Ada' } }), 'the echo')
    await sendAndSettle(other, frame(77, 2, { user: { name: 'Mallory' } }), 'the spoof')
    await sendAndSettle(other, frame(77, 2, null), 'the forwarded removal')
    expect(name()).toBe('Ada')
    expect(other.closeInfo).toBeNull()

    // Ada on a new socket (a reconnect before the old one timed out) takes her client over, and
    // keeps it when the old socket goes.
    const back = openRawSocket(syncUrl(s, board, s.token), cleanup)
    await admitted(back, 'ada again')
    back.send(frame(77, 3, { user: { name: 'Ada, back' } }))
    await waitFor(() => name() === 'Ada, back', { message: "ada's new presence" })
    const peers = room.peerCount
    ada.ws.close()
    await waitFor(() => room.peerCount === peers - 1, { message: 'the old socket to leave the room' })
    expect(name()).toBe('Ada, back')

    // When she leaves, her presence goes with her, and her client stays hers: the link cannot
    // announce it while she is away; she can when she is back.
    back.ws.close()
    await waitFor(() => name() === undefined, { message: 'her presence to go with her socket' })
    await sendAndSettle(other, frame(77, 9, { user: { name: 'Mallory' } }), 'the spoof while she is away')
    expect(name()).toBe(undefined)
    const again = openRawSocket(syncUrl(s, board, s.token), cleanup)
    await admitted(again, 'ada, third time')
    again.send(frame(77, 10, { user: { name: 'Ada, again' } }))
    await waitFor(() => name() === 'Ada, again', { message: 'her presence after coming back' })
    expect(other.closeInfo).toBeNull()
  })

  it('awareness echoed back for everyone in a busy room is not mistaken for speaking for them', async () => {
    await settled()
    const board = (await createBoard(s, 'Busy room')).id
    const frame = (entries: Array<[number, number, object]>) => {
      const parts: number[] = [entries.length]
      for (const [client, clock, state] of entries) {
        const text = Buffer.from(JSON.stringify(state))
        parts.push(...varUint(client), ...varUint(clock), ...varUint(text.length), ...text)
      }
      return new Uint8Array([1, ...varUint(parts.length), ...parts])
    }
    // Ten people, on two sockets (the per-address limit of this server is low; a socket may speak
    // for up to eight clients).
    const people = Array.from({ length: 10 }, (_, i) => 1000 + i)
    for (const group of [people.slice(0, 8), people.slice(8)]) {
      const socket = openRawSocket(syncUrl(s, board, s.token), cleanup)
      await admitted(socket, `people ${group.join(', ')}`)
      socket.send(frame(group.map((id) => [id, 1, { user: { name: `P${id}` } }])))
    }
    const room = await s.server.rooms.get(board as BoardId)
    cleanup.add(() => s.server.rooms.release(room))
    await waitFor(() => people.every((id) => room.awareness.getStates().has(id)), { message: 'ten people present' })
    // A newcomer's stock client sends back the ten states it was given, with its own.
    const newcomer = openRawSocket(syncUrl(s, board, s.token), cleanup)
    await admitted(newcomer, 'the newcomer')
    newcomer.send(
      frame([
        ...people.map((id): [number, number, object] => [id, 1, { user: { name: `P${id}` } }]),
        [2000, 1, { user: { name: 'New' } }],
      ]),
    )
    await waitFor(() => room.awareness.getStates().has(2000), { message: "the newcomer's presence" })
    expect(newcomer.closeInfo).toBeNull()
  })

  const step2Frame = (update: Uint8Array) => new Uint8Array([0, 1, ...varUint(update.length), ...update])

  it('an update sent before the sync step 2 and building on it is not lost; "flushed" waits for that step 2', async () => {
    await settled()
    const board = (await createBoard(s, 'Early edits')).id
    const raw = openRawSocket(syncUrl(s, board, s.token), cleanup)
    await admitted(raw, 'the socket')
    // An offline copy: X was made offline; U, made right after connecting, builds on it.
    const local = new Y.Doc()
    local.getArray('list').insert(0, ['X, offline'])
    const before = Y.encodeStateVector(local)
    local.getArray('list').insert(1, ['U, after X'])
    raw.send(encodeSyncUpdate(Y.encodeStateAsUpdate(local, before)))
    raw.send(encodeFlushed(7))
    const answered = () => raw.messages.some((m) => Buffer.from(m).equals(Buffer.from(encodeFlushed(7))))
    // Round trips through the server: an early answer would have been sent by now.
    for (let i = 0; i < 3; i++) expect((await fetch(`${s.url}/healthz`)).status).toBe(200)
    expect(answered()).toBe(false)

    raw.send(step2Frame(Y.encodeStateAsUpdate(local)))
    await waitFor(answered, { message: 'the flushed answer once the step 2 is stored' })
    const reader = connectClient(s, board, cleanup)
    await waitFor(() => reader.doc.getArray('list').length === 2, { message: 'X and U to reach another client' })
    expect(reader.doc.getArray('list').toJSON()).toEqual(['X, offline', 'U, after X'])
    expect(raw.closeInfo).toBeNull()
  })

  it('after the step 2, the server asks for what an update builds on (its sync step 1), and the answer heals it', async () => {
    await settled()
    const board = (await createBoard(s, 'Other tab')).id
    const raw = openRawSocket(syncUrl(s, board, s.token), cleanup)
    await admitted(raw, 'the socket')
    raw.send(step2Frame(Y.encodeStateAsUpdate(new Y.Doc())))
    // Another tab handed this client a change the server has not seen; the client builds on it.
    const local = new Y.Doc()
    local.getArray('list').insert(0, ['from the other tab'])
    const seen = Y.encodeStateVector(local)
    local.getArray('list').insert(1, ['built on it'])
    const stepsBefore = raw.messages.filter(isSyncStep1).length
    raw.send(encodeSyncUpdate(Y.encodeStateAsUpdate(local, seen)))
    await waitFor(() => raw.messages.filter(isSyncStep1).length > stepsBefore, {
      message: 'the server to ask with its sync step 1',
    })
    raw.send(step2Frame(Y.encodeStateAsUpdate(local)))
    const reader = connectClient(s, board, cleanup)
    await waitFor(() => reader.doc.getArray('list').length === 2, { message: 'both changes to arrive' })
    expect(raw.closeInfo).toBeNull()
  })

  it('a client whose answers never bring what its updates build on is closed (4400) after 8 requests', async () => {
    await settled()
    const board = (await createBoard(s, 'Never heals')).id
    const raw = openRawSocket(syncUrl(s, board, s.token), cleanup)
    await admitted(raw, 'the socket')
    const empty = step2Frame(Y.encodeStateAsUpdate(new Y.Doc()))
    raw.send(empty)
    const stranger = new Y.Doc()
    stranger.getArray('list').insert(0, ['unseen'])
    for (let i = 1; i <= 9 && !raw.closeInfo; i++) {
      const seen = Y.encodeStateVector(stranger)
      stranger.getArray('list').insert(0, [`builds on unseen ${i}`])
      const asked = raw.messages.filter(isSyncStep1).length
      raw.send(encodeSyncUpdate(Y.encodeStateAsUpdate(stranger, seen)))
      await waitFor(() => raw.messages.filter(isSyncStep1).length > asked || raw.closeInfo, {
        message: `request ${i}`,
      })
      if (!raw.closeInfo) raw.send(empty)
    }
    await refusedWith(raw, CloseCode.BadMessage, /update depends on changes the server does not have/)
    expect(raw.messages.filter(isSyncStep1)).toHaveLength(1 + 8)
  })

  it('cookies count only for sockets opened by this origin (or by no page at all)', async () => {
    await settled()
    const board = (await createBoard(s, 'Origins')).id
    const cookie = `scopeboard_token=${s.token}`
    const host = `127.0.0.1:${s.port}`
    await refusedWith(
      openRawSocket(syncUrl(s, board), cleanup, { headers: { cookie, origin: 'http://127.0.0.1:1' } }),
      CloseCode.Unauthorized,
      /no token/,
    )
    await admitted(
      openRawSocket(syncUrl(s, board), cleanup, { headers: { cookie, origin: `http://${host}` } }),
      'same origin',
    )
    await admitted(
      openRawSocket(syncUrl(s, board, s.token), cleanup, { headers: { origin: 'http://127.0.0.1:1' } }),
      'an explicit token from elsewhere',
    )
  })
})

describe('a client that stops reading', () => {
  it('is closed with 1013 while another floods the board; memory stays bounded and the others get everything', async () => {
    const s = await startTestServer({
      limits: { maxBufferedBytes: 512 * 1024, messageRatePerSecond: 1e6, messageBurst: 1e6 },
    })
    cleanup.add(() => s.close())
    const board = (await createBoard(s, 'Flood')).id
    const slow = openRawSocket(syncUrl(s, board, s.token), cleanup)
    await admitted(slow, 'the slow socket')
    const observer = connectClient(s, board, cleanup)
    await waitFor(() => observer.provider.synced, { message: 'the observer to sync' })
    const flooder = openRawSocket(syncUrl(s, board, s.token), cleanup)
    await admitted(flooder, 'the flooder')
    ;(slow.ws as unknown as { _socket: Socket })._socket.pause()

    const before = process.memoryUsage().rss
    let peak = before
    const local = new Y.Doc()
    const updates: Uint8Array[] = []
    local.on('update', (update: Uint8Array) => updates.push(update))
    const EDITS = 600
    const CHUNK = 32 * 1024
    for (let i = 0; i < EDITS; i++) {
      // One key rewritten: the document stays small while ~19 MB flows to every reader.
      local.getMap('records').set('shape:blob', { typeName: 'shape', i, blob: 'x'.repeat(CHUNK) })
      flooder.send(encodeSyncUpdate(updates[i]))
      if (i % 50 === 0) peak = Math.max(peak, process.memoryUsage().rss)
    }
    await waitFor(
      () => {
        peak = Math.max(peak, process.memoryUsage().rss)
        return s.server.connections.onBoard(board as BoardId) === 2
      },
      { timeoutMs: 15_000, message: 'the server to drop the slow connection' },
    )
    ;(slow.ws as unknown as { _socket: Socket })._socket.resume()
    const closed = await withTimeout(slow.closed, 5_000, 'the slow client to read up to the close')
    expect(closed.code).toBe(CloseCode.TryAgainLater)
    expect(closed.reason).toMatch(/fell too far behind/)

    await waitFor(
      () => (observer.doc.getMap('records').get('shape:blob') as { i?: number } | undefined)?.i === EDITS - 1,
      {
        timeoutMs: 15_000,
        message: 'the observer to receive the last edit',
      },
    )
    expect(flooder.closeInfo).toBeNull()
    expect(observer.statuses.filter((st) => st === 'connected')).toHaveLength(1)
    // Generous: what would grow without bound is the ~19 MB queued for the slow reader, per reader.
    expect((peak - before) / 1024 / 1024).toBeLessThan(200)
  }, 30_000)
})

/** A request whose path goes out byte for byte: fetch and URL would resolve `%2e%2e` first. */
function rawPath(
  s: TestServer,
  path: string,
  options: { method: string; headers: Record<string, string> },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: s.port, path, agent: false, ...options }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

function varUint(n: number): number[] {
  const out: number[] = []
  while (n > 0x7f) {
    out.push(0x80 | (n & 0x7f))
    n >>>= 7
  }
  out.push(n)
  return out
}
