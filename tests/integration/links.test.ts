/**
 * Share links: made, listed (never with tokens), revoked; tokens with at least 128 bits of
 * randomness, stored only as hashes; opening a link signs a browser in for its board only; the
 * session endpoint says what a browser may do on a board; revoking closes live connections.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CloseCode } from '../../shared/sync/protocol.ts'
import { createLink, revokeLink } from '../helpers/links.ts'
import { api, createBoard, startTestServer, type TestServer } from '../helpers/server.ts'
import { Cleanup, connectClient, isSyncStep1, openRawSocket, syncUrl } from '../helpers/sync.ts'
import { waitFor, withTimeout } from '../helpers/wait.ts'

const cleanup = new Cleanup()
afterEach(() => cleanup.run())

let s: TestServer
let boardId: string
let otherId: string
beforeAll(async () => {
  s = await startTestServer()
  boardId = (await createBoard(s, 'Shared')).id
  otherId = (await createBoard(s, 'Not shared')).id
})
afterAll(() => s?.close())

const TOKEN_SHAPE = /^([a-z0-9]{16})\.([A-Za-z0-9_-]+)$/

describe('links API', () => {
  it('POST makes a link: 201 {id, role, token, url, createdAt}, the url opening this board with the token', async () => {
    const link = await createLink(s, boardId, 'comment')
    expect(Object.keys(link).sort()).toEqual(['createdAt', 'id', 'role', 'token', 'url'])
    expect(link.role).toBe('comment')
    const [, id, secret] = TOKEN_SHAPE.exec(link.token) ?? []
    expect(id).toBe(link.id)
    // base64url: 6 bits a character.
    expect(secret.length * 6).toBeGreaterThanOrEqual(128)
    expect(link.url).toBe(`${s.url}/b/${boardId}?token=${encodeURIComponent(link.token)}`)
  })

  it('tokens differ every time (no two of 50 share their secret or id)', async () => {
    const tokens = await Promise.all(Array.from({ length: 50 }, () => createLink(s, boardId, 'view')))
    expect(new Set(tokens.map((t) => t.token.split('.')[1])).size).toBe(50)
    expect(new Set(tokens.map((t) => t.id)).size).toBe(50)
  })

  it('GET lists {id, role, createdAt} of the active links only, never a token', async () => {
    const board = (await createBoard(s, 'Listing')).id
    const kept = await createLink(s, board, 'edit')
    const gone = await createLink(s, board, 'view')
    await revokeLink(s, board, gone.id)
    const res = await api(s, `/api/boards/${board}/links`)
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).not.toContain(kept.token.split('.')[1])
    expect(JSON.parse(text)).toEqual([{ id: kept.id, role: 'edit', createdAt: kept.createdAt }])
  })

  it('stores only a hash: neither the token nor its secret is anywhere in DATA_DIR', async () => {
    const link = await createLink(s, boardId, 'edit')
    // Everything on disk, WAL included.
    await s.server.storage.check()
    const secret = Buffer.from(link.token.split('.')[1])
    for (const file of fs.readdirSync(s.dataDir)) {
      const bytes = fs.readFileSync(path.join(s.dataDir, file))
      expect(bytes.includes(secret), `${file} holds the secret`).toBe(false)
      expect(bytes.includes(Buffer.from(link.token)), `${file} holds the token`).toBe(false)
    }
    expect((await api(s, `/api/boards/${boardId}`, { token: link.token })).status).toBe(200)
  })

  it('refuses a bad role, extra fields and a bad or unknown link id, with JSON errors', async () => {
    const post = (json: unknown) => api(s, `/api/boards/${boardId}/links`, { method: 'POST', json })
    for (const json of [{}, { role: 'admin' }, { role: 5 }, { role: null }, { role: 'edit', expires: 1 }]) {
      const res = await post(json)
      expect(res.status, JSON.stringify(json)).toBe(400)
      expect(Object.keys((await res.json()) as object)).toEqual(['error'])
    }
    const del = (linkId: string, board = boardId) =>
      api(s, `/api/boards/${board}/links/${linkId}`, { method: 'DELETE' })
    expect((await del('x'.repeat(65))).status).toBe(400)
    expect((await del('..%2F..')).status).toBe(400)
    expect((await del('nosuchlink')).status).toBe(404)
    const link = await createLink(s, boardId, 'view')
    expect((await del(link.id, otherId)).status).toBe(404)
    expect((await del(link.id)).status).toBe(204)
    expect((await del(link.id)).status).toBe(404)
  })

  it('an edit link may manage the board’s links, including revoking itself', async () => {
    const edit = await createLink(s, boardId, 'edit')
    const made = await createLink(s, boardId, 'view', edit.token)
    expect(made.role).toBe('view')
    const res = await api(s, `/api/boards/${boardId}/links/${edit.id}`, { method: 'DELETE', token: edit.token })
    expect(res.status).toBe(204)
    expect((await api(s, `/api/boards/${boardId}/links`, { token: edit.token })).status).toBe(401)
  })

  it('a token that only looks like a link, or a right id with a wrong secret, is 401', async () => {
    const link = await createLink(s, boardId, 'edit')
    for (const token of [`${link.id}.wrong`, `${link.id}.`, `.${link.token.split('.')[1]}`, `${link.token}x`]) {
      expect((await api(s, `/api/boards/${boardId}`, { token })).status, token).toBe(401)
    }
  })
})

describe('signing in with a link', () => {
  it('/b/:id?token=<link> sets an HttpOnly SameSite=Lax cookie for that board and drops the token', async () => {
    const link = await createLink(s, boardId, 'view')
    const res = await fetch(link.url, { redirect: 'manual' })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(`/b/${boardId}`)
    const [cookie] = res.headers.getSetCookie()
    expect(cookie).toMatch(new RegExp(`^scopeboard_link_${boardId}=`))
    expect(cookie).toMatch(/;\s*HttpOnly/i)
    expect(cookie).toMatch(/;\s*SameSite=Lax/i)
    expect(cookie).toMatch(/;\s*Path=\/(;|$)/i)
    const pair = cookie.split(';')[0]

    const headers = { cookie: pair }
    expect((await api(s, `/api/boards/${boardId}`, { token: null, headers })).status).toBe(200)
    expect((await api(s, `/api/boards/${boardId}/scope.md`, { token: null, headers })).status).toBe(200)
    // Worth nothing elsewhere: another board, and the workspace routes.
    expect((await api(s, `/api/boards/${otherId}`, { token: null, headers })).status).toBe(401)
    expect((await api(s, '/api/boards', { token: null, headers })).status).toBe(401)
    // The same cookie opens the board's sync socket.
    const raw = openRawSocket(syncUrl(s, boardId), cleanup, { headers })
    await waitFor(() => raw.messages.some(isSyncStep1), { message: 'the cookie-signed socket to sync' })
  })

  it('a link on another page (/, another board, a focus) signs nobody in', async () => {
    const link = await createLink(s, boardId, 'edit')
    const token = encodeURIComponent(link.token)
    for (const page of [`/?token=${token}`, `/b/${otherId}?token=${token}`, `/f/x?token=${token}`]) {
      const res = await fetch(`${s.url}${page}`, { redirect: 'manual' })
      expect(res.status, page).not.toBe(302)
      expect(res.headers.getSetCookie(), page).toEqual([])
    }
  })

  it('the workspace cookie still wins on a board whose link cookie the browser also holds', async () => {
    const link = await createLink(s, boardId, 'view')
    const cookie = `scopeboard_token=${s.token}; scopeboard_link_${boardId}=${link.token}`
    const res = await api(s, `/api/boards/${boardId}`, {
      method: 'PATCH',
      json: { title: 'Shared' },
      token: null,
      headers: { cookie },
    })
    expect(res.status).toBe(200)
  })
})

describe('GET /api/session', () => {
  const session = async (query: string, token: string | null, headers?: Record<string, string>) => {
    const res = await api(s, `/api/session${query}`, { token, headers })
    expect(res.status).toBe(200)
    return res.json()
  }

  it('answers {signedIn, access, role} for the workspace, a link on its board and elsewhere, and nobody', async () => {
    const view = await createLink(s, boardId, 'view')
    const comment = await createLink(s, boardId, 'comment')
    expect(await session('', s.token)).toEqual({ signedIn: true, access: 'workspace', role: null })
    expect(await session(`?board=${boardId}`, s.token)).toEqual({ signedIn: true, access: 'workspace', role: 'edit' })
    expect(await session(`?board=${boardId}`, view.token)).toEqual({ signedIn: true, access: 'link', role: 'view' })
    expect(await session(`?board=${boardId}`, null, { cookie: `scopeboard_link_${boardId}=${comment.token}` })).toEqual(
      {
        signedIn: true,
        access: 'link',
        role: 'comment',
      },
    )
    const nobody = { signedIn: false, access: null, role: null }
    expect(await session(`?board=${otherId}`, view.token)).toEqual(nobody)
    expect(await session('', view.token)).toEqual(nobody)
    expect(await session(`?board=${boardId}`, null)).toEqual(nobody)
    await revokeLink(s, boardId, view.id)
    expect(await session(`?board=${boardId}`, view.token)).toEqual(nobody)
  })

  it('refuses a board id that cannot be one with 400', async () => {
    expect((await api(s, `/api/session?board=${'x'.repeat(65)}`)).status).toBe(400)
  })
})

describe('revoking a link', () => {
  it('closes every live connection opened with it (4403 "this link was revoked"); the token stops working', async () => {
    const doomed = await createLink(s, boardId, 'edit')
    const kept = await createLink(s, boardId, 'edit')
    const a = connectClient(s, boardId, cleanup, { token: doomed.token })
    const b = connectClient(s, boardId, cleanup, { token: doomed.token })
    const other = connectClient(s, boardId, cleanup, { token: kept.token })
    await waitFor(() => a.provider.synced && b.provider.synced && other.provider.synced, {
      message: 'all three to sync',
    })

    await revokeLink(s, boardId, doomed.id)
    await waitFor(() => a.terminalCloses.length > 0 && b.terminalCloses.length > 0, {
      message: 'both connections of the revoked link to close',
    })
    for (const client of [a, b]) {
      expect(client.terminalCloses).toEqual([{ code: CloseCode.Forbidden, reason: 'this link was revoked' }])
      expect(client.provider.shouldConnect).toBe(false)
    }
    expect(other.provider.wsconnected).toBe(true)
    expect(other.terminalCloses).toEqual([])

    expect((await api(s, `/api/boards/${boardId}`, { token: doomed.token })).status).toBe(401)
    const raw = openRawSocket(syncUrl(s, boardId, doomed.token), cleanup)
    const closed = await withTimeout(raw.closed, 5_000, 'the revoked token’s socket to be refused')
    expect(closed.code).toBe(CloseCode.Unauthorized)
    expect(closed.messagesBeforeClose).toBe(0)
  })
})
