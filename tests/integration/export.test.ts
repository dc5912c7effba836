/**
 * Scope exports over HTTP on a real server: JSON that passes the scope schema, Markdown, the
 * edge-case CSV, their content types and file names, byte-identical answers, live reading (an
 * edit a client just made is in the next export) and that reading never writes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { BoardId } from '../../shared/ids.ts'
import { EDGE_CASE_CSV_COLUMNS, exportFileName, validateScope, type Scope } from '../../shared/scope/index.ts'
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

async function addCard(boardId: string, body: Record<string, unknown>): Promise<{ id: string }> {
  const res = await api(s, `/api/boards/${boardId}/cards`, { method: 'POST', json: body })
  if (res.status !== 201) throw new Error(`adding a card answered ${res.status}: ${await res.text()}`)
  return (await res.json()) as { id: string }
}

/** A board nobody opened in a browser, filled through the cards API only. */
async function seededBoard(title: string) {
  const board = await createBoard(s, title)
  const problem = await addCard(board.id, { kind: 'problem', title: 'Guests abandon checkout', owners: [engineer] })
  await addCard(board.id, { kind: 'metric', title: 'Checkout completion', target: '> 70%', parentId: problem.id })
  const solution = await addCard(board.id, {
    kind: 'solution',
    title: 'Guest checkout',
    status: 'chosen',
    owners: [engineer],
    parentId: problem.id,
  })
  await addCard(board.id, { kind: 'solution', title: 'One-page checkout', parentId: problem.id })
  await addCard(board.id, {
    kind: 'edge-case',
    title: 'Card declined, retry',
    severity: 'high',
    owners: [engineer],
    parentId: solution.id,
  })
  await addCard(board.id, { kind: 'edge-case', title: '=SUM(A1), a formula', parentId: solution.id })
  await addCard(board.id, { kind: 'edge-case', title: 'Address, "quoted"', parentId: problem.id, status: 'handled' })
  return { ...board, problemId: problem.id, solutionId: solution.id }
}

async function get(boardId: string, file: string, query = ''): Promise<Response> {
  return api(s, `/api/boards/${boardId}/${file}${query}`)
}

describe('GET /api/boards/:id/scope.json, scope.md, edge-cases.csv', () => {
  let board: Awaited<ReturnType<typeof seededBoard>>
  beforeAll(async () => {
    board = await seededBoard('Checkout revamp Q3')
  })

  it('serves the scope as JSON that passes the scope schema, as an attachment', async () => {
    const res = await get(board.id, 'scope.json')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="${exportFileName({ id: board.id, title: board.title }, 'json')}"`,
    )
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="checkout-revamp-q3-scope.json"')
    const json: unknown = await res.json()
    const checked = validateScope(json)
    if (!checked.ok) throw new Error(checked.error)
    const scope: Scope = checked.scope
    expect(scope.board).toEqual({ id: board.id, title: 'Checkout revamp Q3' })
    expect(scope.focus).toBeNull()
    expect(scope.problems.map((p) => p.title)).toEqual(['Guests abandon checkout'])
    const [problem] = scope.problems
    expect(problem.id).toBe(board.problemId)
    expect(problem.metrics.map((m) => [m.title, m.target])).toEqual([['Checkout completion', '> 70%']])
    expect(problem.solutions.map((x) => [x.title, x.status]).sort()).toEqual([
      ['Guest checkout', 'chosen'],
      ['One-page checkout', 'proposed'],
    ])
    const chosen = problem.solutions.find((x) => x.id === board.solutionId)!
    expect(chosen.edgeCases.map((e) => [e.title, e.severity, e.status]).sort()).toEqual([
      ['=SUM(A1), a formula', 'medium', 'open'],
      ['Card declined, retry', 'high', 'open'],
    ])
    expect(problem.edgeCases.map((e) => e.title)).toEqual(['Address, "quoted"'])
    expect(scope.unlinked).toEqual({ solutions: [], edgeCases: [], metrics: [] })
    // An open high-severity edge case blocks the sprint.
    expect(scope.health.ready).toBe(false)
  })

  it('serves the scope as Markdown naming every card', async () => {
    const res = await get(board.id, 'scope.md')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="checkout-revamp-q3-scope.md"')
    const md = await res.text()
    for (const title of [
      'Checkout revamp Q3',
      'Guests abandon checkout',
      'Checkout completion',
      'Guest checkout',
      'One-page checkout',
      'Card declined, retry',
    ]) {
      expect(md).toContain(title)
    }
  })

  it('serves the edge cases as CSV: the header, then one row per edge case', async () => {
    const res = await get(board.id, 'edge-cases.csv')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="checkout-revamp-q3-edge-cases.csv"')
    const csv = await res.text()
    const lines = csv.split('\r\n')
    expect(lines.pop()).toBe('')
    expect(lines[0]).toBe(EDGE_CASE_CSV_COLUMNS.join(','))
    for (const column of ['problem', 'solution', 'edge_case', 'severity', 'status', 'owner']) {
      expect(EDGE_CASE_CSV_COLUMNS).toContain(column)
    }
    expect(lines).toHaveLength(1 + 3)
    expect(csv).toContain(',"Card declined, retry",high,open,')
    expect(csv).toContain(`"'=SUM(A1), a formula"`)
    expect(csv).toContain('"Address, ""quoted"""')
    expect(csv).toContain('Ada (engineering)')
  })

  it('answers byte-identical exports to identical requests', async () => {
    for (const file of ['scope.json', 'scope.md', 'edge-cases.csv']) {
      const first = new Uint8Array(await (await get(board.id, file)).arrayBuffer())
      const second = new Uint8Array(await (await get(board.id, file)).arrayBuffer())
      expect(Buffer.from(second).equals(Buffer.from(first)), file).toBe(true)
    }
  })

  it('leaves out the attachment header with ?download=0, so a browser shows it inline', async () => {
    const res = await get(board.id, 'scope.md', '?download=0')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toBeNull()
    expect(await res.text()).toContain('Guest checkout')
  })

  it('reads the live document and never writes to it', async () => {
    const live = await seededBoard('Live')
    const { count } = await s.server.storage.logStats(live.id as BoardId)
    for (let i = 0; i < 3; i++) {
      for (const file of ['scope.json', 'scope.md', 'edge-cases.csv'])
        expect((await get(live.id, file)).status).toBe(200)
    }
    expect((await s.server.storage.logStats(live.id as BoardId)).count).toBe(count)

    // A client renames the problem: the next export has the new title.
    const client = connectClient(s, live.id, cleanup)
    await waitFor(() => client.provider.synced, { message: 'the client to sync' })
    const records = client.doc.getMap<Record<string, unknown>>('records')
    const key = `shape:${live.problemId}`
    const record = records.get(key)!
    records.set(key, { ...record, props: { ...(record.props as object), title: 'Renamed live' } })
    await waitFor(async () => (await (await get(live.id, 'scope.md')).text()).includes('Renamed live'), {
      message: 'the rename to show in the export',
    })
  })

  it('exports an empty board, and one nobody ever opened', async () => {
    const empty = await createBoard(s, 'Empty')
    const res = await get(empty.id, 'scope.json')
    expect(res.status).toBe(200)
    const checked = validateScope(await res.json())
    expect(checked.ok && checked.scope.problems).toEqual([])
    const csv = await (await get(empty.id, 'edge-cases.csv')).text()
    expect(csv).toBe(EDGE_CASE_CSV_COLUMNS.join(',') + '\r\n')
  })

  it('refuses an unknown board with 404, a malformed id with 400 and no token with 401', async () => {
    for (const file of ['scope.json', 'scope.md', 'edge-cases.csv']) {
      const missing = await get('nosuchboard', file)
      expect(missing.status).toBe(404)
      expect(await missing.json()).toEqual({ error: 'no board with this id' })
      const bad = await get('bad.id', file)
      expect(bad.status).toBe(400)
      expect(((await bad.json()) as { error: string }).error).toMatch(/board id must be/)
      expect((await api(s, `/api/boards/${board.id}/${file}`, { token: null })).status).toBe(401)
    }
  })
})
