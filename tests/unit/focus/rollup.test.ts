/**
 * The roll-up builder and its renderers, without a server: what is in play and what is left out,
 * totals that agree with each board's own health checks, sorting, determinism, the schema, and the
 * Markdown sprint-planning document against golden files.
 */
import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  buildRollup,
  renderRollupJson,
  renderRollupMarkdown,
  rollupFileName,
  validateRollup,
  type FocusRollup,
  type RollupFocus,
} from '../../../shared/focus/index.ts'
import { extractScope } from '../../../shared/scope/extract.ts'
import type { HealthCheckId, Scope } from '../../../shared/scope/types.ts'
import { arrow, card, checkoutBoard, eng, pageRecords, seededShuffle } from '../scope/records.ts'

/** Regenerate after an intended change with `UPDATE_GOLDEN=1 npx vitest run tests/unit/focus` and review. */
function expectGolden(name: string, actual: string) {
  const file = new URL(`./golden/${name}.golden`, import.meta.url)
  if (process.env.UPDATE_GOLDEN) {
    fs.mkdirSync(new URL('./golden/', import.meta.url), { recursive: true })
    fs.writeFileSync(file, actual)
    return
  }
  if (!fs.existsSync(file)) throw new Error(`golden/${name}.golden is missing: run with UPDATE_GOLDEN=1`)
  expect(actual).toBe(fs.readFileSync(file, 'utf8'))
}

const FOCUS: RollupFocus = {
  id: 'focus42',
  sprint: 'Sprint 42',
  title: 'Fewer failed checkouts',
  goal: 'Shoppers who hit a problem still buy',
  metric: 'Checkout failure rate < 1.5%',
  strategy: 'Grow repeat purchases',
  startDate: '2026-03-02',
  endDate: '2026-03-13',
  status: 'active',
}

const REF = {
  id: FOCUS.id,
  sprint: FOCUS.sprint,
  title: FOCUS.title,
  goal: FOCUS.goal,
  metric: FOCUS.metric,
  strategy: FOCUS.strategy,
}

function checkoutScope(records = checkoutBoard().records): Scope {
  return extractScope({ ...checkoutBoard(), records, focus: REF })
}

/** A small board: one problem with a metric, a chosen solution marked "no edge cases found". */
function billingScope(id = 'billing', title = 'Billing'): Scope {
  const records = [
    ...pageRecords(),
    card('late', 'problem', 'Invoices arrive late', { owners: [eng('Ana')] }),
    card('on-time', 'metric', 'On-time invoices', { target: '99%' }, { x: -400 }),
    card('midnight', 'solution', 'Send at midnight', { status: 'chosen', noEdgeCases: true, owners: [eng('Ana')] }),
    card('batch', 'solution', 'Batch weekly', { status: 'rejected' }, { x: 400 }),
    card('tz', 'edge-case', 'Time zones', { severity: 'high' }, { x: 800 }),
    ...arrow('on-time', 'late'),
    ...arrow('midnight', 'late'),
    ...arrow('batch', 'late'),
    // An open edge case under a rejected solution is out of play.
    ...arrow('tz', 'batch'),
  ]
  return extractScope({ records, board: { id, title }, focus: REF })
}

function failing(scope: Scope, id: HealthCheckId): number {
  return scope.health.checks.find((c) => c.id === id)?.cardIds.length ?? 0
}

describe('buildRollup', () => {
  it('keeps what is in play and agrees with each board’s own health checks', () => {
    const scope = checkoutScope()
    const rollup = buildRollup(FOCUS, [scope])
    const [board] = rollup.boards
    const active = scope.problems.filter((p) => p.status !== 'dropped')
    expect(board.problems.map((p) => p.id)).toEqual(active.map((p) => p.id))
    expect(board.totals.problems).toBe(active.length)
    expect(board.totals.problemsWithMetric).toBe(active.length - failing(scope, 'problem-without-metric'))
    expect(board.totals.chosenSolutions - board.totals.chosenSolutionsWithEdgeCases).toBe(
      failing(scope, 'chosen-solution-without-edge-cases'),
    )
    expect(board.totals.openHighSeverityEdgeCases).toBe(failing(scope, 'open-high-severity-edge-case'))
    expect(board.health).toEqual(scope.health)
    // Only open edge cases, and only chosen solutions, are listed.
    const listed = [...board.problems.flatMap((p) => p.openEdgeCases), ...board.unlinked.openEdgeCases]
    const all = new Map(
      [
        ...scope.problems.flatMap((p) => [...p.edgeCases, ...p.solutions.flatMap((s) => s.edgeCases)]),
        ...scope.unlinked.solutions.flatMap((s) => s.edgeCases),
        ...scope.unlinked.edgeCases,
      ].map((e) => [e.id, e]),
    )
    for (const e of listed) expect(all.get(e.id)?.status).toBe('open')
    const solutions = new Map(
      [...scope.problems.flatMap((p) => p.solutions), ...scope.unlinked.solutions].map((s) => [s.id, s]),
    )
    for (const s of [...board.problems.flatMap((p) => p.chosenSolutions), ...board.unlinked.chosenSolutions]) {
      expect(solutions.get(s.id)?.status).toBe('chosen')
    }
    expect(new Set(listed.map((e) => e.id)).size).toBe(board.totals.openEdgeCases)
  })

  it('leaves out dropped problems and what hangs only under rejected solutions', () => {
    const board = buildRollup(FOCUS, [billingScope()]).boards[0]
    expect(board.totals).toEqual({
      problems: 1,
      problemsWithMetric: 1,
      chosenSolutions: 1,
      chosenSolutionsWithEdgeCases: 1,
      openEdgeCases: 0,
      openHighSeverityEdgeCases: 0,
    })
    expect(board.problems[0]).toEqual({
      id: 'late',
      title: 'Invoices arrive late',
      status: 'open',
      owners: [{ name: 'Ana', discipline: 'engineering' }],
      metrics: [{ id: 'on-time', title: 'On-time invoices', target: '99%', status: 'proposed' }],
      chosenSolutions: [
        {
          id: 'midnight',
          title: 'Send at midnight',
          appetite: '',
          owners: [{ name: 'Ana', discipline: 'engineering' }],
          noEdgeCases: true,
          edgeCases: 0,
          openEdgeCases: 0,
        },
      ],
      openEdgeCases: [],
    })
  })

  it('counts a card linked under two problems once', () => {
    const records = [
      ...pageRecords(),
      card('p1', 'problem', 'One', {}, { y: 0 }),
      card('p2', 'problem', 'Two', {}, { y: 300 }),
      card('shared', 'solution', 'Shared fix', { status: 'chosen' }, { x: 400 }),
      card('edge', 'edge-case', 'Shared risk', { severity: 'high' }, { x: 800 }),
      ...arrow('shared', 'p1'),
      ...arrow('shared', 'p2'),
      ...arrow('edge', 'shared'),
    ]
    const scope = extractScope({ records, board: { id: 'b', title: 'B' }, focus: null })
    const board = buildRollup(FOCUS, [scope]).boards[0]
    expect(board.problems.map((p) => p.chosenSolutions.map((s) => s.id))).toEqual([['shared'], ['shared']])
    expect(board.problems.map((p) => p.openEdgeCases.map((e) => e.solution?.id))).toEqual([['shared'], ['shared']])
    expect(board.totals).toMatchObject({ chosenSolutions: 1, openEdgeCases: 1, openHighSeverityEdgeCases: 1 })
  })

  it('sorts boards by title without regard to case, then by id, and adds up the totals', () => {
    const scopes = [
      billingScope('z', 'billing'),
      checkoutScope(),
      billingScope('a', 'Billing'),
      billingScope('m', 'Alpha'),
    ]
    const rollup = buildRollup(FOCUS, scopes)
    expect(rollup.boards.map((b) => [b.title, b.id])).toEqual([
      ['Alpha', 'm'],
      ['Billing', 'a'],
      ['billing', 'z'],
      ['Checkout: declined cards', checkoutBoard().board.id],
    ])
    for (const key of ['problems', 'chosenSolutions', 'openEdgeCases', 'openHighSeverityEdgeCases'] as const) {
      expect(rollup.totals[key]).toBe(rollup.boards.reduce((n, b) => n + b.totals[key], 0))
    }
    expect(rollup.totals.boards).toBe(4)
    expect(rollup.totals.boardsReadyForSprint).toBe(rollup.boards.filter((b) => b.health.ready).length)
  })

  it('gives a focus without boards empty totals', () => {
    const rollup = buildRollup(FOCUS, [])
    expect(rollup.boards).toEqual([])
    expect(Object.values(rollup.totals).every((n) => n === 0)).toBe(true)
    expect(renderRollupMarkdown(rollup)).toContain('_No board is linked to this focus yet')
  })

  it('is byte-identical whatever order the records and the boards come in', () => {
    const first = buildRollup(FOCUS, [checkoutScope(), billingScope()])
    for (const seed of [1, 2, 3]) {
      const shuffled = buildRollup(FOCUS, [billingScope(), checkoutScope(seededShuffle(checkoutBoard().records, seed))])
      expect(renderRollupJson(shuffled)).toBe(renderRollupJson(first))
      expect(renderRollupMarkdown(shuffled, { baseUrl: 'http://x' })).toBe(
        renderRollupMarkdown(first, { baseUrl: 'http://x' }),
      )
    }
  })
})

describe('the roll-up schema', () => {
  it('accepts what the builder makes and refuses stray or missing keys', () => {
    const rollup = buildRollup(FOCUS, [checkoutScope(), billingScope()])
    const parsed = JSON.parse(renderRollupJson(rollup)) as FocusRollup
    expect(validateRollup(parsed)).toEqual({ ok: true, rollup })
    const stray = { ...parsed, extra: 1 }
    expect(validateRollup(stray)).toMatchObject({ ok: false, error: expect.stringMatching(/^Not a valid roll-up/) })
    const missing = { ...parsed, totals: { ...parsed.totals, boards: undefined } }
    expect(validateRollup(missing)).toMatchObject({ ok: false, error: expect.stringContaining('totals.boards') })
  })
})

describe('renderers', () => {
  const rollup = () => buildRollup(FOCUS, [checkoutScope(), billingScope()])

  it('match the golden files', () => {
    expectGolden('sprint-42-rollup.json', renderRollupJson(rollup()))
    expectGolden('sprint-42-rollup.md', renderRollupMarkdown(rollup(), { baseUrl: 'http://127.0.0.1:8787/' }))
  })

  it('link every board and card when given the server address, and name them plainly without', () => {
    const linked = renderRollupMarkdown(rollup(), { baseUrl: 'http://127.0.0.1:8787' })
    expect(linked).toContain('## Board: [Billing](http://127.0.0.1:8787/b/billing) — ✅ Ready for sprint')
    expect(linked).toContain('[Send at midnight](http://127.0.0.1:8787/b/billing#card=midnight)')
    const plain = renderRollupMarkdown(rollup())
    expect(plain).toContain('## Board: Billing — ✅ Ready for sprint')
    expect(plain).toContain('- Send at midnight — appetite: not set · no edge cases found (checked)')
    expect(plain).not.toMatch(/\]\(/)
  })

  it('escapes user text so a focus or a title cannot break the document', () => {
    const hostile = buildRollup(
      { ...FOCUS, sprint: '# Sprint <b>1</b>', title: '[x](javascript:alert(1))', goal: '- a\nb' },
      [
        extractScope({
          records: [...pageRecords(), card('p', 'problem', '<img src=x onerror=alert(1)> | `code`')],
          board: { id: 'b', title: '## Not a heading' },
          focus: null,
        }),
      ],
    )
    const md = renderRollupMarkdown(hostile, { baseUrl: 'http://h' })
    expect(md.split('\n')[0]).toBe('# \\# Sprint \\<b\\>1\\</b\\> — \\[x\\](javascript:alert(1))')
    expect(md).toContain('- **Goal:** \\- a b')
    expect(md).toContain('## Board: [\\#\\# Not a heading](http://h/b/b)')
    expect(md).toContain('[\\<img src=x onerror=alert(1)\\> \\| \\`code\\`](http://h/b/b#card=p)')
    expect(md).not.toMatch(/(^|[^\\])<img/)
  })

  it('names files after the sprint and the statement', () => {
    expect(rollupFileName(FOCUS, 'md')).toBe('sprint-42-fewer-failed-checkouts-scope.md')
    expect(rollupFileName({ id: 'f1', sprint: '🚀', title: '✨' }, 'json')).toBe('f1-scope.json')
  })
})
