/**
 * The cards API on a real server: a card (and the arrow to its parent) reaches a stock y-websocket
 * client already on the board, the records are ones a browser's tldraw store loads as they are,
 * cards are placed beside their parent without overlapping, and every bad request is refused
 * with a status and a message that says what is allowed.
 */
import { Store } from '@tldraw/store'
import { DocumentRecordType, PageRecordType, TLDOCUMENT_ID, type TLRecord, type TLStore } from '@tldraw/tlschema'
import type { IndexKey } from '@tldraw/utils'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { bindStoreToDoc } from '../../client/src/sync/bindStoreToDoc.ts'
import { CARD_SIZE, CARD_TYPE } from '../../shared/scope/card.ts'
import { createScopeboardSchema } from '../../shared/scope/schema.ts'
import { api, createBoard, startTestServer, type TestServer } from '../helpers/server.ts'
import { Cleanup, connectClient, type SyncClient } from '../helpers/sync.ts'
import { InstrumentedStorage } from '../helpers/storage.ts'
import { createGate, waitFor } from '../helpers/wait.ts'

const cleanup = new Cleanup()
afterEach(() => cleanup.run())

let s: TestServer
beforeAll(async () => {
  s = await startTestServer()
})
afterAll(() => s?.close())

const schema = createScopeboardSchema()

type Json = Record<string, unknown>
interface CardAnswer extends Json {
  id: string
  kind: string
  title: string
  status: string
  parentId: string | null
  arrowId: string | null
}

async function postCard(boardId: string, body: unknown): Promise<Response> {
  return api(s, `/api/boards/${boardId}/cards`, { method: 'POST', json: body })
}

async function addCard(boardId: string, body: Json): Promise<CardAnswer> {
  const res = await postCard(boardId, body)
  if (res.status !== 201) throw new Error(`adding a card answered ${res.status}: ${await res.text()}`)
  return (await res.json()) as CardAnswer
}

async function refusal(res: Response, status: number): Promise<string> {
  expect(res.status).toBe(status)
  const body = (await res.json()) as Json
  expect(Object.keys(body)).toEqual(['error'])
  return body.error as string
}

function recordsOf(client: SyncClient): Y.Map<Json> {
  return client.doc.getMap<Json>('records')
}

function box(record: Json) {
  const props = record.props as { w: number; h: number }
  const x = record.x as number
  const y = record.y as number
  return { minX: x, minY: y, maxX: x + props.w, maxY: y + props.h }
}

function overlap(a: ReturnType<typeof box>, b: ReturnType<typeof box>): boolean {
  return a.minX < b.maxX && b.minX < a.maxX && a.minY < b.maxY && b.minY < a.maxY
}

/** A store as createTLStore makes it in the browser, with the scope card registered. */
function browserStore(): TLStore {
  return new Store({ schema, props: {} as never }) as unknown as TLStore
}

describe('POST /api/boards/:id/cards', () => {
  it('adds a card and its arrow that a client already on the board sees at once', async () => {
    const board = await createBoard(s, 'Checkout')
    const client = connectClient(s, board.id, cleanup)
    await waitFor(() => client.provider.synced, { message: 'the client to sync' })

    const problem = await addCard(board.id, {
      kind: 'problem',
      title: '  Guests abandon checkout  ',
      owners: [{ name: 'Ada', discipline: 'engineering' }],
      affected: 'guest shoppers',
    })
    expect(problem).toEqual({
      id: expect.stringMatching(/^[\w-]+$/),
      kind: 'problem',
      title: 'Guests abandon checkout',
      details: '',
      owners: [{ name: 'Ada', discipline: 'engineering' }],
      status: 'open',
      parentId: null,
      arrowId: null,
      affected: 'guest shoppers',
      evidence: '',
    })
    const problemRecord = await waitFor(() => recordsOf(client).get(`shape:${problem.id}`), {
      message: 'the problem card to reach the client',
    })
    expect(problemRecord).toMatchObject({ typeName: 'shape', type: CARD_TYPE, parentId: 'page:page' })
    expect(problemRecord.props).toMatchObject({ kind: 'problem', title: 'Guests abandon checkout', w: CARD_SIZE.w })
    // A board nobody opened got what a tldraw store starts with, and the schema.
    expect(recordsOf(client).get('document:document')).toBeTruthy()
    expect(client.doc.getMap('meta').get('schema')).toEqual(schema.serialize())

    const solution = await addCard(board.id, {
      kind: 'solution',
      title: 'Guest checkout',
      status: 'chosen',
      parentId: problem.id,
      appetite: '2 weeks',
    })
    expect(solution).toMatchObject({ kind: 'solution', status: 'chosen', parentId: problem.id, appetite: '2 weeks' })
    expect(solution.arrowId).toEqual(expect.any(String))

    const arrowId = `shape:${solution.arrowId}`
    await waitFor(() => recordsOf(client).get(arrowId), { message: 'the arrow to reach the client' })
    const records = [...recordsOf(client).values()]
    const arrow = recordsOf(client).get(arrowId)!
    expect(arrow).toMatchObject({ type: 'arrow', parentId: 'page:page' })
    const bindings = records.filter((r) => r.typeName === 'binding' && r.fromId === arrowId)
    expect(
      bindings
        .map((b) => [(b.props as { terminal: string }).terminal, b.toId])
        .sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    ).toEqual([
      ['end', `shape:${problem.id}`],
      ['start', `shape:${solution.id}`],
    ])
    // Every record is one the clients' schema accepts.
    for (const record of records) {
      const type = schema.types[record.typeName as keyof typeof schema.types]
      expect(() => type.validate(record as never), String(record.id)).not.toThrow()
    }
    // Drawn above what was there: card, then its arrow.
    const cardRecord = recordsOf(client).get(`shape:${solution.id}`)!
    expect(String(cardRecord.index) > String(problemRecord.index)).toBe(true)
    expect(String(arrow.index) > String(cardRecord.index)).toBe(true)
  })

  it('places children to the right of their parent, one below the other, never on another shape', async () => {
    const board = await createBoard(s, 'Placement')
    const problem = await addCard(board.id, { kind: 'problem', title: 'P' })
    const other = await addCard(board.id, { kind: 'problem', title: 'Q' })
    const first = await addCard(board.id, { kind: 'solution', title: 'S1', parentId: problem.id })
    const second = await addCard(board.id, { kind: 'solution', title: 'S2', parentId: `shape:${problem.id}` })
    const edge = await addCard(board.id, { kind: 'edge-case', title: 'E', parentId: first.id, severity: 'high' })
    expect(edge).toMatchObject({ severity: 'high', status: 'open' })

    const client = connectClient(s, board.id, cleanup)
    await waitFor(() => client.provider.synced && recordsOf(client).get(`shape:${edge.id}`), {
      message: 'the board to reach the client',
    })
    const boxOf = (id: string) => box(recordsOf(client).get(`shape:${id}`)!)
    const [p, q, s1, s2, e] = [problem, other, first, second, edge].map((card) => boxOf(card.id))
    expect(q.minY).toBeGreaterThanOrEqual(p.maxY)
    expect(s1.minX).toBeGreaterThanOrEqual(p.maxX)
    expect(s1.minY).toBe(p.minY)
    expect(s2.minX).toBe(s1.minX)
    expect(s2.minY).toBeGreaterThanOrEqual(s1.maxY)
    expect(e.minX).toBeGreaterThanOrEqual(s1.maxX)
    const all = [p, q, s1, s2, e]
    for (const [i, a] of all.entries()) for (const b of all.slice(i + 1)) expect(overlap(a, b)).toBe(false)
  })

  it('writes records a browser opening the board loads as they are, without rewriting anything', async () => {
    const board = await createBoard(s, 'Never opened')
    const problem = await addCard(board.id, { kind: 'problem', title: 'P' })
    const metric = await addCard(board.id, { kind: 'metric', title: 'M', target: '< 2%', parentId: problem.id })

    const client = connectClient(s, board.id, cleanup)
    await waitFor(() => client.provider.synced && recordsOf(client).get(`shape:${metric.id}`), {
      message: 'the board to reach the client',
    })
    const doc = new Y.Doc()
    cleanup.add(() => doc.destroy())
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(client.doc))
    const before = Y.encodeStateVector(doc)
    const invalid: string[] = []
    const store = browserStore()
    const binding = bindStoreToDoc(store, doc, { onInvalidRecord: (id) => invalid.push(id) })
    cleanup.add(() => binding.dispose())

    expect(binding.status).toEqual({ kind: 'bound' })
    expect(invalid).toEqual([])
    expect(Y.encodeStateVector(doc)).toEqual(before)
    const ids = store.allRecords().map((r: TLRecord) => r.id)
    expect(ids).toEqual(
      expect.arrayContaining([`shape:${problem.id}`, `shape:${metric.id}`, `shape:${metric.arrowId}`]),
    )
    expect(store.allRecords().filter((r) => r.typeName === 'binding')).toHaveLength(2)
  })

  it('adds to a board a browser already drew on, on its first page', async () => {
    const board = await createBoard(s, 'Drawn on')
    const client = connectClient(s, board.id, cleanup)
    await waitFor(() => client.provider.synced, { message: 'the client to sync' })
    // What a browser writes when it opens an empty board: its store's records and the schema.
    const store = browserStore()
    const binding = bindStoreToDoc(store, client.doc)
    cleanup.add(() => binding.dispose())
    store.put([
      DocumentRecordType.create({ id: TLDOCUMENT_ID }),
      PageRecordType.create({ id: PageRecordType.createId('second'), name: 'Second', index: 'a2' as IndexKey }),
      PageRecordType.create({ id: PageRecordType.createId('first'), name: 'First', index: 'a1' as IndexKey }),
    ])

    const card = await addCard(board.id, { kind: 'problem', title: 'P' })
    const record = await waitFor(() => store.get(`shape:${card.id}` as never) as Json | undefined, {
      message: 'the card to reach the store',
    })
    expect(record.parentId).toBe('page:first')
  })

  it('places cards added at the same moment apart from each other', async () => {
    // Slow appends keep every request in flight together, as on a busy server.
    let storage: InstrumentedStorage | null = null
    const slow = await startTestServer({ storage: (sqlite) => (storage = new InstrumentedStorage(sqlite)) })
    cleanup.add(() => slow.close())
    const board = await createBoard(slow, 'Concurrent')
    const post = async (body: Json) => {
      const res = await api(slow, `/api/boards/${board.id}/cards`, { method: 'POST', json: body })
      expect(res.status).toBe(201)
      return (await res.json()) as CardAnswer
    }
    const problem = await post({ kind: 'problem', title: 'P' })
    // Count the requests that got as far as the room: from there on they need no more I/O.
    const rooms = slow.server.rooms
    const getRoom = rooms.get.bind(rooms)
    let roomGets = 0
    rooms.get = (id) => {
      roomGets++
      return getRoom(id)
    }
    const gate = createGate()
    storage!.appendGate = gate.promise
    const adding = Promise.all(
      Array.from({ length: 6 }, (_, i) => post({ kind: 'solution', title: `S${i}`, parentId: problem.id })),
    )
    await waitFor(() => roomGets === 6, { message: 'every request to reach the room' })
    gate.release()
    const cards = await adding

    const client = connectClient(slow, board.id, cleanup)
    const ids = [problem, ...cards].map((c) => `shape:${c.id}`)
    await waitFor(() => client.provider.synced && ids.every((id) => recordsOf(client).has(id)), {
      message: 'every card to reach the client',
    })
    const boxes = ids.map((id) => box(recordsOf(client).get(id)!))
    for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(overlap(a, b)).toBe(false)
    // The seven API writes went in under one Yjs client id (the other writer made the new board):
    // API use does not grow the document's state vector.
    expect(Y.decodeStateVector(Y.encodeStateVector(client.doc)).size).toBe(2)
  })

  it('brings a board saved with an older schema up to date before adding to it', async () => {
    const board = await createBoard(s, 'Older schema')
    const client = connectClient(s, board.id, cleanup)
    await waitFor(() => client.provider.synced, { message: 'the client to sync' })
    // As a Scopeboard from before scope cards left it: no card sequence in the schema.
    const older = structuredClone(schema.serialize()) as { sequences: Record<string, number> }
    delete older.sequences[`com.tldraw.shape.${CARD_TYPE}`]
    client.doc.transact(() => {
      recordsOf(client).set('document:document', DocumentRecordType.create({ id: TLDOCUMENT_ID }) as never)
      recordsOf(client).set(
        'page:page',
        PageRecordType.create({ id: PageRecordType.createId('page'), name: 'P', index: 'a1' as IndexKey }) as never,
      )
      client.doc.getMap('meta').set('schema', older)
    })
    await waitFor(async () => (await s.server.rooms.get(board.id as never)).doc.getMap('records').size === 2, {
      message: 'the server to hold the records',
    })
    s.server.rooms.release(await s.server.rooms.get(board.id as never))
    const card = await addCard(board.id, { kind: 'problem', title: 'P' })
    await waitFor(() => recordsOf(client).get(`shape:${card.id}`), { message: 'the card to reach the client' })
    expect(client.doc.getMap('meta').get('schema')).toEqual(schema.serialize())
  })

  it('refuses with 409 to add to a board saved by a newer Scopeboard', async () => {
    const board = await createBoard(s, 'Newer schema')
    const client = connectClient(s, board.id, cleanup)
    await waitFor(() => client.provider.synced, { message: 'the client to sync' })
    const newer = structuredClone(schema.serialize()) as { sequences: Record<string, number> }
    newer.sequences['com.scopeboard.future'] = 1
    client.doc.transact(() => {
      recordsOf(client).set('document:document', DocumentRecordType.create({ id: TLDOCUMENT_ID }) as never)
      client.doc.getMap('meta').set('schema', newer)
    })
    const room = await s.server.rooms.get(board.id as never)
    await waitFor(() => room.doc.getMap('meta').get('schema'), { message: 'the server to hold the schema' })
    s.server.rooms.release(room)
    const count = recordsOf(client).size
    expect(await refusal(await postCard(board.id, { kind: 'problem', title: 'P' }), 409)).toMatch(
      /saved by a newer Scopeboard/,
    )
    expect(recordsOf(client).size).toBe(count)
  })

  describe('refusals', () => {
    let boardId: string
    let problemId: string
    let solutionId: string
    let edgeId: string
    beforeAll(async () => {
      boardId = (await createBoard(s, 'Refusals')).id
      problemId = (await addCard(boardId, { kind: 'problem', title: 'P' })).id
      solutionId = (await addCard(boardId, { kind: 'solution', title: 'S', parentId: problemId })).id
      edgeId = (await addCard(boardId, { kind: 'edge-case', title: 'E', parentId: solutionId })).id
    })

    const long = (n: number) => 'x'.repeat(n)
    const cases: Array<[string, Json, RegExp]> = [
      ['an unknown kind', { kind: 'task', title: 'T' }, /"kind" must be one of problem, solution, edge-case, metric/],
      ['a missing kind', { title: 'T' }, /"kind" must be one of/],
      ['a missing title', { kind: 'problem' }, /"title" must be a non-empty string of at most 200 characters/],
      ['an empty title', { kind: 'problem', title: '   ' }, /"title" must be a non-empty string/],
      ['an overlong title', { kind: 'problem', title: long(201) }, /"title" .*at most 200 characters/],
      ['a title that is not a string', { kind: 'problem', title: 7 }, /"title" must be a non-empty string/],
      [
        'a status of another kind',
        { kind: 'solution', title: 'T', status: 'open' },
        /"status" of a solution must be one of proposed, chosen, rejected/,
      ],
      [
        'an unknown severity',
        { kind: 'edge-case', title: 'T', severity: 'critical' },
        /"severity" must be one of low, medium, high/,
      ],
      [
        'severity on a problem',
        { kind: 'problem', title: 'T', severity: 'low' },
        /"severity" only applies to edge-case/,
      ],
      ['owners that are not a list', { kind: 'problem', title: 'T', owners: 'Ada' }, /"owners" must be a list/],
      [
        'an owner without discipline',
        { kind: 'problem', title: 'T', owners: [{ name: 'Ada' }] },
        /"owners\[0\]\.discipline" must be one of engineering, design, product/,
      ],
      [
        'an owner with an empty name',
        { kind: 'problem', title: 'T', owners: [{ name: '', discipline: 'design' }] },
        /"owners\[0\]\.name" must be a non-empty string of at most 60 characters/,
      ],
      [
        'too many owners',
        { kind: 'problem', title: 'T', owners: Array(11).fill({ name: 'A', discipline: 'design' }) },
        /"owners" must list at most 10 owners/,
      ],
      ['overlong details', { kind: 'problem', title: 'T', details: long(4001) }, /"details" .*at most 4000/],
      ['an unknown field', { kind: 'problem', title: 'T', colour: 'red' }, /unknown field "colour"; a card takes kind/],
      [
        'a parent for a problem',
        { kind: 'problem', title: 'T', parentId: 'abc' },
        /"parentId" must be left out: a problem takes no parent/,
      ],
    ]
    it.each(cases)('refuses %s with 400', async (_label, body, message) => {
      expect(await refusal(await postCard(boardId, body), 400)).toMatch(message)
    })

    it('refuses a parent of a kind the card cannot hang under with 400, naming the kinds it can', async () => {
      expect(await refusal(await postCard(boardId, { kind: 'solution', title: 'T', parentId: solutionId }), 400)).toBe(
        `a solution can only hang under a problem; card "${solutionId}" is a solution`,
      )
      expect(await refusal(await postCard(boardId, { kind: 'edge-case', title: 'T', parentId: edgeId }), 400)).toBe(
        `an edge-case can only hang under a solution or a problem; card "${edgeId}" is an edge-case`,
      )
      expect(await refusal(await postCard(boardId, { kind: 'metric', title: 'T', parentId: solutionId }), 400)).toMatch(
        /a metric can only hang under a problem/,
      )
    })

    it('refuses an unknown parent with 404', async () => {
      expect(await refusal(await postCard(boardId, { kind: 'solution', title: 'T', parentId: 'nope' }), 404)).toBe(
        'no card "nope" on this board',
      )
      // A card of another board is not on this one.
      const other = await createBoard(s, 'Other')
      expect(await refusal(await postCard(other.id, { kind: 'solution', title: 'T', parentId: problemId }), 404)).toBe(
        `no card "${problemId}" on this board`,
      )
    })

    it('refuses an unknown board with 404 and a malformed board id with 400', async () => {
      expect(await refusal(await postCard('nosuchboard', { kind: 'problem', title: 'T' }), 404)).toMatch(/no board/)
      expect(await refusal(await postCard('bad.id', { kind: 'problem', title: 'T' }), 400)).toMatch(/board id must be/)
    })

    it('refuses bodies that are not a JSON object, and requests without a token', async () => {
      expect(await refusal(await postCard(boardId, ['kind']), 400)).toMatch(/JSON object/)
      const res = await api(s, `/api/boards/${boardId}/cards`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: '{}',
      })
      expect(res.status).toBe(415)
      const anonymous = await api(s, `/api/boards/${boardId}/cards`, {
        method: 'POST',
        token: null,
        json: { kind: 'problem', title: 'T' },
      })
      expect(anonymous.status).toBe(401)
    })

    it('writes nothing for a refused request', async () => {
      const client = connectClient(s, boardId, cleanup)
      await waitFor(() => client.provider.synced, { message: 'the client to sync' })
      const countBefore = recordsOf(client).size
      await refusal(await postCard(boardId, { kind: 'solution', title: 'T', parentId: 'nope' }), 404)
      await refusal(await postCard(boardId, { kind: 'solution', title: 'T', parentId: solutionId }), 400)
      // Updates reach a client in order: once a later card is there, anything before it would be too.
      const card = await addCard(boardId, { kind: 'problem', title: 'After' })
      await waitFor(() => recordsOf(client).get(`shape:${card.id}`), { message: 'the accepted card' })
      expect(recordsOf(client).size).toBe(countBefore + 1)
    })
  })
})
