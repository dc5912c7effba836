/**
 * Board history on a real server: named snapshots, the scope diff from a snapshot to the live
 * board (JSON and Markdown), restoring a snapshot as a new change that connected stock clients see
 * at once, the backup a restore takes first, comments kept across a restore, validation and roles,
 * and the automatic snapshot of a board that unloads after changes.
 */
import Database from 'better-sqlite3'
import path from 'node:path'
import pino from 'pino'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { BoardId } from '../../shared/ids.ts'
import type { ScopeDiff } from '../../shared/scope/index.ts'
import { docFromUpdates } from '../../server/scope/exportBoard.ts'
import { SQLITE_FILE } from '../../server/storage/SqliteStorage.ts'
import { readRestoreNote } from '../../shared/doc/layout.ts'
import { createScopeboardSchema } from '../../shared/scope/schema.ts'
import { InstrumentedStorage } from '../helpers/storage.ts'
import { createGate } from '../helpers/wait.ts'
import { rectangle } from '../unit/storeHarness.ts'
import { createLink } from '../helpers/links.ts'
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

const engineer = { name: 'Ada', discipline: 'engineering' }

interface SnapshotView {
  id: string
  name: string
  kind: 'named' | 'auto' | 'before-restore'
  createdAt: string
}

async function ok<T>(res: Response, status: number): Promise<T> {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${await res.text()}`)
  return (await res.json()) as T
}

async function addCard(boardId: string, body: Record<string, unknown>): Promise<{ id: string }> {
  return ok(await api(s, `/api/boards/${boardId}/cards`, { method: 'POST', json: body }), 201)
}

async function snapshot(boardId: string, name: string, token?: string): Promise<SnapshotView> {
  return ok(await api(s, `/api/boards/${boardId}/snapshots`, { method: 'POST', json: { name }, token }), 201)
}

async function seededBoard() {
  const board = await createBoard(s, 'History')
  const problem = await addCard(board.id, { kind: 'problem', title: 'Guests abandon checkout', owners: [engineer] })
  const solution = await addCard(board.id, { kind: 'solution', title: 'Guest checkout', parentId: problem.id })
  const edgeCase = await addCard(board.id, { kind: 'edge-case', title: 'Card declined', parentId: solution.id })
  return { ...board, problemId: problem.id, solutionId: solution.id, edgeCaseId: edgeCase.id }
}

/** A connected, synced stock y-websocket client on the board. */
async function client(boardId: string) {
  const c = connectClient(s, boardId, cleanup)
  await waitFor(() => c.provider.synced, { message: 'the client to sync' })
  return c
}

function cardStatus(doc: { getMap(name: string): { get(key: string): unknown } }, cardId: string): unknown {
  const record = doc.getMap('records').get(`shape:${cardId}`) as { props: { status: unknown } } | undefined
  return record?.props.status
}

function setStatus(c: Awaited<ReturnType<typeof client>>, cardId: string, status: string) {
  const records = c.doc.getMap<Record<string, unknown>>('records')
  const record = records.get(`shape:${cardId}`)!
  records.set(`shape:${cardId}`, { ...record, props: { ...(record.props as object), status } })
}

describe('snapshots, scope diff and restore', () => {
  it('takes named snapshots and lists them newest first, without their state', async () => {
    const board = await seededBoard()
    expect(await ok(await api(s, `/api/boards/${board.id}/snapshots`), 200)).toEqual([])
    const first = await snapshot(board.id, '  Sprint   planning ')
    expect(first).toEqual({
      id: expect.any(String),
      name: 'Sprint planning',
      kind: 'named',
      createdAt: expect.any(String),
    })
    await addCard(board.id, { kind: 'metric', title: 'Checkout conversion', parentId: board.problemId })
    const second = await snapshot(board.id, 'After design review')
    const list = await ok<SnapshotView[]>(await api(s, `/api/boards/${board.id}/snapshots`), 200)
    expect(list).toEqual([second, first])

    // Each snapshot's document, as the board page opens it read-only: the board as it was then.
    const titles = async (snap: SnapshotView) => {
      const res = await api(s, `/api/boards/${board.id}/snapshots/${snap.id}/state`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/octet-stream')
      const doc = docFromUpdates([new Uint8Array(await res.arrayBuffer())])
      const records = [...doc.getMap<{ props?: { title?: string } }>('records').values()]
      doc.destroy()
      return records.flatMap((r) => r.props?.title ?? []).sort()
    }
    const seeded = ['Card declined', 'Guest checkout', 'Guests abandon checkout']
    expect(await titles(first)).toEqual(seeded)
    expect(await titles(second)).toEqual([...seeded, 'Checkout conversion'].sort())
  })

  it('diffs a snapshot against the live board: a status changed by a client, an edge case added by the API', async () => {
    const board = await seededBoard()
    const snap = await snapshot(board.id, 'Sprint planning')
    const c = await client(board.id)
    setStatus(c, board.solutionId, 'chosen')
    const added = await addCard(board.id, {
      kind: 'edge-case',
      title: 'Expired card',
      severity: 'high',
      parentId: board.solutionId,
    })
    await waitFor(() => cardStatus(c.doc, added.id) !== undefined, { message: 'the new card to reach the client' })

    const diffUrl = `/api/boards/${board.id}/scope-diff?from=${snap.id}&to=live`
    const diff = await waitFor(
      async () => {
        const d = await ok<ScopeDiff>(await api(s, diffUrl), 200)
        return d.solutions.changed.length ? d : null
      },
      { message: "the client's status change to reach the server" },
    )
    const none = { added: [], removed: [], changed: [] }
    expect(diff).toEqual({
      problems: none,
      solutions: {
        added: [],
        removed: [],
        changed: [
          {
            id: board.solutionId,
            title: 'Guest checkout',
            fields: [{ field: 'status', from: 'proposed', to: 'chosen' }],
          },
        ],
      },
      edgeCases: {
        added: [{ id: added.id, title: 'Expired card', status: 'open', parents: [board.solutionId] }],
        removed: [],
        changed: [],
      },
      metrics: none,
    })
    // `to` defaults to the live board.
    expect(await ok(await api(s, `/api/boards/${board.id}/scope-diff?from=${snap.id}`), 200)).toEqual(diff)

    const md = await api(s, `${diffUrl}&format=md`)
    expect(md.status).toBe(200)
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8')
    const text = await md.text()
    expect(text).toContain('# Scope changes: Sprint planning')
    expect(text).toContain('## Added\n\n### Edge cases\n\n- Expired card — Open')
    expect(text).toContain('## Removed\n\n_Nothing removed._')
    expect(text).toContain('## Changed\n\n### Solutions\n\n- Guest checkout\n  - Status: Proposed → Chosen')
    const accepted = await api(s, diffUrl, { headers: { accept: 'text/markdown' } })
    expect(await accepted.text()).toBe(text)

    // Between two snapshots.
    const later = await snapshot(board.id, 'Later')
    const between = await ok<ScopeDiff>(
      await api(s, `/api/boards/${board.id}/scope-diff?from=${snap.id}&to=${later.id}`),
      200,
    )
    expect(between).toEqual(diff)
    const nothing = await ok<ScopeDiff>(
      await api(s, `/api/boards/${board.id}/scope-diff?from=${later.id}&to=live`),
      200,
    )
    expect(nothing).toEqual({ problems: none, solutions: none, edgeCases: none, metrics: none })
  })

  it('restores a snapshot as a new change: clients see it live, a backup is taken, comments stay', async () => {
    const board = await seededBoard()
    const snap = await snapshot(board.id, 'Sprint planning')
    const watcher = await client(board.id)
    const editor = await client(board.id)

    // After the snapshot: a status change, a new card, a deleted card and a comment.
    setStatus(editor, board.solutionId, 'rejected')
    const added = await addCard(board.id, { kind: 'metric', title: 'Completion', parentId: board.problemId })
    editor.doc.getMap('records').delete(`shape:${board.edgeCaseId}`)
    const thread = await ok<{ id: string }>(
      await api(s, `/api/boards/${board.id}/comments`, {
        method: 'POST',
        json: { cardId: board.problemId, body: 'Is this still in scope?', author: engineer },
      }),
      201,
    )
    await waitFor(
      () =>
        cardStatus(watcher.doc, board.solutionId) === 'rejected' &&
        cardStatus(watcher.doc, added.id) !== undefined &&
        cardStatus(watcher.doc, board.edgeCaseId) === undefined,
      { message: 'the edits to reach the watcher' },
    )
    const { count: before } = await s.server.storage.logStats(board.id as BoardId)

    const restored = await ok<{ restoredFrom: SnapshotView; backup: SnapshotView }>(
      await api(s, `/api/boards/${board.id}/snapshots/${snap.id}/restore`, { method: 'POST' }),
      200,
    )
    expect(restored.restoredFrom).toEqual(snap)
    expect(restored.backup).toMatchObject({ kind: 'before-restore', name: 'Before restoring "Sprint planning"' })

    // Every client sees the restore without reconnecting.
    for (const c of [watcher, editor]) {
      await waitFor(
        () =>
          cardStatus(c.doc, board.solutionId) === 'proposed' &&
          cardStatus(c.doc, added.id) === undefined &&
          cardStatus(c.doc, board.edgeCaseId) === 'open',
        { message: 'the restore to reach a connected client' },
      )
    }
    // With the restore comes a note of it, so every page on the board can say what happened.
    expect(readRestoreNote(watcher.doc)).toEqual({
      snapshotId: snap.id,
      name: 'Sprint planning',
      createdAt: snap.createdAt,
      backupId: restored.backup.id,
      at: expect.any(String),
    })
    // Applied on top: the log grew, nothing was rewritten.
    expect((await s.server.storage.logStats(board.id as BoardId)).count).toBeGreaterThan(before)
    const threads = await ok<Array<{ id: string }>>(await api(s, `/api/boards/${board.id}/comments`), 200)
    expect(threads.map((t) => t.id)).toContain(thread.id)
    expect(watcher.doc.getMap('comments').has(thread.id)).toBe(true)

    const list = await ok<SnapshotView[]>(await api(s, `/api/boards/${board.id}/snapshots`), 200)
    expect(list[0]).toEqual(restored.backup)
    // The backup is the way back: it cannot be deleted by hand.
    const removeBackup = await api(s, `/api/boards/${board.id}/snapshots/${restored.backup.id}`, { method: 'DELETE' })
    expect(removeBackup.status).toBe(409)
    expect(((await removeBackup.json()) as { error: string }).error).toBe(
      'automatic snapshots and restore backups cannot be deleted; only named ones can',
    )
    // Nothing after the snapshot is lost: the backup still holds it, and the diff shows it.
    const sinceBackup = await ok<ScopeDiff>(
      await api(s, `/api/boards/${board.id}/scope-diff?from=${restored.backup.id}&to=${snap.id}`),
      200,
    )
    expect(sinceBackup.metrics.removed.map((m) => m.id)).toEqual([added.id])
    expect(sinceBackup.edgeCases.added.map((e) => e.id)).toEqual([board.edgeCaseId])

    // The restore is stored like any edit: replaying the log gives the restored board.
    const stored = docFromUpdates((await s.server.storage.loadUpdates(board.id as BoardId)).updates)
    expect(cardStatus(stored, board.solutionId)).toBe('proposed')
    expect(cardStatus(stored, board.edgeCaseId)).toBe('open')
    expect(cardStatus(stored, added.id)).toBeUndefined()
    stored.destroy()
  })

  it('keeps in the backup every edit that arrived before the restore, even one still being stored', async () => {
    let storage: InstrumentedStorage | null = null
    const slow = await startTestServer({ storage: (sqlite) => (storage = new InstrumentedStorage(sqlite)) })
    cleanup.add(() => slow.close())
    const board = await createBoard(slow, 'Busy')
    const post = (path: string, json?: unknown) => api(slow, `/api/boards/${board.id}${path}`, { method: 'POST', json })
    const problem = (await (await post('/cards', { kind: 'problem', title: 'P' })).json()) as { id: string }
    const snap = (await (await post('/snapshots', { name: 'Empty-ish' })).json()) as SnapshotView
    const c = connectClient(slow, board.id, cleanup)
    await waitFor(() => c.provider.synced, { message: 'the client to sync' })

    // A client's edit is being stored (its append held) when the restore reaches the room.
    const room = await slow.server.rooms.get(board.id as BoardId)
    cleanup.add(() => slow.server.rooms.release(room))
    const change = room.change.bind(room)
    let changes = 0
    room.change = (...args) => {
      changes++
      return change(...args)
    }
    const gate = createGate()
    storage!.appendGate = gate.promise
    const appends = storage!.appendCalls.length
    setStatus(c, problem.id, 'scoped')
    await waitFor(() => storage!.appendCalls.length > appends, { message: "the client's edit to reach storage" })
    const restoring = post(`/snapshots/${snap.id}/restore`)
    await waitFor(() => changes === 1, { message: 'the restore to reach the room' })
    storage!.appendGate = null
    gate.release()
    const restored = await ok<{ backup: SnapshotView }>(await restoring, 200)

    // The edit came first: the restore undid it, and the backup holds it.
    await waitFor(() => cardStatus(c.doc, problem.id) === 'open', { message: 'the restore to reach the client' })
    const state = await api(slow, `/api/boards/${board.id}/snapshots/${restored.backup.id}/state`)
    const backup = docFromUpdates([new Uint8Array(await state.arrayBuffer())])
    expect(cardStatus(backup, problem.id)).toBe('scoped')
    backup.destroy()
  })

  it('migrates a snapshot from an older canvas format on restore, and refuses a newer one without a backup', async () => {
    const schema = createScopeboardSchema().serialize() as { sequences: Record<string, number> }
    const board = await seededBoard()
    const c = await client(board.id)
    const records = c.doc.getMap<unknown>('records')
    const meta = c.doc.getMap<unknown>('meta')
    // As a Scopeboard from before tldraw's geo shapes could flip: the sequence one step back, a
    // rectangle without the flip props.
    const older = structuredClone(schema)
    older.sequences['com.tldraw.shape.geo'] = schema.sequences['com.tldraw.shape.geo']! - 1
    const { flipX: _x, flipY: _y, ...oldProps } = rectangle('old', 0, 0).props as unknown as Record<string, unknown>
    c.doc.transact(() => {
      records.set('shape:old', { ...rectangle('old', 0, 0), props: oldProps })
      meta.set('schema', older)
    })
    const room = await s.server.rooms.get(board.id as BoardId)
    await waitFor(() => room.doc.getMap('records').has('shape:old'), { message: 'the old rectangle on the server' })
    s.server.rooms.release(room)
    const old = await snapshot(board.id, 'Before the upgrade')
    // Since then a browser of today opened the board: today's label, and the rectangle deleted.
    c.doc.transact(() => {
      records.delete('shape:old')
      meta.set('schema', schema)
    })
    await waitFor(async () => !(await s.server.rooms.get(board.id as BoardId)).doc.getMap('records').has('shape:old'), {
      message: 'the deletion on the server',
    })
    s.server.rooms.release(await s.server.rooms.get(board.id as BoardId))

    const restore = (id: string) => api(s, `/api/boards/${board.id}/snapshots/${id}/restore`, { method: 'POST' })
    expect((await restore(old.id)).status).toBe(200)
    await waitFor(() => records.has('shape:old'), { message: 'the restored rectangle on the client' })
    expect((records.get('shape:old') as { props: Record<string, unknown> }).props).toMatchObject({
      flipX: false,
      flipY: false,
    })
    expect(meta.get('schema')).toEqual(schema)

    // A snapshot a newer Scopeboard wrote, and a live board a newer one wrote: 409, no backup.
    const newer = structuredClone(schema)
    newer.sequences['com.scopeboard.future'] = 1
    meta.set('schema', newer)
    await waitFor(
      async () => {
        const r = await s.server.rooms.get(board.id as BoardId)
        s.server.rooms.release(r)
        return JSON.stringify(r.doc.getMap('meta').get('schema')) === JSON.stringify(newer)
      },
      { message: 'the newer label on the server' },
    )
    const fromTheFuture = await snapshot(board.id, 'From the future')
    const listed = async () => (await ok<SnapshotView[]>(await api(s, `/api/boards/${board.id}/snapshots`), 200)).length
    const count = await listed()
    const refusedLive = await restore(old.id)
    expect(refusedLive.status).toBe(409)
    expect(((await refusedLive.json()) as { error: string }).error).toBe(
      'this board was saved by a newer Scopeboard; update the server before restoring it',
    )
    meta.set('schema', schema)
    await waitFor(
      async () => {
        const r = await s.server.rooms.get(board.id as BoardId)
        s.server.rooms.release(r)
        return JSON.stringify(r.doc.getMap('meta').get('schema')) === JSON.stringify(schema)
      },
      { message: "today's label back on the server" },
    )
    const refusedSnapshot = await restore(fromTheFuture.id)
    expect(refusedSnapshot.status).toBe(409)
    expect(((await refusedSnapshot.json()) as { error: string }).error).toBe(
      'this snapshot was saved by a newer Scopeboard; update the server before restoring it',
    )
    expect(await listed()).toBe(count)
  })

  it('refuses bad names, unknown snapshots and another board’s snapshot', async () => {
    const board = await seededBoard()
    const other = await seededBoard()
    const foreign = await snapshot(other.id, 'Theirs')
    const post = (json: unknown) => api(s, `/api/boards/${board.id}/snapshots`, { method: 'POST', json })
    const error = async (res: Response, status: number) => (await ok<{ error: string }>(res, status)).error
    expect(await error(await post({ name: '   ' }), 400)).toBe('"name" must not be empty')
    expect(await error(await post({}), 400)).toMatch(/"name" must be a string/)
    expect(await error(await post({ name: 'x'.repeat(101) }), 400)).toBe('"name" must be at most 100 characters')
    expect((await post({ name: 'x'.repeat(100) })).status).toBe(201)
    expect((await api(s, `/api/boards/nosuchboard/snapshots`, { method: 'POST', json: { name: 'a' } })).status).toBe(
      404,
    )

    const restore = (id: string) => api(s, `/api/boards/${board.id}/snapshots/${id}/restore`, { method: 'POST' })
    expect(await error(await restore('nosuchsnapshot'), 404)).toBe('this board has no snapshot with this id')
    expect((await restore(foreign.id)).status).toBe(404)
    expect((await restore('bad.id')).status).toBe(400)
    const remove = (id: string) => api(s, `/api/boards/${board.id}/snapshots/${id}`, { method: 'DELETE' })
    expect(await error(await remove('nosuchsnapshot'), 404)).toBe('this board has no snapshot with this id')
    expect((await remove(foreign.id)).status).toBe(404)
    expect((await remove('bad.id')).status).toBe(400)
    // Deleting one leaves the others, and another board's, as they were.
    const doomed = await snapshot(board.id, 'Doomed')
    const before = await ok<SnapshotView[]>(await api(s, `/api/boards/${board.id}/snapshots`), 200)
    expect((await remove(doomed.id)).status).toBe(204)
    const after = await ok<SnapshotView[]>(await api(s, `/api/boards/${board.id}/snapshots`), 200)
    expect(after).toEqual(before.filter((v) => v.id !== doomed.id))
    expect((await remove(doomed.id)).status).toBe(404)
    expect((await api(s, `/api/boards/${other.id}/snapshots/${foreign.id}/state`)).status).toBe(200)
    const state = (id: string) => api(s, `/api/boards/${board.id}/snapshots/${id}/state`)
    expect(await error(await state('nosuchsnapshot'), 404)).toBe('this board has no snapshot with this id')
    expect((await state(foreign.id)).status).toBe(404)
    expect((await state('bad.id')).status).toBe(400)

    const diff = (query: string) => api(s, `/api/boards/${board.id}/scope-diff${query}`)
    expect(await error(await diff(''), 400)).toMatch(/"from" must name a snapshot/)
    expect((await diff(`?from=${foreign.id}`)).status).toBe(404)
    expect((await diff(`?from=nosuch`)).status).toBe(404)
    const mine = await snapshot(board.id, 'Mine')
    expect((await diff(`?from=${mine.id}&to=${foreign.id}`)).status).toBe(404)
    expect(await error(await diff(`?from=${mine.id}&format=pdf`), 400)).toBe('"format" must be json or md')
  })

  it('lets a view link list and diff, but not snapshot or restore', async () => {
    const board = await seededBoard()
    const snap = await snapshot(board.id, 'Sprint planning')
    const view = await createLink(s, board.id, 'view')
    const comment = await createLink(s, board.id, 'comment')
    const edit = await createLink(s, board.id, 'edit')
    const otherBoard = await seededBoard()
    const otherView = await createLink(s, otherBoard.id, 'view')

    for (const link of [view, comment]) {
      expect((await api(s, `/api/boards/${board.id}/snapshots`, { token: link.token })).status).toBe(200)
      const state = await api(s, `/api/boards/${board.id}/snapshots/${snap.id}/state`, { token: link.token })
      expect(state.status).toBe(200)
      expect((await api(s, `/api/boards/${board.id}/scope-diff?from=${snap.id}`, { token: link.token })).status).toBe(
        200,
      )
      expect(
        (await api(s, `/api/boards/${board.id}/snapshots`, { method: 'POST', json: { name: 'x' }, token: link.token }))
          .status,
      ).toBe(403)
      expect(
        (await api(s, `/api/boards/${board.id}/snapshots/${snap.id}/restore`, { method: 'POST', token: link.token }))
          .status,
      ).toBe(403)
    }
    expect((await api(s, `/api/boards/${board.id}/snapshots`, { token: otherView.token })).status).toBe(403)
    const foreignState = `/api/boards/${board.id}/snapshots/${snap.id}/state`
    expect((await api(s, foreignState, { token: otherView.token })).status).toBe(403)
    expect((await api(s, foreignState, { token: null })).status).toBe(401)
    expect((await api(s, `/api/boards/${board.id}/snapshots`, { token: null })).status).toBe(401)

    await snapshot(board.id, 'By an editor', edit.token)
    expect(
      (await api(s, `/api/boards/${board.id}/snapshots/${snap.id}/restore`, { method: 'POST', token: edit.token }))
        .status,
    ).toBe(200)
  })
})

describe('automatic snapshots', () => {
  it('snapshots a board that unloads after changes, at most once an hour, and never one only read', async () => {
    const lines: Array<{ msg: string; board?: string }> = []
    const log = pino({ level: 'info', base: undefined }, { write: (line: string) => lines.push(JSON.parse(line)) })
    const idle = await startTestServer({ idleUnloadMs: 20, log })
    cleanup.add(() => idle.close())
    const unloads = (id: string) => lines.filter((l) => l.msg === 'room unloaded' && l.board === id).length
    const list = async (id: string) => ok<SnapshotView[]>(await api(idle, `/api/boards/${id}/snapshots`), 200)

    const read = await createBoard(idle, 'Only read')
    expect((await api(idle, `/api/boards/${read.id}/scope.json`)).status).toBe(200)
    await waitFor(() => unloads(read.id) === 1, { message: 'the read board to unload' })
    expect(await list(read.id)).toEqual([])

    const board = await createBoard(idle, 'Edited')
    const card = (title: string) =>
      api(idle, `/api/boards/${board.id}/cards`, { method: 'POST', json: { kind: 'problem', title } })
    expect((await card('First')).status).toBe(201)
    await waitFor(() => unloads(board.id) === 1, { message: 'the edited board to unload' })
    const [auto, ...rest] = await list(board.id)
    expect(rest).toEqual([])
    expect(auto).toMatchObject({ kind: 'auto', name: expect.stringMatching(/^Automatic, after changes/) })
    const diff = await ok<ScopeDiff>(await api(idle, `/api/boards/${board.id}/scope-diff?from=${auto.id}`), 200)
    expect(diff.problems).toEqual({ added: [], removed: [], changed: [] })

    // Changed and unloaded again within the hour: no second automatic snapshot.
    expect((await card('Second')).status).toBe(201)
    await waitFor(() => unloads(board.id) === 2, { message: 'the edited board to unload again' })
    expect(await list(board.id)).toEqual([auto])
  })

  it('lets old automatic snapshots go when it takes a new one: a day keeps its newest, named ones stay', async () => {
    const lines: Array<{ msg: string; board?: string }> = []
    const log = pino({ level: 'info', base: undefined }, { write: (line: string) => lines.push(JSON.parse(line)) })
    const idle = await startTestServer({ idleUnloadMs: 20, log })
    cleanup.add(() => idle.close())
    const unloads = (id: string) => lines.filter((l) => l.msg === 'room unloaded' && l.board === id).length
    const board = await createBoard(idle, 'Long history')
    const card = (title: string) =>
      api(idle, `/api/boards/${board.id}/cards`, { method: 'POST', json: { kind: 'problem', title } })
    const named = await ok<SnapshotView>(
      await api(idle, `/api/boards/${board.id}/snapshots`, { method: 'POST', json: { name: 'Kickoff' } }),
      201,
    )

    // A history written over weeks, straight into the data directory.
    const db = new Database(path.join(idle.dataDir, SQLITE_FILE))
    cleanup.add(() => db.close())
    const ago = (days: number, hours = 0) => new Date(Date.now() - (days * 24 + hours) * 3_600_000).toISOString()
    const insert = db.prepare(
      "INSERT INTO snapshots (id, board_id, name, kind, created_at, state) VALUES (?, ?, ?, 'auto', ?, x'00')",
    )
    insert.run('ancient', board.id, 'Automatic', ago(40))
    // Two on one UTC day ten days ago, at 01:00 and 02:00, whatever time the test runs.
    const midnight = new Date(ago(10)).setUTCHours(0, 0, 0, 0)
    insert.run('dayearly', board.id, 'Automatic', new Date(midnight + 3_600_000).toISOString())
    insert.run('daylate', board.id, 'Automatic', new Date(midnight + 2 * 3_600_000).toISOString())
    insert.run('recent', board.id, 'Automatic', ago(1))
    db.prepare('UPDATE snapshots SET created_at = ? WHERE id = ?').run(ago(90), named.id)

    expect((await card('First')).status).toBe(201)
    await waitFor(() => unloads(board.id) === 1, { message: 'the edited board to unload' })
    await waitFor(() => lines.some((l) => l.msg === 'old automatic snapshots let go' && l.board === board.id), {
      message: 'the old automatic snapshots to go',
    })
    const left = await ok<SnapshotView[]>(await api(idle, `/api/boards/${board.id}/snapshots`), 200)
    expect(
      left.map((s) => (s.kind === 'auto' && !['recent', 'daylate', 'ancient'].includes(s.id) ? 'new' : s.id)),
    ).toEqual([
      'new',
      'recent',
      // Of the day ten days ago only its newest is left.
      'daylate',
      // Forty days ago is one of the 30 most recent days that have one: kept.
      'ancient',
      named.id,
    ])
  })
})
