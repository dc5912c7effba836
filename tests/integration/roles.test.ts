/**
 * The role matrix: every HTTP route and the sync socket, against every kind of token — the
 * workspace's, an edit, comment and view link of the board, an edit link of another board, a
 * revoked link, and none. One assertion per cell, so a failure names the route and the token.
 * Then what each role may write over sync: a view or comment link's canvas writes never reach
 * another client nor storage; a comment link's comments do.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createThread, readThreads, reply } from '../../shared/comments/model.ts'
import { COMMENTS_KEY } from '../../shared/doc/layout.ts'
import type { BoardId } from '../../shared/ids.ts'
import { CloseCode } from '../../shared/sync/protocol.ts'
import { createLink, revokeLink } from '../helpers/links.ts'
import { api, createBoard, startTestServer, type TestServer } from '../helpers/server.ts'
import { Cleanup, connectClient, isSyncStep1, openRawSocket, syncUrl, type SyncClient } from '../helpers/sync.ts'
import { waitFor } from '../helpers/wait.ts'

const WHO = ['workspace', 'edit', 'comment', 'view', 'other board', 'revoked', 'none'] as const
type Who = (typeof WHO)[number]

const cleanup = new Cleanup()
afterEach(() => cleanup.run())

let s: TestServer
let boardId: string
let cardId: string
let threadId: string
let snapshotId: string
const tokens = {} as Record<Who, string | null>

beforeAll(async () => {
  s = await startTestServer()
  boardId = (await createBoard(s, 'Roles')).id
  const other = (await createBoard(s, 'Another board')).id
  const card = await api(s, `/api/boards/${boardId}/cards`, { method: 'POST', json: { kind: 'problem', title: 'P' } })
  cardId = ((await card.json()) as { id: string }).id
  const thread = await api(s, `/api/boards/${boardId}/comments`, {
    method: 'POST',
    json: { cardId, body: 'First', author: { name: 'Ada', discipline: 'engineering' } },
  })
  threadId = ((await thread.json()) as { id: string }).id
  const snapshot = await api(s, `/api/boards/${boardId}/snapshots`, { method: 'POST', json: { name: 'Kept' } })
  snapshotId = ((await snapshot.json()) as { id: string }).id
  const revoked = await createLink(s, boardId, 'edit')
  await revokeLink(s, boardId, revoked.id)
  Object.assign(tokens, {
    workspace: s.token,
    edit: (await createLink(s, boardId, 'edit')).token,
    comment: (await createLink(s, boardId, 'comment')).token,
    view: (await createLink(s, boardId, 'view')).token,
    'other board': (await createLink(s, other, 'edit')).token,
    revoked: revoked.token,
    none: null,
  })
})
afterAll(() => s?.close())

/** `ok` for the tokens allowed, 401 for revoked and none, 403 for every other. */
function statuses(ok: number, allowed: readonly Who[]): Record<Who, number> {
  return Object.fromEntries(
    WHO.map((who) => [who, allowed.includes(who) ? ok : who === 'revoked' || who === 'none' ? 401 : 403]),
  ) as Record<Who, number>
}

const READERS: Who[] = ['workspace', 'edit', 'comment', 'view']
const COMMENTERS: Who[] = ['workspace', 'edit', 'comment']
const EDITORS: Who[] = ['workspace', 'edit']
const author = { name: 'Bo', discipline: 'design' }

interface RouteCase {
  route: string
  send: (token: string | null) => Promise<Response>
  expected: Record<Who, number>
}

const ROUTES: RouteCase[] = [
  {
    route: 'POST /api/boards',
    send: (token) => api(s, '/api/boards', { method: 'POST', json: { title: 'New' }, token }),
    expected: statuses(201, ['workspace']),
  },
  {
    route: 'GET /api/boards',
    send: (token) => api(s, '/api/boards', { token }),
    expected: statuses(200, ['workspace']),
  },
  {
    route: 'GET /api/boards/:id',
    send: (token) => api(s, `/api/boards/${boardId}`, { token }),
    expected: statuses(200, READERS),
  },
  {
    route: 'PATCH /api/boards/:id',
    send: (token) => api(s, `/api/boards/${boardId}`, { method: 'PATCH', json: { title: 'Roles' }, token }),
    expected: statuses(200, EDITORS),
  },
  {
    route: 'POST /api/boards/:id/cards',
    send: (token) =>
      api(s, `/api/boards/${boardId}/cards`, { method: 'POST', json: { kind: 'problem', title: 'More' }, token }),
    expected: statuses(201, EDITORS),
  },
  ...['scope.json', 'scope.md', 'edge-cases.csv'].map((file) => ({
    route: `GET /api/boards/:id/${file}`,
    send: (token: string | null) => api(s, `/api/boards/${boardId}/${file}`, { token }),
    expected: statuses(200, READERS),
  })),
  {
    route: 'POST /api/boards/:id/links',
    send: (token) => api(s, `/api/boards/${boardId}/links`, { method: 'POST', json: { role: 'view' }, token }),
    expected: statuses(201, EDITORS),
  },
  {
    route: 'GET /api/boards/:id/links',
    send: (token) => api(s, `/api/boards/${boardId}/links`, { token }),
    expected: statuses(200, EDITORS),
  },
  {
    route: 'DELETE /api/boards/:id/links/:linkId',
    send: async (token) => {
      const doomed = await createLink(s, boardId, 'view')
      return api(s, `/api/boards/${boardId}/links/${doomed.id}`, { method: 'DELETE', token })
    },
    expected: statuses(204, EDITORS),
  },
  {
    route: 'GET /api/boards/:id/comments',
    send: (token) => api(s, `/api/boards/${boardId}/comments`, { token }),
    expected: statuses(200, READERS),
  },
  {
    route: 'POST /api/boards/:id/comments',
    send: (token) =>
      api(s, `/api/boards/${boardId}/comments`, { method: 'POST', json: { cardId, body: 'Hi', author }, token }),
    expected: statuses(201, COMMENTERS),
  },
  {
    route: 'POST /api/boards/:id/comments/:threadId/replies',
    send: (token) =>
      api(s, `/api/boards/${boardId}/comments/${threadId}/replies`, {
        method: 'POST',
        json: { body: 'Re', author },
        token,
      }),
    expected: statuses(201, COMMENTERS),
  },
  {
    route: 'PATCH /api/boards/:id/comments/:threadId',
    send: (token) =>
      api(s, `/api/boards/${boardId}/comments/${threadId}`, {
        method: 'PATCH',
        json: { status: 'open', author },
        token,
      }),
    expected: statuses(200, COMMENTERS),
  },
  {
    route: 'POST /api/boards/:id/snapshots',
    send: (token) => api(s, `/api/boards/${boardId}/snapshots`, { method: 'POST', json: { name: 'By role' }, token }),
    expected: statuses(201, EDITORS),
  },
  {
    route: 'GET /api/boards/:id/snapshots',
    send: (token) => api(s, `/api/boards/${boardId}/snapshots`, { token }),
    expected: statuses(200, READERS),
  },
  {
    route: 'GET /api/boards/:id/snapshots/:snapshotId/state',
    send: (token) => api(s, `/api/boards/${boardId}/snapshots/${snapshotId}/state`, { token }),
    expected: statuses(200, READERS),
  },
  {
    route: 'POST /api/boards/:id/snapshots/:snapshotId/restore',
    send: (token) => api(s, `/api/boards/${boardId}/snapshots/${snapshotId}/restore`, { method: 'POST', token }),
    expected: statuses(200, EDITORS),
  },
  {
    route: 'DELETE /api/boards/:id/snapshots/:snapshotId',
    send: async (token) => {
      const made = await api(s, `/api/boards/${boardId}/snapshots`, { method: 'POST', json: { name: 'Doomed' } })
      const doomed = ((await made.json()) as { id: string }).id
      return api(s, `/api/boards/${boardId}/snapshots/${doomed}`, { method: 'DELETE', token })
    },
    expected: statuses(204, EDITORS),
  },
  {
    route: 'GET /api/boards/:id/scope-diff',
    send: (token) => api(s, `/api/boards/${boardId}/scope-diff?from=${snapshotId}`, { token }),
    expected: statuses(200, READERS),
  },
  {
    route: 'GET /api/session?board=:id',
    send: (token) => api(s, `/api/session?board=${boardId}`, { token }),
    expected: statuses(200, WHO),
  },
]

const CELLS = ROUTES.flatMap((r) => WHO.map((who) => [r.route, who, r.expected[who], r] as const))

describe('HTTP routes × tokens', () => {
  it.each(CELLS)('%s with %s → %i', async (_route, who, expected, route) => {
    const res = await route.send(tokens[who])
    await res.arrayBuffer()
    expect(res.status).toBe(expected)
  })
})

type SocketOutcome = 'syncs' | number
const SOCKET: Record<Who, SocketOutcome> = {
  workspace: 'syncs',
  edit: 'syncs',
  comment: 'syncs',
  view: 'syncs',
  'other board': CloseCode.Forbidden,
  revoked: CloseCode.Unauthorized,
  none: CloseCode.Unauthorized,
}

describe('sync socket × tokens', () => {
  it.each(WHO.map((who) => [who, SOCKET[who]] as const))('%s → %s', async (who, expected) => {
    const raw = openRawSocket(syncUrl(s, boardId, tokens[who]), cleanup)
    const outcome = await waitFor(() => (raw.messages.some(isSyncStep1) ? 'syncs' : (raw.closeInfo?.code ?? null)), {
      message: `the socket opened with the ${who} token to sync or close`,
    })
    expect(outcome).toBe(expected)
  })
})

describe('sync writes by role', () => {
  const author = { id: 'cy', name: 'Cy', color: '#2f9e44', discipline: 'product' as const }
  const shape = (id: string) => ({ id, typeName: 'shape', x: 1 })

  async function storedDoc(id: string): Promise<Y.Doc> {
    const doc = new Y.Doc()
    for (const update of (await s.server.storage.loadUpdates(id as BoardId)).updates) Y.applyUpdate(doc, update)
    return doc
  }

  function synced(client: SyncClient, label: string) {
    return waitFor(() => client.provider.synced, { message: `${label} to sync` })
  }

  it('a view link syncs down and sees presence, but its writes are dropped: told, not stored, not broadcast', async () => {
    const board = (await createBoard(s, 'View only')).id
    const view = (await createLink(s, board, 'view')).token
    const editor = connectClient(s, board, cleanup)
    const viewer = connectClient(s, board, cleanup, { token: view })
    await synced(editor, 'the editor')
    await synced(viewer, 'the viewer')

    editor.doc.getMap('records').set('shape:by-editor', shape('shape:by-editor'))
    await waitFor(() => viewer.doc.getMap('records').has('shape:by-editor'), { message: 'the viewer to get the edit' })
    editor.provider.awareness.setLocalStateField('user', { name: 'Ed' })
    await waitFor(() => [...viewer.provider.awareness.getStates().values()].some((st) => st.user?.name === 'Ed'), {
      message: 'the viewer to see the editor’s presence',
    })

    viewer.doc.getMap('records').set('shape:by-viewer', shape('shape:by-viewer'))
    viewer.doc.getMap('meta').set('title', 'Renamed by a viewer')
    await waitFor(() => viewer.denials.length >= 2, { message: 'the viewer to be told its writes were dropped' })
    expect(viewer.denials[0]).toBe('view-only link: edits are not accepted')
    // The editor's next edit comes after the viewer's on the server: it has been dealt with.
    editor.doc.getMap('records').set('shape:later', shape('shape:later'))
    await waitFor(() => viewer.doc.getMap('records').has('shape:later'), {
      message: 'a later edit to reach the viewer',
    })
    expect(editor.doc.getMap('records').has('shape:by-viewer')).toBe(false)
    expect(editor.doc.getMap('meta').get('title')).toBe('View only')
    expect(viewer.provider.wsconnected).toBe(true)

    const stored = await storedDoc(board)
    expect(stored.getMap('records').has('shape:by-viewer')).toBe(false)
    expect(stored.getMap('records').has('shape:later')).toBe(true)
    expect(stored.getMap('meta').get('title')).toBe('View only')
  })

  it('a view link whose local copy holds a change still connects and syncs; the change stays out', async () => {
    const board = (await createBoard(s, 'Offline viewer')).id
    const view = (await createLink(s, board, 'view')).token
    const viewer = connectClient(s, board, cleanup, { token: view })
    viewer.doc.getMap('records').set('shape:local', shape('shape:local'))
    await synced(viewer, 'the viewer')
    await waitFor(() => viewer.denials.length > 0, { message: 'the viewer’s step 2 to be refused' })
    const fresh = connectClient(s, board, cleanup)
    await synced(fresh, 'a fresh client')
    expect(fresh.doc.getMap('records').has('shape:local')).toBe(false)
    expect(fresh.doc.getMap('meta').get('title')).toBe('Offline viewer')
    expect(viewer.doc.getMap('meta').get('title')).toBe('Offline viewer')
    expect(viewer.provider.wsconnected).toBe(true)
  })

  it('a comment link’s comments reach everyone and storage; its canvas writes do not, nor what builds on them', async () => {
    const board = (await createBoard(s, 'Comments only')).id
    const comment = (await createLink(s, board, 'comment')).token
    const editor = connectClient(s, board, cleanup)
    const commenter = connectClient(s, board, cleanup, { token: comment })
    await synced(editor, 'the editor')
    await synced(commenter, 'the commenter')

    const anchor = { kind: 'shape', shapeId: 'shape:a' } as const
    const threadId = createThread(commenter.doc, { anchor, body: 'Why this?', author })
    reply(commenter.doc, threadId, { body: 'Also…', author })
    await waitFor(() => readThreads(editor.doc)[0]?.messages.length === 2, {
      message: 'the editor to see the thread and its reply',
    })

    commenter.doc.getMap('records').set('shape:by-commenter', shape('shape:by-commenter'))
    await waitFor(() => commenter.denials.length === 1, { message: 'the commenter to be told' })
    expect(commenter.denials[0]).toBe('comment-only link: only comments can be changed')
    // Its next comment builds on the dropped write (the same client's next clock): dropped too.
    reply(commenter.doc, threadId, { body: 'after the refused write', author })
    await waitFor(() => commenter.denials.length === 2, { message: 'the follow-up to be dropped too' })

    editor.doc.getMap('records').set('shape:later', shape('shape:later'))
    await waitFor(() => commenter.doc.getMap('records').has('shape:later'), { message: 'a later edit to arrive' })
    expect(editor.doc.getMap('records').has('shape:by-commenter')).toBe(false)
    expect(readThreads(editor.doc)[0].messages.map((m) => m.body)).toEqual(['Why this?', 'Also…'])
    expect(commenter.provider.wsconnected).toBe(true)

    const stored = await storedDoc(board)
    expect(stored.getMap('records').has('shape:by-commenter')).toBe(false)
    expect(readThreads(stored)[0].messages.map((m) => m.body)).toEqual(['Why this?', 'Also…'])
    expect(stored.share.has(COMMENTS_KEY)).toBe(true)
  })

  it('an edit link writes like the workspace', async () => {
    const board = (await createBoard(s, 'Edit link')).id
    const edit = (await createLink(s, board, 'edit')).token
    const editor = connectClient(s, board, cleanup, { token: edit })
    const watcher = connectClient(s, board, cleanup)
    await synced(editor, 'the edit-link client')
    await synced(watcher, 'the watcher')
    editor.doc.getMap('records').set('shape:e', shape('shape:e'))
    editor.doc.getMap('meta').set('title', 'Renamed by an editor')
    await waitFor(() => watcher.doc.getMap('meta').get('title') === 'Renamed by an editor', {
      message: 'the rename to arrive',
    })
    expect(watcher.doc.getMap('records').has('shape:e')).toBe(true)
    expect(editor.denials).toEqual([])
  })
})
