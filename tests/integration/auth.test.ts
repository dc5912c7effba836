/**
 * Who gets in, over HTTP and over the sync socket. A refused socket is closed with a 44xx code and
 * a reason before any sync message, and a stock provider that gets 4401 stops retrying.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CloseCode, MESSAGE_SYNC } from '../../shared/sync/protocol.ts'
import { api, createBoard, startTestServer, type TestServer } from '../helpers/server.ts'
import { Cleanup, connectClient, isSyncStep1, openRawSocket, syncUrl, type RawSocket } from '../helpers/sync.ts'
import { waitFor, withTimeout } from '../helpers/wait.ts'

const cleanup = new Cleanup()
afterEach(() => cleanup.run())

let s: TestServer
let boardId: string
beforeAll(async () => {
  s = await startTestServer()
  boardId = (await createBoard(s, 'Auth')).id
})
afterAll(() => s?.close())

async function expectJsonError(res: Response, status: number): Promise<string> {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  const body = (await res.json()) as { error?: unknown }
  expect(typeof body.error).toBe('string')
  expect((body.error as string).length).toBeGreaterThan(0)
  return body.error as string
}

describe('HTTP auth', () => {
  it('answers 401 with a JSON error when no token is sent', async () => {
    await expectJsonError(await api(s, '/api/boards', { token: null }), 401)
  })

  it('answers 401 for a wrong token in any of the three places', async () => {
    await expectJsonError(await api(s, '/api/boards', { token: 'not-the-token' }), 401)
    await expectJsonError(await api(s, '/api/boards?token=not-the-token', { token: null }), 401)
    await expectJsonError(
      await api(s, '/api/boards', { token: null, headers: { cookie: 'scopeboard_token=not-the-token' } }),
      401,
    )
  })

  it('accepts the token as a Bearer header', async () => {
    const res = await api(s, '/api/boards')
    expect(res.status).toBe(200)
    expect(((await res.json()) as Array<{ id: string }>).map((b) => b.id)).toContain(boardId)
  })

  it('accepts the token as ?token=', async () => {
    const res = await api(s, `/api/boards?token=${encodeURIComponent(s.token)}`, { token: null })
    expect(res.status).toBe(200)
    expect(((await res.json()) as Array<{ id: string }>).map((b) => b.id)).toContain(boardId)
  })

  it('signs a browser in: /?token= sets an HttpOnly SameSite=Lax cookie that the API accepts', async () => {
    const res = await fetch(`${s.url}/?token=${encodeURIComponent(s.token)}`, { redirect: 'manual' })
    expect(res.status).toBe(302)
    // The token leaves the address bar: the redirect goes to the same page without it.
    expect(res.headers.get('location')).toBe('/')
    const setCookie = res.headers.getSetCookie()
    expect(setCookie).toHaveLength(1)
    const cookie = setCookie[0]
    expect(cookie).toMatch(/^scopeboard_token=/)
    expect(cookie).toMatch(/;\s*HttpOnly/i)
    expect(cookie).toMatch(/;\s*SameSite=Lax/i)
    const pair = cookie.split(';')[0]

    const listed = await api(s, '/api/boards', { token: null, headers: { cookie: pair } })
    expect(listed.status).toBe(200)
    expect(((await listed.json()) as Array<{ id: string }>).map((b) => b.id)).toContain(boardId)
  })

  it('does not set a cookie for a wrong token', async () => {
    const res = await fetch(`${s.url}/?token=not-the-token`, { redirect: 'manual' })
    expect(res.status).not.toBe(302)
    expect(res.headers.getSetCookie()).toHaveLength(0)
  })
})

/** Waits for the server to close the socket and checks it said nothing before. */
async function expectRefused(raw: RawSocket, code: number): Promise<string> {
  const closed = await withTimeout(raw.closed, 5_000, `the server to close the socket with ${code}`)
  expect(closed.code).toBe(code)
  expect(closed.reason.length).toBeGreaterThan(0)
  expect(closed.messagesBeforeClose).toBe(0)
  expect(raw.messages).toHaveLength(0)
  return closed.reason
}

describe('sync socket auth', () => {
  it('closes with 4401 and a reason when no token is sent, before any sync message', async () => {
    await expectRefused(openRawSocket(syncUrl(s, boardId), cleanup), CloseCode.Unauthorized)
  })

  it('closes with 4401 for a wrong token', async () => {
    await expectRefused(openRawSocket(syncUrl(s, boardId, 'not-the-token'), cleanup), CloseCode.Unauthorized)
    await expectRefused(
      openRawSocket(syncUrl(s, boardId), cleanup, { headers: { authorization: 'Bearer not-the-token' } }),
      CloseCode.Unauthorized,
    )
  })

  it('closes with 4404 for a board that does not exist', async () => {
    await expectRefused(openRawSocket(syncUrl(s, 'no-such-board', s.token), cleanup), CloseCode.NotFound)
  })

  it('closes with 4400 for a board id that is not a board id', async () => {
    for (const bad of ['..%2F..', 'a'.repeat(200), 'a'.repeat(65), 'has%20space', 'dot.dot']) {
      await expectRefused(openRawSocket(syncUrl(s, bad, s.token), cleanup), CloseCode.BadMessage)
    }
  })

  it('closes with 4400 (not an internal error) for a board id with broken percent-encoding', async () => {
    // decodeURIComponent throws on this; it is the client's bad input, not the server's failure.
    await expectRefused(openRawSocket(syncUrl(s, '%E0%A4%A', s.token), cleanup), CloseCode.BadMessage)
  })

  it('admits the token as Bearer header, ?token= and cookie, and then syncs', async () => {
    const ways: Array<{ url: string; headers?: Record<string, string> }> = [
      { url: syncUrl(s, boardId, s.token) },
      { url: syncUrl(s, boardId), headers: { authorization: `Bearer ${s.token}` } },
      { url: syncUrl(s, boardId), headers: { cookie: `scopeboard_token=${s.token}` } },
    ]
    for (const way of ways) {
      const raw = openRawSocket(way.url, cleanup, { headers: way.headers })
      await waitFor(() => raw.messages.some(isSyncStep1) || raw.closeInfo, { message: 'the server’s sync step 1' })
      expect(raw.closeInfo).toBeNull()
      expect(raw.messages[0][0]).toBe(MESSAGE_SYNC)
      raw.ws.close()
    }
  })

  it('a stock provider refused with 4401 stops retrying', async () => {
    // Backoff capped low: if the provider were going to retry, it would do so within 50 ms.
    const refused = connectClient(s, boardId, cleanup, { token: 'not-the-token', maxBackoffTime: 50 })
    await waitFor(() => refused.terminalCloses.length > 0, { message: 'the provider to report the refusal' })
    expect(refused.terminalCloses).toEqual([{ code: CloseCode.Unauthorized, reason: expect.any(String) }])
    expect(refused.terminalCloses[0].reason.length).toBeGreaterThan(0)
    expect(refused.provider.shouldConnect).toBe(false)
    expect(refused.provider.ws).toBeNull()
    expect(refused.provider.wsconnecting).toBe(false)
    expect(refused.provider.synced).toBe(false)

    // A control provider, created only now and told to always retry, schedules its retry after the
    // refused one would have: once the control has retried, the refused provider had its chance.
    const control = connectClient(s, boardId, cleanup, {
      token: 'not-the-token',
      maxBackoffTime: 50,
      shouldReconnect: () => true,
    })
    await waitFor(() => control.statuses.filter((st) => st === 'connecting').length >= 2, {
      message: 'the control provider to retry',
    })
    control.destroy()

    // One attempt: the upgrade is accepted (so the close can carry a code) and then closed.
    expect(refused.statuses.filter((st) => st === 'connecting')).toHaveLength(1)
    expect(refused.statuses.filter((st) => st === 'connected').length).toBeLessThanOrEqual(1)
    expect(refused.provider.ws).toBeNull()
    expect(refused.terminalCloses).toHaveLength(1)
  })
})
