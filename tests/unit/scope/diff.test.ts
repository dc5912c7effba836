import { describe, expect, it } from 'vitest'
import { diffScopes, isEmptyDiff, renderScopeDiffMarkdown, type ScopeDiff } from '../../../shared/scope/diff.ts'
import { extractScope } from '../../../shared/scope/extract.ts'
import type { Scope } from '../../../shared/scope/types.ts'
import { arrow, card, checkoutBoard, design, eng, pageRecords, seededShuffle } from './records.ts'

const board = { id: 'b1', title: 'Test board' }

function scopeOf(records: unknown[]): Scope {
  return extractScope({ records: [...pageRecords(), ...records], board, focus: null })
}

/** A small board: one problem, a metric, a solution with one edge case. */
function base() {
  return [
    card('p1', 'problem', 'Checkout fails', { owners: [eng('Ada')] }, { x: 0, y: 0 }),
    card('m1', 'metric', 'Completion', { target: '> 70%' }, { x: -400, y: 0 }),
    card('s1', 'solution', 'Retry payment', { appetite: '2 weeks' }, { x: 400, y: 0 }),
    card('e1', 'edge-case', 'Card declined', { severity: 'high' }, { x: 800, y: 0 }),
    ...arrow('m1', 'p1'),
    ...arrow('s1', 'p1'),
    ...arrow('e1', 's1'),
  ]
}

function replace(records: Record<string, unknown>[], id: string, props: Record<string, unknown>) {
  return records.map((r) =>
    r.id === `shape:${id}` ? { ...r, props: { ...(r.props as Record<string, unknown>), ...props } } : r,
  )
}

const none: ScopeDiff['problems'] = { added: [], removed: [], changed: [] }

describe('diffScopes', () => {
  it('finds nothing between a scope and itself', () => {
    const diff = diffScopes(scopeOf(base()), scopeOf(base()))
    expect(diff).toEqual({ problems: none, solutions: none, edgeCases: none, metrics: none })
    expect(isEmptyDiff(diff)).toBe(true)
  })

  it('lists added and removed cards per kind, with their parents', () => {
    const before = scopeOf(base())
    const after = scopeOf([
      ...base().filter((r) => r.id !== 'shape:m1'),
      card('e2', 'edge-case', 'Expired card', {}, { x: 800, y: 200 }),
      ...arrow('e2', 's1'),
      card('s2', 'solution', 'Save the cart', {}, { x: 400, y: 400 }),
    ])
    const diff = diffScopes(before, after)
    expect(diff.edgeCases.added).toEqual([{ id: 'e2', title: 'Expired card', status: 'open', parents: ['s1'] }])
    expect(diff.solutions.added).toEqual([{ id: 's2', title: 'Save the cart', status: 'proposed', parents: [] }])
    expect(diff.metrics.removed).toEqual([{ id: 'm1', title: 'Completion', status: 'proposed', parents: ['p1'] }])
    expect(diff.problems).toEqual(none)
    expect(diff.metrics.added).toEqual([])
    expect(diff.edgeCases.removed).toEqual([])
    expect(diff.solutions.changed).toEqual([])
  })

  it('compares a changed card field by field, each kind on its own fields', () => {
    let records = base()
    records = replace(records, 'p1', { title: 'Checkout breaks', owners: [eng('Ada'), design('Bo')] })
    records = replace(records, 'm1', { target: '> 80%', status: 'tracking' })
    records = replace(records, 's1', { appetite: '1 week', status: 'chosen', details: 'Only for cards' })
    records = replace(records, 'e1', { severity: 'low', status: 'handled' })
    const diff = diffScopes(scopeOf(base()), scopeOf(records))
    expect(diff.problems.changed).toEqual([
      {
        id: 'p1',
        title: 'Checkout breaks',
        fields: [
          { field: 'title', from: 'Checkout fails', to: 'Checkout breaks' },
          { field: 'owners', from: ['Ada (engineering)'], to: ['Ada (engineering)', 'Bo (design)'] },
        ],
      },
    ])
    expect(diff.metrics.changed).toEqual([
      {
        id: 'm1',
        title: 'Completion',
        fields: [
          { field: 'status', from: 'proposed', to: 'tracking' },
          { field: 'target', from: '> 70%', to: '> 80%' },
        ],
      },
    ])
    expect(diff.solutions.changed[0].fields).toEqual([
      { field: 'status', from: 'proposed', to: 'chosen' },
      { field: 'appetite', from: '2 weeks', to: '1 week' },
      { field: 'details', from: '', to: 'Only for cards' },
    ])
    expect(diff.edgeCases.changed[0].fields).toEqual([
      { field: 'status', from: 'open', to: 'handled' },
      { field: 'severity', from: 'high', to: 'low' },
    ])
    expect(diff.problems.added.length + diff.problems.removed.length).toBe(0)
  })

  it('sees a card moved under another parent as a change of its links', () => {
    const moved = [...base().filter((r) => !String(r.id).includes('arrow-e1-s1')), ...arrow('e1', 'p1')]
    const diff = diffScopes(scopeOf(base()), scopeOf(moved))
    expect(diff.edgeCases.changed).toEqual([
      { id: 'e1', title: 'Card declined', fields: [{ field: 'parents', from: ['s1'], to: ['p1'] }] },
    ])
  })

  it('ignores what is not scope: positions, comment threads, the order owners are listed in', () => {
    let records = base().map((r) => (r.typeName === 'shape' ? { ...r, x: Number(r.x) + 10 } : r))
    records = replace(records, 'p1', { owners: [eng('Ada')] })
    expect(isEmptyDiff(diffScopes(scopeOf(base()), scopeOf(records)))).toBe(true)
    const two = replace(base(), 'p1', { owners: [eng('Ada'), design('Bo')] })
    const swapped = replace(base(), 'p1', { owners: [design('Bo'), eng('Ada')] })
    expect(isEmptyDiff(diffScopes(scopeOf(two), scopeOf(swapped)))).toBe(true)
  })

  it('gives the same diff and Markdown whatever order the records come in', () => {
    const { records } = checkoutBoard()
    const changed = replace(
      records.filter((r) => r.typeName !== 'shape' || r.type !== 'scope-card' || !String(r.id).endsWith('e')),
      'declines-end-checkout',
      { status: 'scoped' },
    )
    const from = (seed: number) => extractScope({ records: seededShuffle(records, seed), board, focus: null })
    const to = (seed: number) => extractScope({ records: seededShuffle(changed, seed), board, focus: null })
    const first = diffScopes(from(1), to(2))
    const labels = { from: 'Sprint planning', to: 'live' }
    const markdown = renderScopeDiffMarkdown(first, labels)
    for (const seed of [3, 4, 5]) {
      const again = diffScopes(from(seed), to(seed + 10))
      expect(JSON.stringify(again)).toBe(JSON.stringify(first))
      expect(renderScopeDiffMarkdown(again, labels)).toBe(markdown)
    }
    expect(isEmptyDiff(first)).toBe(false)
  })
})

describe('renderScopeDiffMarkdown', () => {
  it('writes Added, Removed and Changed with a heading per kind and fields as from → to', () => {
    let records = [
      ...base().filter((r) => r.id !== 'shape:m1'),
      card('e2', 'edge-case', 'Expired *card*', {}, { x: 800, y: 200 }),
    ]
    records = replace(records, 'e1', { status: 'handled' })
    const md = renderScopeDiffMarkdown(diffScopes(scopeOf(base()), scopeOf(records)), {
      from: 'Sprint planning',
      to: 'live',
    })
    expect(md).toBe(
      [
        '# Scope changes: Sprint planning → live',
        '1 added · 1 removed · 1 changed',
        '## Added',
        '### Edge cases',
        '- Expired \\*card\\* — Open',
        '## Removed',
        '### Metrics',
        '- Completion — Proposed',
        '## Changed',
        '### Edge cases',
        '- Card declined\n  - Status: Open → Handled',
      ].join('\n\n') + '\n',
    )
  })

  it('says so when a section is empty', () => {
    const md = renderScopeDiffMarkdown(diffScopes(scopeOf(base()), scopeOf(base())), { from: 'a', to: 'b' })
    expect(md).toContain('## Added\n\n_Nothing added._')
    expect(md).toContain('## Removed\n\n_Nothing removed._')
    expect(md).toContain('## Changed\n\n_Nothing changed._')
  })
})
