import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { extractScope } from '../../../shared/scope/extract.ts'
import { renderEdgeCaseCsv } from '../../../shared/scope/renderCsv.ts'
import { canonicalScope, exportFileName, renderScopeJson } from '../../../shared/scope/renderJson.ts'
import { renderScopeMarkdown } from '../../../shared/scope/renderMarkdown.ts'
import type { Scope } from '../../../shared/scope/types.ts'
import type { CommentThread } from '../../../shared/comments/model.ts'
import { arrow, card, checkoutBoard, eng, pageRecords, person, seededShuffle, thread } from './records.ts'

/**
 * Golden files end in `.golden` so prettier leaves them byte-for-byte as the renderers wrote them.
 * After an intended change, regenerate with `UPDATE_GOLDEN=1 npx vitest run tests/unit/scope`
 * and review the diff.
 */
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

function checkoutScope(records = checkoutBoard().records, threads = checkoutBoard().threads): Scope {
  return extractScope({ ...checkoutBoard(), records, threads })
}

function scopeOf(records: unknown[], title = 'Board', threads: CommentThread[] = []): Scope {
  return extractScope({ records: [...pageRecords(), ...records], board: { id: 'b1', title }, focus: null, threads })
}

/** Parses RFC 4180 text, so tests read cells back rather than matching raw quoting. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += c
  }
  if (cell || row.length) throw new Error('CSV does not end with CRLF')
  return rows
}

describe('renderers against golden files ("Checkout: declined cards")', () => {
  const scope = checkoutScope()

  it('scope.json', () => expectGolden('checkout-declined-cards-scope.json', renderScopeJson(scope)))
  it('scope.md', () => expectGolden('checkout-declined-cards-scope.md', renderScopeMarkdown(scope)))
  it('edge-cases.csv', () => expectGolden('checkout-declined-cards-edge-cases.csv', renderEdgeCaseCsv(scope)))
})

describe('determinism', () => {
  it('gives byte-identical exports whatever order the records and threads come in', () => {
    const { records, threads } = checkoutBoard()
    const expected = checkoutScope(records, threads)
    const outputs = [renderScopeJson(expected), renderScopeMarkdown(expected), renderEdgeCaseCsv(expected)]
    for (const seed of [1, 2, 3, 42, 1234, 99999]) {
      const scope = checkoutScope(seededShuffle(records, seed), seededShuffle(threads, seed + 1))
      expect([renderScopeJson(scope), renderScopeMarkdown(scope), renderEdgeCaseCsv(scope)], `seed ${seed}`).toEqual(
        outputs,
      )
    }
  })

  it('writes JSON keys in one fixed order, whatever order the scope object was built in', () => {
    const scope = checkoutScope()
    const reversed = JSON.parse(JSON.stringify(scope), function reviver(_key, value) {
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        return Object.fromEntries(Object.entries(value).reverse())
      }
      return value
    }) as Scope
    expect(Object.keys(reversed)[0]).toBe('totals')
    expect(renderScopeJson(reversed)).toBe(renderScopeJson(scope))
    expect(canonicalScope(reversed)).toEqual(scope)
  })
})

describe('renderScopeJson', () => {
  it('is JSON.stringify with 2-space indent and a trailing newline', () => {
    const scope = checkoutScope()
    const json = renderScopeJson(scope)
    expect(json.endsWith('}\n')).toBe(true)
    expect(json).toBe(JSON.stringify(JSON.parse(json), null, 2) + '\n')
    expect(JSON.parse(json)).toEqual(scope)
  })
})

describe('renderScopeMarkdown', () => {
  it('escapes user text so it cannot break the structure or inject HTML', () => {
    const md = renderScopeMarkdown(
      scopeOf(
        [
          card('p', 'problem', '# Not a heading\nsecond line', {
            details: '- not a list\n\n| not | a table |\n<script>alert(1)</script> `code` *bold* [link](x) &amp;',
            affected: '1. not a list either',
          }),
          card('s', 'solution', '## Solution', { appetite: '* lots' }, { y: 10 }),
          card('e', 'edge-case', '- [x] fake tick', {}, { y: 20 }),
          ...arrow('s', 'p'),
          ...arrow('e', 's'),
        ],
        '<b>Board</b> #1',
      ),
    )
    expect(md.startsWith('# \\<b\\>Board\\</b\\> \\#1 — scope\n')).toBe(true)
    expect(md).toContain('## Problem: \\# Not a heading second line\n')
    expect(md).toContain('- **Affected:** 1\\. not a list either\n')
    expect(md).toContain(
      '\n\\- not a list \\| not \\| a table \\| \\<script\\>alert(1)\\</script\\> \\`code\\` \\*bold\\* \\[link\\](x) \\&amp;\n',
    )
    expect(md).toContain('#### \\#\\# Solution — **Proposed**\n')
    expect(md).toContain('Appetite: \\* lots')
    expect(md).toContain('- [ ] \\- \\[x\\] fake tick — medium severity · open\n')
    // No line of user text starts a block of its own, and no raw HTML survives.
    expect(md).not.toMatch(/<script>|<b>/)
    expect(md.split('\n').filter((l) => l.startsWith('#'))).toEqual([
      '# \\<b\\>Board\\</b\\> \\#1 — scope',
      '## Problem: \\# Not a heading second line',
      '### Metrics',
      '### Solutions',
      '#### \\#\\# Solution — **Proposed**',
      '## Open questions',
      '## Health checks',
    ])
  })

  it('shows readiness, and only the failing checks, blocking first, with the cards they concern', () => {
    const md = renderScopeMarkdown(
      scopeOf([
        card('p', 'problem', 'Checkout fails', { owners: [eng('Ana')] }),
        card('s', 'solution', 'Retry', { status: 'chosen', owners: [eng('Ana')], noEdgeCases: true }, { y: 10 }),
        ...arrow('s', 'p'),
      ]),
    )
    expect(md).toContain('\n⚠️ Not ready: 1 blocking check · No sprint focus\n')
    const checks = md.slice(md.indexOf('## Health checks'))
    expect(checks).toBe(
      [
        '## Health checks',
        '',
        '- ⛔ **Blocking**: 1 problem has no success metric: add a metric card and link it to the problem with an arrow.',
        '  - Problem: Checkout fails',
        '- ⚠️ **Warning**: 1 problem has fewer than two solutions considered: sketch an alternative solution and link it to the problem, even if you reject it.',
        '  - Problem: Checkout fails',
        '- ⚠️ **Warning**: The board is not linked to a sprint focus: link it to the focus it serves.',
        '',
      ].join('\n'),
    )
    expect(md).toContain('_No edge cases found (checked)._')
  })

  it('says ready, and that all checks pass, for a sound board', () => {
    const md = renderScopeMarkdown(
      extractScope({
        records: [
          card('p', 'problem', 'P', { owners: [eng('Ana')] }),
          card('m', 'metric', 'M', {}, { y: 1 }),
          card('s1', 'solution', 'S1', { status: 'chosen', owners: [eng('Ana')], noEdgeCases: true }, { y: 2 }),
          card('s2', 'solution', 'S2', {}, { y: 3 }),
          ...arrow('m', 'p'),
          ...arrow('s1', 'p'),
          ...arrow('s2', 'p'),
        ],
        board: { id: 'b', title: 'Sound' },
        focus: { id: 'f', sprint: 'S1', title: 'Focus', goal: null, metric: null, strategy: 'Grow' },
      }),
    )
    expect(md).toContain('\n✅ Ready for sprint · Sprint focus: **S1 — Focus** · strategy: Grow\n')
    expect(md.endsWith('## Health checks\n\nAll checks pass.\n')).toBe(true)
  })

  describe('open questions', () => {
    const ana = person('Ana', 'engineering')
    const ben = person('Ben', 'product')
    const at = (minute: number) => `2026-11-24T10:${String(minute).padStart(2, '0')}:00.000Z`
    const board = [
      card('p', 'problem', 'Checkout fails'),
      card('s', 'solution', 'Retry with saved card', { status: 'chosen' }, { y: 10 }),
      card('e', 'edge-case', 'Card expired', {}, { y: 20 }),
      ...arrow('s', 'p'),
      ...arrow('e', 's'),
    ]
    const section = (md: string) => md.slice(md.indexOf('## Open questions'), md.indexOf('## Health checks'))

    it('lists every open thread under its card, in document order, replies nested, before the health checks', () => {
      const md = renderScopeMarkdown(
        scopeOf(board, 'Board', [
          thread('t-e', 'e', [{ by: ben, body: 'Do we email them?', at: at(1) }]),
          thread('t-s2', 's', [{ by: ben, body: 'Second question', at: at(3) }]),
          thread('t-s1', 's', [
            { by: ana, body: 'What happens when\nthe card is declined?', at: at(2) },
            { by: ben, body: 'oops', at: at(4), deleted: true },
            { by: ben, body: 'We ask for another card.', at: at(5) },
          ]),
          thread('t-done', 's', [{ by: ana, body: 'Resolved already', at: at(0) }], { by: ana, at: at(6) }),
          thread('t-p', 'p', [{ by: ana, body: 'Who is affected?', at: at(7) }]),
          thread('t-gone', 'deleted', [{ by: ana, body: 'About the old sketch', at: at(8) }]),
        ]),
      )
      expect(md.indexOf('## Open questions')).toBeLessThan(md.indexOf('## Health checks'))
      expect(section(md)).toBe(
        [
          '## Open questions',
          '',
          '**Problem: Checkout fails**',
          '',
          '- **Ana** (engineering): Who is affected?',
          '',
          '**Solution: Retry with saved card**',
          '',
          '- **Ana** (engineering): What happens when the card is declined?',
          '  - **Ben** (product): _Message deleted._',
          '  - **Ben** (product): We ask for another card.',
          '- **Ben** (product): Second question',
          '',
          '**Edge case: Card expired**',
          '',
          '- **Ben** (product): Do we email them?',
          '',
          '**On a deleted shape**',
          '',
          '- **Ana** (engineering): About the old sketch',
          '',
          '',
        ].join('\n'),
      )
      expect(md).not.toContain('Resolved already')
      expect(md).not.toContain('oops')
    })

    it('escapes message text and author names like any user text', () => {
      const md = renderScopeMarkdown(
        scopeOf(board, 'Board', [
          thread('t', 's', [
            { by: person('<b>Eve</b>', 'design'), body: '- [x] <script>alert(1)</script>\n# heading', at: at(1) },
          ]),
        ]),
      )
      expect(section(md)).toContain(
        '- **\\<b\\>Eve\\</b\\>** (design): \\- \\[x\\] \\<script\\>alert(1)\\</script\\> \\# heading\n',
      )
      expect(md).not.toMatch(/<script>|<b>/)
    })

    it('says so when no thread is open', () => {
      const resolved = thread('t', 's', [{ by: ana, body: 'Done', at: at(1) }], { by: ana, at: at(2) })
      for (const threads of [[], [resolved]]) {
        expect(section(renderScopeMarkdown(scopeOf(board, 'Board', threads)))).toBe(
          '## Open questions\n\n_No open comment threads._\n\n',
        )
      }
    })
  })

  it('says why an empty board is not ready', () => {
    expect(renderScopeMarkdown(scopeOf([]))).toContain('⚠️ Not ready: no active problem in scope')
  })

  it('renders edge cases as a checklist, marking won’t-handle visibly', () => {
    const md = renderScopeMarkdown(
      scopeOf([
        card('p', 'problem', 'P'),
        card('e1', 'edge-case', 'Open one', { severity: 'high' }, { y: 1 }),
        card('e2', 'edge-case', 'Handled one', { status: 'handled' }, { y: 2 }),
        card('e3', 'edge-case', 'Skipped one', { status: 'wont-handle', severity: 'low' }, { y: 3 }),
        ...arrow('e1', 'p'),
        ...arrow('e2', 'p'),
        ...arrow('e3', 'p'),
      ]),
    )
    expect(md).toContain(
      [
        '### Edge cases',
        '',
        '- [ ] Open one — high severity · open',
        '- [x] Handled one — medium severity · handled',
        "- [x] ~~Skipped one~~ — low severity · **won't handle**",
      ].join('\n'),
    )
  })
})

describe('renderEdgeCaseCsv', () => {
  it('writes the header and one row per edge case, with CRLF line ends', () => {
    const csv = renderEdgeCaseCsv(checkoutScope())
    expect(csv.startsWith('edge_case_id,problem,solution,edge_case,severity,status,owner,details\r\n')).toBe(true)
    expect(csv.endsWith('\r\n')).toBe(true)
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/\n(?=[a-z-]+,)/)
    const rows = parseCsv(csv)
    expect(rows.every((r) => r.length === 8)).toBe(true)
    const ids = rows.slice(1).map((r) => r[0])
    expect(ids).toHaveLength(new Set(ids).size)
    expect(ids).toHaveLength(checkoutScope().totals.edgeCases)
  })

  it('writes an edge case under several cards once, with their titles joined', () => {
    const rows = parseCsv(
      renderEdgeCaseCsv(
        scopeOf([
          card('p1', 'problem', 'First problem'),
          card('p2', 'problem', 'Second problem', {}, { y: 100 }),
          card('s1', 'solution', 'Solution A', {}, { y: 10 }),
          card('s2', 'solution', 'Solution B', {}, { y: 110 }),
          card('e', 'edge-case', 'Shared', { owners: [eng('Ana'), { name: 'Ben', discipline: 'product' }] }, { y: 20 }),
          card('lone', 'edge-case', 'Alone', {}, { y: 200 }),
          ...arrow('s1', 'p1'),
          ...arrow('s2', 'p2'),
          ...arrow('e', 's1'),
          ...arrow('e', 's2'),
          ...arrow('e', 'p1'),
        ]),
      ),
    )
    expect(rows.slice(1)).toEqual([
      [
        'e',
        'First problem; Second problem',
        'Solution A; Solution B',
        'Shared',
        'medium',
        'open',
        'Ana (engineering); Ben (product)',
        '',
      ],
      ['lone', '', '', 'Alone', 'medium', 'open', '', ''],
    ])
  })

  it('quotes per RFC 4180 and neutralises cells a spreadsheet would run as formulas', () => {
    const nasty = [
      '=HYPERLINK("http://evil.example","click")',
      '+1 refund',
      '-2 items',
      '@SUM(A1:A2)',
      'comma, inside',
      'quote " inside',
      'line\nbreak',
      'carriage\rreturn',
      'plain',
    ]
    const scope = scopeOf(
      nasty.map((title, i) => card(`e${i}`, 'edge-case', title, { details: `\t${title}` }, { y: i })),
    )
    // Leading whitespace is trimmed from cards; a hand-built scope can still carry a tab or CR.
    scope.unlinked.edgeCases[0].details = '\tTAB'
    scope.unlinked.edgeCases[1].details = '\rCR'
    const csv = renderEdgeCaseCsv(scope)
    expect(csv).toContain('"\'=HYPERLINK(""http://evil.example"",""click"")"')
    expect(csv).toContain(",'+1 refund,")
    expect(csv).toContain(",'-2 items,")
    expect(csv).toContain(",'@SUM(A1:A2),")
    expect(csv).toContain(',"comma, inside",')
    expect(csv).toContain(',"quote "" inside",')
    expect(csv).toContain(',"line\nbreak",')
    expect(csv).toContain(',"carriage\rreturn",')
    expect(csv).toContain(",'\tTAB\r\n")
    expect(csv).toContain(',"\'\rCR"\r\n')
    const rows = parseCsv(csv).slice(1)
    expect(rows.map((r) => r[3])).toEqual([
      '\'=HYPERLINK("http://evil.example","click")',
      "'+1 refund",
      "'-2 items",
      "'@SUM(A1:A2)",
      'comma, inside',
      'quote " inside',
      'line\nbreak',
      'carriage\rreturn',
      'plain',
    ])
  })

  it('writes just the header for a board without edge cases', () => {
    expect(renderEdgeCaseCsv(scopeOf([]))).toBe(
      'edge_case_id,problem,solution,edge_case,severity,status,owner,details\r\n',
    )
  })
})

describe('exportFileName', () => {
  it('slugs the title into a safe ASCII name per export', () => {
    const board = { id: 'k3v9q2m8x1ab', title: 'Checkout: declined cards' }
    expect(exportFileName(board, 'json')).toBe('checkout-declined-cards-scope.json')
    expect(exportFileName(board, 'md')).toBe('checkout-declined-cards-scope.md')
    expect(exportFileName(board, 'csv')).toBe('checkout-declined-cards-edge-cases.csv')
    expect(exportFileName({ id: 'x', title: 'Café / Crème brûlée — Q3 "plan"' }, 'md')).toBe(
      'cafe-creme-brulee-q3-plan-scope.md',
    )
    expect(exportFileName({ id: 'x', title: '../../etc/passwd\r\nX-Header: 1' }, 'json')).toBe(
      'etc-passwd-x-header-1-scope.json',
    )
  })

  it('names a snapshot’s export after the snapshot too, so it is not taken for the live board', () => {
    const board = { id: 'k3v9q2m8x1ab', title: 'Checkout' }
    expect(exportFileName(board, 'json', 'Sprint planning')).toBe('checkout-sprint-planning-scope.json')
    expect(exportFileName(board, 'csv', 'Before restoring "Sprint 7"')).toBe(
      'checkout-before-restoring-sprint-7-edge-cases.csv',
    )
    expect(exportFileName(board, 'md', '🚀')).toBe('checkout-scope.md')
  })

  it('falls back to the board id when nothing usable is left of the title', () => {
    expect(exportFileName({ id: 'k3v9q2m8x1ab', title: '🚀🚀' }, 'csv')).toBe('k3v9q2m8x1ab-edge-cases.csv')
    expect(exportFileName({ id: 'Board_1', title: '' }, 'json')).toBe('board-1-scope.json')
    expect(exportFileName({ id: '', title: '' }, 'json')).toBe('board-scope.json')
  })

  it('bounds the length, cutting at a word boundary', () => {
    const name = exportFileName({ id: 'x', title: 'word '.repeat(40) }, 'json')
    expect(name).toMatch(/^(word-)*word-scope\.json$/)
    expect(name.length).toBeLessThanOrEqual(60 + '-scope.json'.length)
    const long = exportFileName({ id: 'x', title: 'a'.repeat(300) }, 'csv')
    expect(long).toBe(`${'a'.repeat(60)}-edge-cases.csv`)
  })
})
