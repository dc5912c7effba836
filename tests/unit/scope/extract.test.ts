import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  createThread,
  deleteMessage,
  MAX_COMMENT_LENGTH,
  readThreads,
  reply,
  setThreadStatus,
  type CommentThread,
} from '../../../shared/comments/model.ts'
import { recordsMap } from '../../../shared/doc/layout.ts'
import { CARD_LIMITS } from '../../../shared/scope/card.ts'
import { extractScope, MAX_THREAD_MESSAGE_LENGTH } from '../../../shared/scope/extract.ts'
import { createScopeboardSchema } from '../../../shared/scope/schema.ts'
import type { AnyCard, Scope } from '../../../shared/scope/types.ts'
import {
  arrow,
  arrowShape,
  binding,
  card,
  checkoutBoard,
  design,
  eng,
  frame,
  pageRecords,
  person,
  product,
  thread,
} from './records.ts'

const board = { id: 'b1', title: 'Test board' }

function extract(records: unknown[], threads?: Iterable<CommentThread>): Scope {
  return extractScope({ records: [...pageRecords(), ...records], board, focus: null, threads })
}

/** Every card in the scope by id, wherever it hangs. */
function cardsById(scope: Scope): Map<string, AnyCard> {
  const out = new Map<string, AnyCard>()
  const add = (c: AnyCard) => out.set(c.id, c)
  for (const p of scope.problems) {
    add(p)
    p.metrics.forEach(add)
    p.edgeCases.forEach(add)
    for (const s of p.solutions) {
      add(s)
      s.edgeCases.forEach(add)
    }
  }
  for (const s of scope.unlinked.solutions) {
    add(s)
    s.edgeCases.forEach(add)
  }
  scope.unlinked.edgeCases.forEach(add)
  scope.unlinked.metrics.forEach(add)
  return out
}

const ana = person('Ana', 'engineering')
const ben = person('Ben', 'product')

const ids = (cards: { id: string }[]) => cards.map((c) => c.id)

/** Every card id where it appears in the tree, as "parent>child" paths. */
function paths(scope: Scope): string[] {
  const out: string[] = []
  for (const p of scope.problems) {
    out.push(p.id)
    for (const m of p.metrics) out.push(`${p.id}>${m.id}`)
    for (const s of p.solutions) {
      out.push(`${p.id}>${s.id}`)
      for (const e of s.edgeCases) out.push(`${p.id}>${s.id}>${e.id}`)
    }
    for (const e of p.edgeCases) out.push(`${p.id}>${e.id}`)
  }
  for (const s of scope.unlinked.solutions) {
    out.push(`unlinked>${s.id}`)
    for (const e of s.edgeCases) out.push(`unlinked>${s.id}>${e.id}`)
  }
  for (const e of scope.unlinked.edgeCases) out.push(`unlinked>${e.id}`)
  for (const m of scope.unlinked.metrics) out.push(`unlinked>${m.id}`)
  return out
}

describe('extractScope', () => {
  it('builds the full tree: problem → metrics, solutions → edge cases, and edge cases on the problem', () => {
    const scope = extract([
      card('p', 'problem', 'Declines end checkout', { owners: [eng('Ana')] }),
      card('m', 'metric', 'Failure rate', { target: '< 2%' }, { y: 10 }),
      card('s', 'solution', 'Keep the cart', { status: 'chosen' }, { y: 20 }),
      card('e1', 'edge-case', 'Declined twice', { severity: 'high' }, { y: 30 }),
      card('e2', 'edge-case', 'Bank outage', {}, { y: 40 }),
      ...arrow('m', 'p'),
      ...arrow('s', 'p'),
      ...arrow('e1', 's'),
      ...arrow('e2', 'p'),
    ])
    expect(paths(scope)).toEqual(['p', 'p>m', 'p>s', 'p>s>e1', 'p>e2'])
    const [problem] = scope.problems
    expect(problem).toMatchObject({ id: 'p', kind: 'problem', title: 'Declines end checkout', status: 'open' })
    expect(problem.metrics[0]).toMatchObject({ kind: 'metric', target: '< 2%', status: 'proposed' })
    expect(problem.solutions[0]).toMatchObject({ kind: 'solution', status: 'chosen', noEdgeCases: false })
    expect(problem.solutions[0].edgeCases[0]).toMatchObject({ kind: 'edge-case', severity: 'high', status: 'open' })
    expect(scope.unlinked).toEqual({ solutions: [], edgeCases: [], metrics: [] })
    expect(scope.totals).toEqual({
      problems: 1,
      solutions: 1,
      chosenSolutions: 1,
      edgeCases: 2,
      openEdgeCases: 2,
      metrics: 1,
    })
    expect(scope.schemaVersion).toBe(2)
    expect(scope.orphanedThreads).toEqual([])
    expect(scope.board).toEqual(board)
  })

  it('puts a child with two parents under both, and counts it once', () => {
    const scope = extract([
      card('p1', 'problem', 'P1'),
      card('p2', 'problem', 'P2', {}, { y: 500 }),
      card('s', 'solution', 'Shared solution', {}, { x: 400 }),
      card('e', 'edge-case', 'On the solution and its problem', {}, { x: 800 }),
      ...arrow('s', 'p1'),
      ...arrow('s', 'p2'),
      ...arrow('e', 's'),
      ...arrow('e', 'p1'),
    ])
    expect(paths(scope)).toEqual(['p1', 'p1>s', 'p1>s>e', 'p1>e', 'p2', 'p2>s', 'p2>s>e'])
    expect(scope.totals).toMatchObject({ problems: 2, solutions: 1, edgeCases: 1 })
  })

  it('reads an arrow either way round: the pair of kinds decides, and arrows both ways count once', () => {
    const scope = extract([
      card('p', 'problem', 'P'),
      card('s', 'solution', 'S', {}, { y: 10 }),
      card('m', 'metric', 'M', {}, { y: 20 }),
      card('e', 'edge-case', 'E', {}, { y: 30 }),
      ...arrow('p', 's'),
      ...arrow('s', 'p', 'back'),
      ...arrow('s', 'p', 'again'),
      ...arrow('p', 'm'),
      ...arrow('s', 'e'),
      ...arrow('e', 's', 'e-back'),
    ])
    expect(paths(scope)).toEqual(['p', 'p>m', 'p>s', 'p>s>e'])
  })

  it('treats half-bound arrows, arrows to deleted cards or non-cards, and self-loops as drawings', () => {
    const scope = extract([
      card('p', 'problem', 'P'),
      card('s', 'solution', 'S', {}, { y: 10 }),
      card('m', 'metric', 'M', {}, { y: 20 }),
      card('e', 'edge-case', 'E', {}, { y: 30 }),
      frame('f', 'A frame', 0, 1000),
      // Bound at the start only.
      arrowShape('half'),
      binding('half-start', 'half', 's', 'start'),
      // To a card that was deleted (its record is gone, the binding stayed).
      ...arrow('m', 'deleted-card'),
      // To a frame, not a card.
      ...arrow('e', 'f'),
      // Both ends on the same card.
      ...arrow('p', 'p', 'loop'),
      // Bindings whose arrow shape is gone.
      binding('ghost-start', 'ghost', 's', 'start'),
      binding('ghost-end', 'ghost', 'p', 'end'),
    ])
    expect(paths(scope)).toEqual(['p', 'unlinked>s', 'unlinked>e', 'unlinked>m'])
  })

  it('ignores arrows between kinds that fit no rule', () => {
    const scope = extract([
      card('p1', 'problem', 'P1'),
      card('p2', 'problem', 'P2', {}, { y: 10 }),
      card('s1', 'solution', 'S1', {}, { y: 20 }),
      card('s2', 'solution', 'S2', {}, { y: 30 }),
      card('m', 'metric', 'M', {}, { y: 40 }),
      card('e1', 'edge-case', 'E1', {}, { y: 50 }),
      card('e2', 'edge-case', 'E2', {}, { y: 60 }),
      ...arrow('p1', 'p2'),
      ...arrow('s1', 's2'),
      ...arrow('m', 's1'),
      ...arrow('m', 'e1'),
      ...arrow('e1', 'e2'),
    ])
    expect(paths(scope)).toEqual(['p1', 'p2', 'unlinked>s1', 'unlinked>s2', 'unlinked>e1', 'unlinked>e2', 'unlinked>m'])
  })

  it('lists unlinked solutions with their edge cases, lone edge cases and metrics without a problem', () => {
    const scope = extract([
      card('s', 'solution', 'Orphan solution'),
      card('e1', 'edge-case', 'Under the orphan', {}, { y: 10 }),
      card('e2', 'edge-case', 'Alone', {}, { y: 20 }),
      card('m', 'metric', 'Alone too', {}, { y: 30 }),
      ...arrow('e1', 's'),
    ])
    expect(scope.problems).toEqual([])
    expect(ids(scope.unlinked.solutions)).toEqual(['s'])
    expect(ids(scope.unlinked.solutions[0].edgeCases)).toEqual(['e1'])
    expect(ids(scope.unlinked.edgeCases)).toEqual(['e2'])
    expect(ids(scope.unlinked.metrics)).toEqual(['m'])
    expect(scope.totals).toMatchObject({ solutions: 1, edgeCases: 2, metrics: 1 })
  })

  it('orders cards by position (y, then x, then id), children the same way, frames included', () => {
    const scope = extract([
      card('p-low', 'problem', 'Low', {}, { x: 0, y: 400 }),
      card('p-right', 'problem', 'Right', {}, { x: 500, y: 0 }),
      card('p-b', 'problem', 'Tie b', {}, { x: 0, y: 0 }),
      card('p-a', 'problem', 'Tie a', {}, { x: 0, y: 0 }),
      // In a frame at y=100: on the page it sits between y=0 and y=400.
      frame('f', 'Frame', 0, 100),
      card('p-framed', 'problem', 'Framed', {}, { x: 0, y: 50, parentId: 'shape:f' }),
      card('s2', 'solution', 'Second', {}, { y: 300 }),
      card('s1', 'solution', 'First', {}, { y: -300 }),
      ...arrow('s2', 'p-a'),
      ...arrow('s1', 'p-a'),
    ])
    expect(ids(scope.problems)).toEqual(['p-a', 'p-b', 'p-right', 'p-framed', 'p-low'])
    expect(ids(scope.problems[0].solutions)).toEqual(['s1', 's2'])
  })

  it('strips the "shape:" prefix, trims text, resolves statuses and keeps only valid owners', () => {
    const scope = extract([
      card('p', 'problem', '  Padded title \n', {
        status: 'nonsense',
        affected: '  everyone ',
        owners: [
          { name: '  Ana ', discipline: 'engineering' },
          { name: '', discipline: 'design' },
          { name: 'Bob', discipline: 'marketing' } as never,
          null as never,
          { name: 42 } as never,
          { name: 'Ana', discipline: 'engineering' },
          { name: 'Ana', discipline: 'product' },
        ],
      }),
      card('s', 'solution', 'S', { status: 'chosen ' }, { y: 10 }),
      card('e', 'edge-case', 'E', { status: 'wont-handle', severity: 'critical' as never }, { y: 20 }),
      ...arrow('s', 'p'),
      ...arrow('e', 's'),
    ])
    const [p] = scope.problems
    expect(p.id).toBe('p')
    expect(p.title).toBe('Padded title')
    expect(p.affected).toBe('everyone')
    expect(p.status).toBe('open')
    expect(p.owners).toEqual([eng('Ana'), product('Ana')])
    expect(p.solutions[0].status).toBe('chosen')
    expect(p.solutions[0].edgeCases[0]).toMatchObject({ status: 'wont-handle', severity: 'medium' })
  })

  it('bounds text and owners to the card limits', () => {
    const scope = extract([
      card('p', 'problem', 'x'.repeat(CARD_LIMITS.title - 1) + '😀' + 'tail', {
        details: 'd'.repeat(CARD_LIMITS.details + 50),
        owners: Array.from({ length: 15 }, (_, i) => design(`Person ${i}`)),
      }),
    ])
    const [p] = scope.problems
    // The emoji straddles the limit: it is dropped whole, not cut in half.
    expect(p.title).toBe('x'.repeat(CARD_LIMITS.title - 1))
    expect(p.details).toHaveLength(CARD_LIMITS.details)
    expect(p.owners).toHaveLength(CARD_LIMITS.owners)
  })

  describe('comment threads', () => {
    const at = (minute: number) => `2026-11-24T09:${String(minute).padStart(2, '0')}:00.000Z`
    const records = () => [
      card('p', 'problem', 'P'),
      card('s', 'solution', 'S', { status: 'chosen' }, { y: 10 }),
      card('e', 'edge-case', 'E', {}, { y: 20 }),
      card('m', 'metric', 'M', {}, { y: 30 }),
      frame('f', 'Sketches', 0, 900),
      ...arrow('s', 'p'),
      ...arrow('e', 's'),
      ...arrow('m', 'p'),
    ]

    it('hangs each thread on the card its anchor names, and counts only the open ones', () => {
      const scope = extract(records(), [
        thread('t1', 's', [{ by: ana, body: 'Declined twice?', at: at(1) }]),
        thread('t2', 's', [{ by: ben, body: 'Done', at: at(2) }], { by: ben, at: at(3) }),
        thread('t3', 'p', [{ by: ben, body: 'Who is affected?', at: at(4) }]),
        thread('t4', 'e', [{ by: ana, body: 'Handled?', at: at(5) }]),
        thread('t5', 'm', [{ by: ana, body: 'Target?', at: at(6) }], { by: ana, at: at(7) }),
        // On a shape that is not a card, and on a point: neither is part of the scope.
        thread('t6', 'f', [{ by: ana, body: 'Frame', at: at(8) }]),
        thread('t7', null, [{ by: ana, body: 'Point', at: at(9) }]),
      ])
      const cards = cardsById(scope)
      const summary = (id: string) => {
        const c = cards.get(id)!
        return { open: c.openThreads, threads: c.threads.map((t) => `${t.id}:${t.status}`) }
      }
      expect(summary('s')).toEqual({ open: 1, threads: ['t1:open', 't2:resolved'] })
      expect(summary('p')).toEqual({ open: 1, threads: ['t3:open'] })
      expect(summary('e')).toEqual({ open: 1, threads: ['t4:open'] })
      expect(summary('m')).toEqual({ open: 0, threads: ['t5:resolved'] })
      expect(scope.orphanedThreads).toEqual([])
      expect(extract(records()).problems[0]).toMatchObject({ openThreads: 0, threads: [] })
    })

    it('exports messages with the author’s name and discipline only, deleted ones as empty', () => {
      const scope = extract(records(), [
        thread('t1', 's', [
          { by: ana, body: 'What if\nthe card is declined?', at: at(1) },
          { by: ben, body: 'gone', at: at(2), deleted: true },
          { by: ben, body: 'We retry once.', at: at(3) },
        ]),
      ])
      expect(scope.problems[0].solutions[0].threads).toEqual([
        {
          id: 't1',
          status: 'open',
          createdAt: at(1),
          messages: [
            {
              author: { name: 'Ana', discipline: 'engineering' },
              body: 'What if\nthe card is declined?',
              createdAt: at(1),
              deleted: false,
            },
            { author: { name: 'Ben', discipline: 'product' }, body: '', createdAt: at(2), deleted: true },
            {
              author: { name: 'Ben', discipline: 'product' },
              body: 'We retry once.',
              createdAt: at(3),
              deleted: false,
            },
          ],
        },
      ])
      expect(JSON.stringify(scope)).not.toMatch(/profile-|#1971c2|color|"id":"t1-m/)
    })

    it('orders each card’s threads by creation, then id, whatever order they arrive in', () => {
      const threads = [
        thread('t-b', 's', [{ by: ana, body: 'b', at: at(5) }]),
        thread('t-a', 's', [{ by: ana, body: 'a', at: at(5) }]),
        thread('t-c', 's', [{ by: ana, body: 'c', at: at(1) }]),
      ]
      const order = (list: CommentThread[]) =>
        extract(records(), list).problems[0].solutions[0].threads.map((t) => t.id)
      expect(order(threads)).toEqual(['t-c', 't-a', 't-b'])
      expect(order([...threads].reverse())).toEqual(['t-c', 't-a', 't-b'])
    })

    it('keeps threads whose shape was deleted as orphaned, oldest first', () => {
      const scope = extract(records(), [
        thread('t2', 'gone', [{ by: ana, body: 'Later', at: at(3) }], { by: ana, at: at(4) }),
        thread('t1', 'sketch-deleted', [{ by: ben, body: 'Earlier', at: at(1) }]),
      ])
      expect(scope.orphanedThreads.map((t) => [t.id, t.anchorId, t.status])).toEqual([
        ['t1', 'sketch-deleted', 'open'],
        ['t2', 'gone', 'resolved'],
      ])
      expect(Object.keys(scope.orphanedThreads[0])).toEqual(['id', 'anchorId', 'status', 'createdAt', 'messages'])
    })

    it('reads threads straight from the comment model in a Y.Doc', () => {
      const doc = new Y.Doc()
      const anchor = { kind: 'shape', shapeId: 'shape:s' } as const
      const t1 = createThread(doc, { anchor, body: 'Declined twice?', author: ana, at: at(1) })
      const r = reply(doc, t1, { body: 'oops', author: ben, at: at(2) })
      deleteMessage(doc, t1, r, { authorId: ben.id, at: at(3) })
      const t2 = createThread(doc, { anchor, body: 'Copy?', author: ben, at: at(4) })
      setThreadStatus(doc, t2, 'resolved', { author: ana, at: at(5) })
      createThread(doc, { anchor: { kind: 'shape', shapeId: 'shape:p' }, body: 'Who?', author: ben, at: at(6) })

      const scope = extract(records(), readThreads(doc))
      const s = scope.problems[0].solutions[0]
      expect(s.openThreads).toBe(1)
      expect(s.threads.map((t) => [t.id, t.status, t.messages.map((m) => m.body)])).toEqual([
        [t1, 'open', ['Declined twice?', '']],
        [t2, 'resolved', ['Copy?']],
      ])
      expect(scope.problems[0].openThreads).toBe(1)
      doc.destroy()
    })

    it('skips malformed threads and messages without throwing, and bounds bodies', () => {
      const hostile = new Proxy(
        {},
        {
          get() {
            throw new Error('boom')
          },
        },
      )
      const good = thread('good', 's', [{ by: ana, body: 'x'.repeat(MAX_THREAD_MESSAGE_LENGTH + 10), at: at(1) }])
      const malformed = [
        null,
        42,
        hostile,
        { ...good, id: '' },
        { ...good, id: 'no-anchor', anchor: null },
        { ...good, id: 'hostile-anchor', anchor: hostile },
        { ...good, id: 'no-messages', messages: 'none' },
        { ...good, id: 'bad-author', messages: [{ ...good.messages[0], author: { name: 'X', discipline: 'sales' } }] },
        { ...good, id: 'no-time', createdAt: 5 },
      ] as unknown as CommentThread[]
      let scope: Scope | undefined
      expect(() => (scope = extract(records(), [...malformed, good]))).not.toThrow()
      const [only] = scope!.problems[0].solutions[0].threads
      expect(scope!.problems[0].solutions[0].threads).toHaveLength(1)
      expect(only.id).toBe('good')
      expect(only.messages[0].body).toHaveLength(MAX_THREAD_MESSAGE_LENGTH)
      // The export's bound is the comment model's own.
      expect(MAX_THREAD_MESSAGE_LENGTH).toBe(MAX_COMMENT_LENGTH)
    })
  })

  it('skips malformed records without throwing', () => {
    const good = card('p', 'problem', 'Survivor')
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom')
        },
      },
    )
    const malformed: unknown[] = [
      null,
      undefined,
      42,
      'shape:x',
      [],
      hostile,
      {},
      { typeName: 'shape' },
      { id: 'shape:no-props', typeName: 'shape', type: 'scope-card' },
      { id: 'shape:null-props', typeName: 'shape', type: 'scope-card', props: null },
      { id: 'shape:array-props', typeName: 'shape', type: 'scope-card', props: [] },
      { id: 'shape:hostile-props', typeName: 'shape', type: 'scope-card', props: hostile },
      {
        id: 'shape:hostile-owner',
        typeName: 'shape',
        type: 'scope-card',
        props: { kind: 'problem', owners: [hostile] },
      },
      { id: 'shape:bad-kind', typeName: 'shape', type: 'scope-card', props: { kind: 'epic', title: 'x' } },
      { id: 'no-prefix', typeName: 'shape', type: 'scope-card', props: { kind: 'problem', title: 'x' } },
      { id: 'shape:', typeName: 'shape', type: 'scope-card', props: { kind: 'problem', title: 'x' } },
      { id: 42, typeName: 'shape', type: 'scope-card', props: { kind: 'problem' } },
      // Wrong types in every field: the card stays, each field falls back to its default.
      {
        id: 'shape:odd',
        typeName: 'shape',
        type: 'scope-card',
        x: 'left',
        y: null,
        props: { kind: 'solution', title: 7, owners: 'Ana', status: 3, noEdgeCases: 'yes', appetite: {} },
      },
      {
        id: 'binding:b1',
        typeName: 'binding',
        type: 'arrow',
        fromId: null,
        toId: 'shape:p',
        props: { terminal: 'start' },
      },
      { id: 'binding:b2', typeName: 'binding', type: 'arrow', fromId: 'shape:a', toId: 'shape:p', props: null },
      {
        id: 'binding:b3',
        typeName: 'binding',
        type: 'arrow',
        fromId: 'shape:a',
        toId: 'shape:p',
        props: { terminal: 'middle' },
      },
    ]
    let scope: Scope | undefined
    expect(() => (scope = extract([good, ...malformed]))).not.toThrow()
    expect(ids(scope!.problems)).toEqual(['p'])
    expect(scope!.unlinked.solutions).toEqual([
      {
        id: 'odd',
        kind: 'solution',
        title: '',
        status: 'proposed',
        appetite: '',
        noEdgeCases: false,
        details: '',
        owners: [],
        openThreads: 0,
        threads: [],
        edgeCases: [],
      },
    ])
  })

  it('keeps what it read when the record iterator itself fails', () => {
    function* records() {
      yield* pageRecords()
      yield card('p', 'problem', 'Read before the failure')
      throw new Error('doc went away')
    }
    const scope = extractScope({ records: records(), board, focus: null })
    expect(ids(scope.problems)).toEqual(['p'])
  })

  it('refuses an arrow whose terminal is bound twice to different cards', () => {
    const scope = extract([
      card('p1', 'problem', 'P1'),
      card('p2', 'problem', 'P2', {}, { y: 10 }),
      card('s', 'solution', 'S', {}, { y: 20 }),
      arrowShape('a'),
      binding('a-start', 'a', 's', 'start'),
      binding('a-end-1', 'a', 'p1', 'end'),
      binding('a-end-2', 'a', 'p2', 'end'),
    ])
    expect(ids(scope.unlinked.solutions)).toEqual(['s'])
  })

  it('copies the focus with its fields in a fixed order, empty optional fields as null', () => {
    const scope = extractScope({
      records: [],
      board,
      focus: {
        strategy: '  ',
        metric: null,
        goal: ' Halve failures ',
        title: 'Fewer failures',
        sprint: 'S42',
        id: 'f1',
      },
    })
    expect(JSON.stringify(scope.focus)).toBe(
      '{"id":"f1","sprint":"S42","title":"Fewer failures","goal":"Halve failures","metric":null,"strategy":null}',
    )
  })

  it('reads records straight from a Y.Doc', () => {
    const { records, ...rest } = checkoutBoard()
    const doc = new Y.Doc()
    const map = recordsMap(doc)
    doc.transact(() => {
      for (const r of records) map.set(r.id as string, r as never)
    })
    const fromDoc = extractScope({ ...rest, records: recordsMap(doc).values() })
    expect(fromDoc).toEqual(extractScope({ ...rest, records }))
    doc.destroy()
  })
})

describe('the test records', () => {
  it('are records the editor would write: they pass tldraw’s own schema with the scope card', () => {
    const schema = createScopeboardSchema()
    for (const record of checkoutBoard().records) {
      const type = schema.types[record.typeName as keyof typeof schema.types]
      expect(type, `record type ${String(record.typeName)}`).toBeDefined()
      expect(() => type.validate(record as never), String(record.id)).not.toThrow()
    }
  })
})
