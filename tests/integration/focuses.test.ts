/**
 * Sprint focuses on a real server: creating, reading, changing and deleting them with every
 * validation error, linking boards (workspace and edit links), the focus context every guest of a
 * linked board sees, the board exports' "no-sprint-focus" check, and the roll-up of exactly the
 * linked boards with its totals, in JSON and Markdown — closed to share links.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { validateRollup, type FocusRollup, type FocusWithBoards } from '../../shared/focus/index.ts'
import type { Scope } from '../../shared/scope/index.ts'
import { createLink, type CreatedLink } from '../helpers/links.ts'
import { api, createBoard, startTestServer, type TestServer } from '../helpers/server.ts'

let s: TestServer
beforeAll(async () => {
  s = await startTestServer()
})
afterAll(() => s?.close())

const engineer = { name: 'Ada', discipline: 'engineering' }

const SPRINT_42 = {
  sprint: 'Sprint 42',
  title: 'Make checkout trustworthy',
  goal: 'Fewer abandoned checkouts',
  metric: 'Checkout completion above 70%',
  strategy: 'Win repeat customers',
  startDate: '2026-03-02',
  endDate: '2026-03-13',
  status: 'active',
}

async function createFocus(body: Record<string, unknown>): Promise<FocusWithBoards> {
  const res = await api(s, '/api/focuses', { method: 'POST', json: body })
  if (res.status !== 201) throw new Error(`creating a focus answered ${res.status}: ${await res.text()}`)
  return (await res.json()) as FocusWithBoards
}

async function addCard(boardId: string, body: Record<string, unknown>): Promise<string> {
  const res = await api(s, `/api/boards/${boardId}/cards`, { method: 'POST', json: body })
  if (res.status !== 201) throw new Error(`adding a card answered ${res.status}: ${await res.text()}`)
  return ((await res.json()) as { id: string }).id
}

async function link(boardId: string, focusId: string | null, token?: string): Promise<Response> {
  return api(s, `/api/boards/${boardId}/focus`, { method: 'PUT', json: { focusId }, token })
}

async function rollup(focusId: string): Promise<FocusRollup> {
  const res = await api(s, `/api/focuses/${focusId}/scope.json`)
  expect(res.status).toBe(200)
  const checked = validateRollup(await res.json())
  if (!checked.ok) throw new Error(checked.error)
  return checked.rollup
}

async function boardScope(boardId: string): Promise<Scope> {
  const res = await api(s, `/api/boards/${boardId}/scope.json`)
  expect(res.status).toBe(200)
  return (await res.json()) as Scope
}

async function errorOf(res: Response): Promise<{ status: number; error: string }> {
  return { status: res.status, error: ((await res.json()) as { error: string }).error }
}

describe('focus objects', () => {
  it('creates a focus with defaults, lists it and reads it back', async () => {
    const created = await createFocus({ sprint: '  2026-W49 ', title: 'Ship  guest\ncheckout' })
    expect(created).toMatchObject({
      sprint: '2026-W49',
      title: 'Ship guest checkout',
      goal: null,
      metric: null,
      strategy: null,
      startDate: null,
      endDate: null,
      status: 'planned',
      boardIds: [],
    })
    expect(created.id).toMatch(/^[a-z0-9]{12}$/)
    expect(created.createdAt).toBe(created.updatedAt)

    const full = await createFocus(SPRINT_42)
    expect(full).toMatchObject({ ...SPRINT_42, boardIds: [] })

    const list = (await (await api(s, '/api/focuses')).json()) as FocusWithBoards[]
    expect(list.map((f) => f.id)).toEqual(expect.arrayContaining([created.id, full.id]))
    const one = await api(s, `/api/focuses/${full.id}`)
    expect(one.status).toBe(200)
    expect(await one.json()).toEqual(full)
  })

  it('refuses bad bodies with 400 and a message naming the field', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{}, /"sprint" must be a non-empty string of at most 100 characters/],
      [{ sprint: '   ', title: 'x' }, /"sprint" must be a non-empty string/],
      [{ sprint: 'S1', title: '' }, /"title" must be a non-empty string of at most 200 characters/],
      [{ sprint: 'S1', title: 'x'.repeat(201) }, /"title" must be a non-empty string of at most 200/],
      [{ sprint: 'S'.repeat(101), title: 'x' }, /"sprint" .* at most 100/],
      [{ sprint: 'S1', title: 'x', goal: 'g'.repeat(1001) }, /"goal" must be a string of at most 1000 characters/],
      [{ sprint: 'S1', title: 'x', metric: 42 }, /"metric" must be a string of at most 500 characters, or null/],
      [{ sprint: 'S1', title: 'x', startDate: '03/02/2026' }, /"startDate" must be a real date as YYYY-MM-DD/],
      [{ sprint: 'S1', title: 'x', endDate: '2026-02-30' }, /"endDate" must be a real date as YYYY-MM-DD/],
      [
        { sprint: 'S1', title: 'x', startDate: '2026-03-10', endDate: '2026-03-01' },
        /"endDate" \(2026-03-01\) must not be before "startDate" \(2026-03-10\)/,
      ],
      [{ sprint: 'S1', title: 'x', status: 'started' }, /"status" must be one of planned, active, done/],
      [{ sprint: 'S1', title: 'x', owner: 'me' }, /unknown field "owner"; a focus takes sprint, title, goal/],
    ]
    for (const [body, message] of cases) {
      const res = await api(s, '/api/focuses', { method: 'POST', json: body })
      const answer = await errorOf(res)
      expect(answer.status, JSON.stringify(body)).toBe(400)
      expect(answer.error, JSON.stringify(body)).toMatch(message)
    }
    const notJson = await api(s, '/api/focuses', { method: 'POST', body: 'sprint=1' })
    expect(notJson.status).toBe(415)
  })

  it('changes a focus with PATCH, checking dates against the stored ones', async () => {
    const focus = await createFocus({ sprint: 'S7', title: 'Old', startDate: '2026-05-04' })
    const res = await api(s, `/api/focuses/${focus.id}`, {
      method: 'PATCH',
      json: { title: 'New statement', goal: 'A goal', status: 'done', endDate: '2026-05-15' },
    })
    expect(res.status).toBe(200)
    const changed = (await res.json()) as FocusWithBoards
    expect(changed).toMatchObject({
      id: focus.id,
      sprint: 'S7',
      title: 'New statement',
      goal: 'A goal',
      status: 'done',
      startDate: '2026-05-04',
      endDate: '2026-05-15',
    })
    expect(changed.updatedAt >= focus.updatedAt).toBe(true)

    const clear = await api(s, `/api/focuses/${focus.id}`, { method: 'PATCH', json: { goal: '', endDate: null } })
    expect(await clear.json()).toMatchObject({ goal: null, endDate: null })

    const cases: Array<[unknown, RegExp]> = [
      [{}, /nothing to change: send at least one of sprint, title/],
      [{ endDate: '2026-05-01' }, /"endDate" \(2026-05-01\) must not be before "startDate" \(2026-05-04\)/],
      [{ title: null }, /"title" must be a non-empty string/],
      [{ status: null }, /"status" must be one of planned, active, done/],
      [{ id: 'other' }, /unknown field "id"/],
    ]
    for (const [body, message] of cases) {
      const answer = await errorOf(await api(s, `/api/focuses/${focus.id}`, { method: 'PATCH', json: body }))
      expect(answer.status, JSON.stringify(body)).toBe(400)
      expect(answer.error, JSON.stringify(body)).toMatch(message)
    }
  })

  it('answers 404 for an unknown focus and 400 for an id that cannot be one', async () => {
    for (const [method, path] of [
      ['GET', '/api/focuses/nosuchfocus'],
      ['PATCH', '/api/focuses/nosuchfocus'],
      ['DELETE', '/api/focuses/nosuchfocus'],
      ['GET', '/api/focuses/nosuchfocus/scope.json'],
      ['GET', '/api/focuses/nosuchfocus/scope.md'],
    ] as const) {
      const res = await api(s, path, { method, json: method === 'PATCH' ? { title: 'x' } : undefined })
      expect(await errorOf(res), `${method} ${path}`).toEqual({ status: 404, error: 'no focus with this id' })
    }
    const bad = await errorOf(await api(s, '/api/focuses/not.an.id'))
    expect(bad).toEqual({ status: 400, error: 'focus id must be 1–64 letters, digits, "-" or "_"' })
  })
})

describe('linking boards and the roll-up', () => {
  let focus: FocusWithBoards
  let checkout: { id: string; cards: Record<string, string> }
  let billing: { id: string; cards: Record<string, string> }
  let secret: { id: string }
  let view: CreatedLink

  beforeAll(async () => {
    focus = await createFocus(SPRINT_42)

    // Ready for sprint: metric, two solutions, engineers own the problem and the chosen one, its
    // edge case is only medium. A dropped problem is out of play.
    const a = await createBoard(s, 'Checkout')
    const problem = await addCard(a.id, { kind: 'problem', title: 'Guests abandon checkout', owners: [engineer] })
    const metric = await addCard(a.id, { kind: 'metric', title: 'Completion', target: '> 70%', parentId: problem })
    const chosen = await addCard(a.id, {
      kind: 'solution',
      title: 'Guest checkout',
      status: 'chosen',
      owners: [engineer],
      parentId: problem,
    })
    await addCard(a.id, { kind: 'solution', title: 'One-page checkout', parentId: problem })
    const edge = await addCard(a.id, {
      kind: 'edge-case',
      title: 'Card declined',
      severity: 'medium',
      parentId: chosen,
    })
    await addCard(a.id, { kind: 'edge-case', title: 'Address typo', status: 'handled', parentId: chosen })
    await addCard(a.id, { kind: 'problem', title: 'Old idea', status: 'dropped', owners: [engineer] })
    checkout = { id: a.id, cards: { problem, metric, chosen, edge } }

    // Not ready: no metric, and a high-severity edge case left open on the problem.
    const b = await createBoard(s, 'Billing')
    const p3 = await addCard(b.id, { kind: 'problem', title: 'Invoices arrive late' })
    const s3 = await addCard(b.id, {
      kind: 'solution',
      title: 'Send at midnight',
      status: 'chosen',
      noEdgeCases: true,
      parentId: p3,
    })
    const e3 = await addCard(b.id, { kind: 'edge-case', title: 'Time zones', severity: 'high', parentId: p3 })
    billing = { id: b.id, cards: { problem: p3, chosen: s3, edge: e3 } }

    const c = await createBoard(s, 'Secret roadmap')
    await addCard(c.id, { kind: 'problem', title: 'Nobody else may see this' })
    secret = { id: c.id }

    for (const id of [checkout.id, billing.id]) expect((await link(id, focus.id)).status).toBe(200)
    view = await createLink(s, checkout.id, 'view')
  })

  it('links boards: the board, its list entry and the focus all say so', async () => {
    const board = (await (await api(s, `/api/boards/${checkout.id}`)).json()) as Record<string, unknown>
    expect(board).toMatchObject({
      id: checkout.id,
      focusId: focus.id,
      focus: {
        id: focus.id,
        sprint: 'Sprint 42',
        title: 'Make checkout trustworthy',
        goal: 'Fewer abandoned checkouts',
        metric: 'Checkout completion above 70%',
        strategy: 'Win repeat customers',
        status: 'active',
      },
    })
    const list = (await (await api(s, '/api/boards')).json()) as Array<{ id: string; focusId: string | null }>
    const focusOf = Object.fromEntries(list.map((b) => [b.id, b.focusId]))
    expect(focusOf).toMatchObject({ [checkout.id]: focus.id, [billing.id]: focus.id, [secret.id]: null })
    const read = (await (await api(s, `/api/focuses/${focus.id}`)).json()) as FocusWithBoards
    expect(read.boardIds).toEqual([checkout.id, billing.id].sort())
    const all = (await (await api(s, '/api/focuses')).json()) as FocusWithBoards[]
    expect(all.find((f) => f.id === focus.id)?.boardIds).toEqual([checkout.id, billing.id].sort())
  })

  it("puts the focus in the linked boards' exports, so the no-sprint-focus check passes", async () => {
    const linked = await boardScope(checkout.id)
    expect(linked.focus).toEqual({
      id: focus.id,
      sprint: 'Sprint 42',
      title: 'Make checkout trustworthy',
      goal: 'Fewer abandoned checkouts',
      metric: 'Checkout completion above 70%',
      strategy: 'Win repeat customers',
    })
    expect(linked.health.checks.find((c) => c.id === 'no-sprint-focus')?.passed).toBe(true)
    expect(linked.health.ready).toBe(true)
    const md = await (await api(s, `/api/boards/${checkout.id}/scope.md`)).text()
    expect(md).toContain('Sprint focus: **Sprint 42 — Make checkout trustworthy**')

    const unlinked = await boardScope(secret.id)
    expect(unlinked.focus).toBeNull()
    expect(unlinked.health.checks.find((c) => c.id === 'no-sprint-focus')?.passed).toBe(false)
  })

  it('rolls up exactly the linked boards, sorted by title, with their totals', async () => {
    const r = await rollup(focus.id)
    expect(r.focus).toEqual({
      id: focus.id,
      sprint: 'Sprint 42',
      title: 'Make checkout trustworthy',
      goal: 'Fewer abandoned checkouts',
      metric: 'Checkout completion above 70%',
      strategy: 'Win repeat customers',
      startDate: '2026-03-02',
      endDate: '2026-03-13',
      status: 'active',
    })
    expect(r.boards.map((b) => b.title)).toEqual(['Billing', 'Checkout'])
    expect(r.boards.map((b) => b.id)).toEqual([billing.id, checkout.id])
    expect(r.totals).toEqual({
      boards: 2,
      boardsReadyForSprint: 1,
      problems: 2,
      problemsWithMetric: 1,
      chosenSolutions: 2,
      chosenSolutionsWithEdgeCases: 2,
      openEdgeCases: 2,
      openHighSeverityEdgeCases: 1,
    })

    const [b, a] = r.boards
    expect(a.health.ready).toBe(true)
    expect(a.problems).toHaveLength(1)
    expect(a.problems[0]).toMatchObject({
      id: checkout.cards.problem,
      title: 'Guests abandon checkout',
      metrics: [{ id: checkout.cards.metric, title: 'Completion', target: '> 70%', status: 'proposed' }],
      chosenSolutions: [{ id: checkout.cards.chosen, title: 'Guest checkout', edgeCases: 2, openEdgeCases: 1 }],
      openEdgeCases: [
        {
          id: checkout.cards.edge,
          title: 'Card declined',
          severity: 'medium',
          solution: { id: checkout.cards.chosen, title: 'Guest checkout' },
        },
      ],
    })
    expect(b.health.ready).toBe(false)
    expect(b.problems[0].openEdgeCases).toMatchObject([{ id: billing.cards.edge, severity: 'high', solution: null }])
    expect(b.health.checks.filter((c) => !c.passed).map((c) => c.id)).toEqual(
      expect.arrayContaining(['problem-without-metric', 'open-high-severity-edge-case', 'no-engineering-owner']),
    )
    expect(JSON.stringify(r)).not.toContain('Nobody else may see this')
  })

  it('serves the roll-up as the Markdown sprint-planning document, every card a link to its board', async () => {
    const res = await api(s, `/api/focuses/${focus.id}/scope.md`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="sprint-42-make-checkout-trustworthy-scope.md"',
    )
    const md = await res.text()
    expect(md.startsWith('# Sprint 42 — Make checkout trustworthy\n')).toBe(true)
    expect(md).toContain('- **Strategy:** Win repeat customers')
    expect(md).toContain('- **Boards:** 2 linked, 1 ready for sprint')
    expect(md).toContain('- **Open edge cases:** 2, 1 of high severity')
    expect(md).toContain(`## Board: [Checkout](${s.url}/b/${checkout.id}) — ✅ Ready for sprint`)
    expect(md).toContain(`[Guest checkout](${s.url}/b/${checkout.id}#card=${checkout.cards.chosen})`)
    expect(md).toContain(`- [ ] [Time zones](${s.url}/b/${billing.id}#card=${billing.cards.edge}) — **high** severity`)
    expect(md.indexOf('## Board: [Billing]')).toBeLessThan(md.indexOf('## Board: [Checkout]'))
    expect(md).not.toContain('Secret roadmap')
    const again = await (await api(s, `/api/focuses/${focus.id}/scope.md`)).text()
    expect(again).toBe(md)
    const inline = await api(s, `/api/focuses/${focus.id}/scope.json?download=0`)
    expect(inline.headers.get('content-disposition')).toBeNull()
  })

  it('reads the live boards: a card just added is in the next roll-up', async () => {
    const before = await rollup(focus.id)
    const metric = await addCard(billing.id, {
      kind: 'metric',
      title: 'On-time invoices',
      parentId: billing.cards.problem,
    })
    const after = await rollup(focus.id)
    expect(after.totals.problemsWithMetric).toBe(before.totals.problemsWithMetric + 1)
    expect(after.boards[0].problems[0].metrics.map((m) => m.id)).toEqual([metric])
  })

  it('shows a guest the focus context of its board, but not the roll-up, focuses or other boards', async () => {
    const board = await api(s, `/api/boards/${checkout.id}`, { token: view.token })
    expect(board.status).toBe(200)
    expect(((await board.json()) as { focus: unknown }).focus).toEqual({
      id: focus.id,
      sprint: 'Sprint 42',
      title: 'Make checkout trustworthy',
      goal: 'Fewer abandoned checkouts',
      metric: 'Checkout completion above 70%',
      strategy: 'Win repeat customers',
      status: 'active',
    })
    const refused = [
      ['GET', `/api/focuses/${focus.id}/scope.json`],
      ['GET', `/api/focuses/${focus.id}/scope.md`],
      ['GET', `/api/focuses/${focus.id}`],
      ['GET', '/api/focuses'],
      ['PATCH', `/api/focuses/${focus.id}`],
      ['DELETE', `/api/focuses/${focus.id}`],
      ['POST', '/api/focuses'],
      ['GET', `/api/boards/${billing.id}`],
      ['PUT', `/api/boards/${checkout.id}/focus`],
    ] as const
    for (const [method, path] of refused) {
      const res = await api(s, path, { method, token: view.token, json: method === 'GET' ? undefined : {} })
      expect(res.status, `${method} ${path}`).toBe(403)
    }
    // The guest's own board export carries the focus too.
    const scope = await api(s, `/api/boards/${checkout.id}/scope.json`, { token: view.token })
    expect(((await scope.json()) as Scope).focus?.id).toBe(focus.id)
  })

  it('lets an edit link unlink and relink its own board, and no other', async () => {
    const edit = await createLink(s, billing.id, 'edit')
    const off = await link(billing.id, null, edit.token)
    expect(off.status).toBe(200)
    expect(await off.json()).toMatchObject({ id: billing.id, focusId: null, focus: null })
    expect((await rollup(focus.id)).boards.map((b) => b.id)).toEqual([checkout.id])
    expect((await link(billing.id, focus.id, edit.token)).status).toBe(200)
    expect((await link(checkout.id, null, edit.token)).status).toBe(403)
    expect((await rollup(focus.id)).boards.map((b) => b.id)).toEqual([billing.id, checkout.id])
  })

  it('refuses bad links: unknown focus or board 404, bad bodies 400', async () => {
    expect(await errorOf(await link(secret.id, 'nosuchfocus'))).toEqual({ status: 404, error: 'no focus with this id' })
    expect(await errorOf(await link('nosuchboard', focus.id))).toEqual({ status: 404, error: 'no board with this id' })
    const cases: Array<[unknown, RegExp]> = [
      [{}, /"focusId" is required: a focus id, or null to unlink/],
      [{ focusId: 42 }, /"focusId" must be a focus id/],
      [{ focusId: 'a/b' }, /"focusId" must be a focus id/],
      [{ focusId: null, board: 'x' }, /unknown field "board"/],
    ]
    for (const [body, message] of cases) {
      const res = await api(s, `/api/boards/${secret.id}/focus`, { method: 'PUT', json: body })
      const answer = await errorOf(res)
      expect(answer.status, JSON.stringify(body)).toBe(400)
      expect(answer.error, JSON.stringify(body)).toMatch(message)
    }
    expect(((await (await api(s, `/api/boards/${secret.id}`)).json()) as { focusId: unknown }).focusId).toBeNull()
  })

  it('unlinks a board: it leaves the roll-up and its export warns again', async () => {
    const other = await createFocus({ sprint: 'Sprint 43', title: 'Later' })
    expect((await link(secret.id, other.id)).status).toBe(200)
    // A focus that names no strategy still leaves the board without strategic direction.
    const noStrategy = (await boardScope(secret.id)).health.checks.find((c) => c.id === 'no-sprint-focus')
    expect(noStrategy).toMatchObject({ passed: false })
    expect(noStrategy?.message).toMatch(/names no strategy/)
    expect((await rollup(other.id)).boards.map((b) => b.id)).toEqual([secret.id])

    expect((await link(secret.id, null)).status).toBe(200)
    expect((await rollup(other.id)).boards).toEqual([])
    expect((await rollup(other.id)).totals.boards).toBe(0)
    expect((await boardScope(secret.id)).focus).toBeNull()
  })

  it('refuses to delete a focus boards link to, unless forced, which unlinks them and keeps the boards', async () => {
    const refused = await errorOf(await api(s, `/api/focuses/${focus.id}`, { method: 'DELETE' }))
    expect(refused.status).toBe(409)
    expect(refused.error).toMatch(/^2 boards link to this focus: unlink them first, or delete with \?force=true/)
    expect((await api(s, `/api/focuses/${focus.id}`)).status).toBe(200)
    expect((await api(s, `/api/focuses/${focus.id}?force=maybe`, { method: 'DELETE' })).status).toBe(400)

    const forced = await api(s, `/api/focuses/${focus.id}?force=true`, { method: 'DELETE' })
    expect(forced.status).toBe(204)
    expect((await api(s, `/api/focuses/${focus.id}`)).status).toBe(404)
    for (const id of [checkout.id, billing.id]) {
      const board = await api(s, `/api/boards/${id}`)
      expect(board.status).toBe(200)
      expect(await board.json()).toMatchObject({ focusId: null, focus: null })
      expect((await boardScope(id)).problems.length).toBeGreaterThan(0)
    }

    const lonely = await createFocus({ sprint: 'S9', title: 'Nothing linked' })
    expect((await api(s, `/api/focuses/${lonely.id}`, { method: 'DELETE' })).status).toBe(204)
  })
})
