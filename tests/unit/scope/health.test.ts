import { describe, expect, it } from 'vitest'
import { extractScope } from '../../../shared/scope/extract.ts'
import { HEALTH_CHECK_IDS } from '../../../shared/scope/health.ts'
import type { FocusRef, HealthCheck, HealthCheckId, Scope } from '../../../shared/scope/types.ts'
import type { CommentThread } from '../../../shared/comments/model.ts'
import { arrow, card, design, eng, pageRecords, person, product, thread } from './records.ts'

const FOCUS: FocusRef = {
  id: 'f1',
  sprint: 'Sprint 42',
  title: 'Fewer failed checkouts',
  goal: null,
  metric: null,
  strategy: 'Grow repeat purchases',
}

const reviewer = person('Chloé', 'design')

/** `count` open comment threads on the card `cardId`. */
function openThreadsOn(cardId: string, count: number): CommentThread[] {
  return Array.from({ length: count }, (_, i) =>
    thread(`t-${cardId}-${i}`, cardId, [{ by: reviewer, body: `Question ${i}`, at: `2026-11-24T09:0${i}:00.000Z` }]),
  )
}

function scopeOf(
  records: unknown[],
  opts: { focus?: FocusRef | null; openThreads?: Record<string, number>; threads?: CommentThread[] } = {},
): Scope {
  return extractScope({
    records: [...pageRecords(), ...records],
    board: { id: 'b', title: 'B' },
    focus: opts.focus === undefined ? FOCUS : opts.focus,
    threads: [
      ...Object.entries(opts.openThreads ?? {}).flatMap(([id, n]) => openThreadsOn(id, n)),
      ...(opts.threads ?? []),
    ],
  })
}

function checkOf(scope: Scope, id: HealthCheckId): HealthCheck {
  const found = scope.health.checks.find((c) => c.id === id)
  if (!found) throw new Error(`no ${id} check`)
  return found
}

/**
 * A problem that passes every check: a metric, two solutions (one chosen, owned by an engineer,
 * with a handled edge case), an engineering owner.
 */
function soundProblem(id = 'p', y = 0): unknown[] {
  return [
    card(id, 'problem', `Problem ${id}`, { owners: [eng('Ana'), product('Ben')] }, { y }),
    card(`${id}-m`, 'metric', 'Metric', { target: '< 2%' }, { y: y + 1 }),
    card(`${id}-s1`, 'solution', 'Chosen one', { status: 'chosen', owners: [eng('Dev')] }, { y: y + 2 }),
    card(`${id}-s2`, 'solution', 'Alternative', { status: 'rejected' }, { y: y + 3 }),
    card(`${id}-e`, 'edge-case', 'Edge', { severity: 'high', status: 'handled' }, { y: y + 4 }),
    ...arrow(`${id}-m`, id),
    ...arrow(`${id}-s1`, id),
    ...arrow(`${id}-s2`, id),
    ...arrow(`${id}-e`, `${id}-s1`),
  ]
}

/** The records of soundProblem with one card's props changed. */
function soundProblemWith(cardId: string, props: Record<string, unknown>): unknown[] {
  return soundProblem().map((r) => {
    const rec = r as { id: string; props: Record<string, unknown> }
    return rec.id === `shape:${cardId}` ? { ...rec, props: { ...rec.props, ...props } } : rec
  })
}

describe('evaluateHealth', () => {
  it('always reports all seven checks, in the design’s order, with their severities', () => {
    const scope = scopeOf([])
    expect(scope.health.checks.map((c) => [c.id, c.severity])).toEqual([
      ['problem-without-metric', 'blocking'],
      ['single-solution', 'warning'],
      ['no-engineering-owner', 'blocking'],
      ['chosen-solution-without-edge-cases', 'blocking'],
      ['open-high-severity-edge-case', 'blocking'],
      ['open-comment-on-chosen-solution', 'warning'],
      ['no-sprint-focus', 'warning'],
    ])
    expect(HEALTH_CHECK_IDS).toEqual(scope.health.checks.map((c) => c.id))
  })

  it('passes everything, and is ready, for a sound board', () => {
    const scope = scopeOf(soundProblem())
    for (const check of scope.health.checks) {
      expect(check, check.id).toMatchObject({ passed: true, cardIds: [] })
      expect(check.message).not.toBe('')
    }
    expect(scope.health.ready).toBe(true)
  })

  describe('problem-without-metric (blocking)', () => {
    it('fails for problems with no linked metric, naming them sorted, and says how to fix it', () => {
      const scope = scopeOf([
        ...soundProblem(),
        card('zz', 'problem', 'No metric z', { owners: [eng('A')] }, { y: 100 }),
        card('aa', 'problem', 'No metric a', { owners: [eng('A')] }, { y: 200 }),
        card('loose-metric', 'metric', 'Not linked', {}, { y: 300 }),
      ])
      const check = checkOf(scope, 'problem-without-metric')
      expect(check).toMatchObject({ passed: false, severity: 'blocking', cardIds: ['aa', 'zz'] })
      expect(check.message).toBe(
        '2 problems have no success metric: add a metric card and link it to the problem with an arrow.',
      )
      expect(scope.health.ready).toBe(false)
    })

    it('passes when every problem has a metric', () => {
      expect(checkOf(scopeOf(soundProblem()), 'problem-without-metric').passed).toBe(true)
    })
  })

  describe('single-solution (warning)', () => {
    it('fails for problems with one solution or none, and only warns', () => {
      const scope = scopeOf([
        ...soundProblem(),
        card('one', 'problem', 'One solution', { owners: [eng('A')] }, { y: 100 }),
        card('one-m', 'metric', 'M', {}, { y: 101 }),
        card('one-s', 'solution', 'Only idea', {}, { y: 102 }),
        card('none', 'problem', 'No solution', { owners: [eng('A')] }, { y: 200 }),
        card('none-m', 'metric', 'M', {}, { y: 201 }),
        ...arrow('one-m', 'one'),
        ...arrow('one-s', 'one'),
        ...arrow('none-m', 'none'),
      ])
      const check = checkOf(scope, 'single-solution')
      expect(check).toMatchObject({ passed: false, severity: 'warning', cardIds: ['none', 'one'] })
      expect(check.message).toContain('fewer than two solutions considered')
      expect(scope.health.ready).toBe(true)
    })

    it('counts a rejected solution as considered', () => {
      expect(checkOf(scopeOf(soundProblem()), 'single-solution').passed).toBe(true)
    })
  })

  describe('no-engineering-owner (blocking)', () => {
    it('fails for problems and chosen solutions without an engineer among their owners', () => {
      const scope = scopeOf([
        ...soundProblemWith('p', { owners: [design('Chloé'), product('Ben')] }),
        ...soundProblem('q', 100).map((r) => {
          const rec = r as { id: string; props: Record<string, unknown> }
          return rec.id === 'shape:q-s1' ? { ...rec, props: { ...rec.props, owners: [] } } : rec
        }),
        // Not chosen, so not held to the check.
        card('proposed', 'solution', 'Proposed, no owner', {}, { y: 300 }),
        ...arrow('proposed', 'q'),
      ])
      const check = checkOf(scope, 'no-engineering-owner')
      expect(check).toMatchObject({ passed: false, severity: 'blocking', cardIds: ['p', 'q-s1'] })
      expect(check.message).toBe(
        '1 problem and 1 chosen solution have no engineering owner: add an engineer as owner or co-owner.',
      )
      expect(scope.health.ready).toBe(false)
    })

    it('passes when an engineer is a co-owner', () => {
      const scope = scopeOf(soundProblemWith('p', { owners: [product('Ben'), eng('Ana')] }))
      expect(checkOf(scope, 'no-engineering-owner').passed).toBe(true)
    })
  })

  describe('chosen-solution-without-edge-cases (blocking)', () => {
    it('fails for a chosen solution with no edge case that is not marked "none found"', () => {
      const scope = scopeOf([
        ...soundProblem(),
        card('bare', 'solution', 'Chosen, no edge cases', { status: 'chosen', owners: [eng('A')] }, { y: 50 }),
        card('proposed', 'solution', 'Proposed, no edge cases', {}, { y: 60 }),
        ...arrow('bare', 'p'),
        ...arrow('proposed', 'p'),
      ])
      const check = checkOf(scope, 'chosen-solution-without-edge-cases')
      expect(check).toMatchObject({ passed: false, severity: 'blocking', cardIds: ['bare'] })
      expect(check.message).toContain('no edge cases found')
      expect(scope.health.ready).toBe(false)
    })

    it('passes when the solution says no edge cases were found', () => {
      const scope = scopeOf([
        ...soundProblem(),
        card('bare', 'solution', 'Chosen', { status: 'chosen', owners: [eng('A')], noEdgeCases: true }, { y: 50 }),
        ...arrow('bare', 'p'),
      ])
      expect(checkOf(scope, 'chosen-solution-without-edge-cases').passed).toBe(true)
      expect(scope.health.ready).toBe(true)
    })
  })

  describe('open-high-severity-edge-case (blocking)', () => {
    it('fails for open high-severity edge cases wherever they hang, including unlinked ones', () => {
      const scope = scopeOf([
        ...soundProblemWith('p-e', { status: 'open' }),
        card('on-problem', 'edge-case', 'On the problem', { severity: 'high' }, { y: 50 }),
        card('loose', 'edge-case', 'Unlinked', { severity: 'high' }, { y: 60 }),
        card('medium', 'edge-case', 'Open but medium', { severity: 'medium' }, { y: 70 }),
        ...arrow('on-problem', 'p'),
        ...arrow('medium', 'p'),
      ])
      const check = checkOf(scope, 'open-high-severity-edge-case')
      expect(check).toMatchObject({ passed: false, severity: 'blocking', cardIds: ['loose', 'on-problem', 'p-e'] })
      expect(check.message).toBe('3 high-severity edge cases are still open: handle them, or decide explicitly not to.')
      expect(scope.health.ready).toBe(false)
    })

    it('passes when high-severity edge cases are handled or explicitly not handled', () => {
      for (const status of ['handled', 'wont-handle']) {
        const scope = scopeOf(soundProblemWith('p-e', { status }))
        expect(checkOf(scope, 'open-high-severity-edge-case').passed).toBe(true)
      }
    })
  })

  describe('open-comment-on-chosen-solution (warning)', () => {
    it('fails for chosen solutions with open threads, and only warns', () => {
      const scope = scopeOf(soundProblem(), { openThreads: { 'p-s1': 2, 'p-s2': 5, p: 1 } })
      const check = checkOf(scope, 'open-comment-on-chosen-solution')
      expect(check).toMatchObject({ passed: false, severity: 'warning', cardIds: ['p-s1'] })
      expect(check.message).toBe(
        '1 chosen solution has open comment threads: resolve the feedback before the sprint starts.',
      )
      expect(scope.health.ready).toBe(true)
    })

    it('passes with no open threads, or when comments are not known at all', () => {
      expect(
        checkOf(scopeOf(soundProblem(), { openThreads: { 'p-s1': 0 } }), 'open-comment-on-chosen-solution').passed,
      ).toBe(true)
      const scope = extractScope({ records: soundProblem(), board: { id: 'b', title: 'B' }, focus: FOCUS })
      expect(checkOf(scope, 'open-comment-on-chosen-solution').passed).toBe(true)
    })

    it('follows the threads: fails while one is open, passes once it is resolved', () => {
      const question = { by: reviewer, body: 'What if the card is declined?', at: '2026-11-24T09:00:00.000Z' }
      const open = thread('t1', 'p-s1', [question])
      const failing = checkOf(scopeOf(soundProblem(), { threads: [open] }), 'open-comment-on-chosen-solution')
      expect(failing).toMatchObject({ passed: false, cardIds: ['p-s1'] })

      const resolved = thread('t1', 'p-s1', [question], { by: reviewer, at: '2026-11-24T10:00:00.000Z' })
      const scope = scopeOf(soundProblem(), { threads: [resolved] })
      expect(checkOf(scope, 'open-comment-on-chosen-solution')).toMatchObject({
        passed: true,
        message: 'No chosen solution has an open comment thread.',
        cardIds: [],
      })
      // The resolved thread is still carried, just not counted.
      expect(scope.problems[0].solutions.find((s) => s.id === 'p-s1')).toMatchObject({ openThreads: 0 })
    })

    it('ignores open threads on a rejected solution, and orphaned ones', () => {
      const q = (id: string, on: string) =>
        thread(id, on, [{ by: reviewer, body: 'Hm?', at: '2026-11-24T09:00:00.000Z' }])
      const scope = scopeOf(soundProblem(), { threads: [q('t1', 'p-s2'), q('t2', 'deleted-solution')] })
      expect(checkOf(scope, 'open-comment-on-chosen-solution').passed).toBe(true)
      expect(scope.orphanedThreads.map((t) => t.id)).toEqual(['t2'])
    })
  })

  describe('no-sprint-focus (warning)', () => {
    it('fails without a focus, and only warns', () => {
      const scope = scopeOf(soundProblem(), { focus: null })
      const check = checkOf(scope, 'no-sprint-focus')
      expect(check).toMatchObject({ passed: false, severity: 'warning', cardIds: [] })
      expect(check.message).toBe('The board is not linked to a sprint focus: link it to the focus it serves.')
      expect(scope.health.ready).toBe(true)
    })

    it('fails when the focus names no strategy', () => {
      for (const strategy of [null, '', '   ']) {
        const check = checkOf(scopeOf(soundProblem(), { focus: { ...FOCUS, strategy } }), 'no-sprint-focus')
        expect(check.passed).toBe(false)
        expect(check.message).toBe(
          'The sprint focus "Sprint 42: Fewer failed checkouts" names no strategy: add the strategy it serves to the focus.',
        )
      }
    })

    it('passes with a focus that names its strategy', () => {
      expect(checkOf(scopeOf(soundProblem()), 'no-sprint-focus').passed).toBe(true)
    })
  })

  describe('dropped problems and rejected solutions', () => {
    it('are listed but not held to the checks, nor is what only hangs under them', () => {
      const scope = scopeOf(
        [
          ...soundProblem(),
          // A dropped problem with everything wrong: no metric, one solution, no engineer, a chosen
          // solution without edge cases and with comments.
          card('dropped', 'problem', 'Dropped', { status: 'dropped' }, { y: 100 }),
          card('dropped-s', 'solution', 'Chosen under dropped', { status: 'chosen' }, { y: 101 }),
          card('dropped-e', 'edge-case', 'Open high under dropped', { severity: 'high' }, { y: 102 }),
          ...arrow('dropped-s', 'dropped'),
          ...arrow('dropped-e', 'dropped'),
          // A rejected solution with an open high-severity edge case.
          card('rejected-e', 'edge-case', 'Open high under rejected', { severity: 'high' }, { y: 103 }),
          ...arrow('rejected-e', 'p-s2'),
        ],
        { openThreads: { 'dropped-s': 1 } },
      )
      expect(scope.problems.map((p) => p.id)).toEqual(['p', 'dropped'])
      for (const check of scope.health.checks) expect(check, check.id).toMatchObject({ passed: true })
      expect(scope.health.ready).toBe(true)
    })

    it('still count a chosen solution or edge case that also hangs under an active card', () => {
      const scope = scopeOf([
        ...soundProblem(),
        card('dropped', 'problem', 'Dropped', { status: 'dropped' }, { y: 100 }),
        card('shared-s', 'solution', 'Chosen, also under p', { status: 'chosen', owners: [eng('A')] }, { y: 101 }),
        card('shared-e', 'edge-case', 'Under rejected and p', { severity: 'high' }, { y: 102 }),
        ...arrow('shared-s', 'dropped'),
        ...arrow('shared-s', 'p'),
        ...arrow('shared-e', 'p-s2'),
        ...arrow('shared-e', 'p'),
      ])
      expect(checkOf(scope, 'chosen-solution-without-edge-cases').cardIds).toEqual(['shared-s'])
      expect(checkOf(scope, 'open-high-severity-edge-case').cardIds).toEqual(['shared-e'])
    })

    it('hold an unlinked chosen solution to the checks', () => {
      const scope = scopeOf([
        ...soundProblem(),
        card('loose', 'solution', 'Chosen, unlinked', { status: 'chosen' }, { y: 100 }),
      ])
      expect(checkOf(scope, 'no-engineering-owner').cardIds).toEqual(['loose'])
      expect(checkOf(scope, 'chosen-solution-without-edge-cases').cardIds).toEqual(['loose'])
    })
  })

  describe('readiness', () => {
    it('needs at least one problem that is not dropped', () => {
      expect(scopeOf([]).health.ready).toBe(false)
      const onlyDropped = scopeOf(soundProblemWith('p', { status: 'dropped' }))
      expect(onlyDropped.health.checks.every((c) => c.passed)).toBe(true)
      expect(onlyDropped.health.ready).toBe(false)
    })

    it('is not held back by warnings alone', () => {
      const scope = scopeOf(soundProblem(), { focus: null, openThreads: { 'p-s1': 1 } })
      expect(scope.health.checks.filter((c) => !c.passed).map((c) => c.severity)).toEqual(['warning', 'warning'])
      expect(scope.health.ready).toBe(true)
    })

    it('is blocked by any one blocking check', () => {
      const blockers: [string, Record<string, unknown>][] = [
        ['p-m', { kind: 'edge-case', severity: 'low' }],
        ['p', { owners: [design('C')] }],
        ['p-e', { status: 'open' }],
      ]
      for (const [cardId, props] of blockers) {
        expect(scopeOf(soundProblemWith(cardId, props)).health.ready, cardId).toBe(false)
      }
    })
  })
})
