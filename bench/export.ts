/**
 * Export speed on a big board: 5,000 cards (500 problems, each with metrics, solutions and edge
 * cases, linked by 4,500 arrows and 9,000 bindings) as the plain records a doc holds. Times the
 * extraction, each renderer, validation, and the whole scope.json path the HTTP export runs
 * (from the Y.Doc's records to the response body). Goal (DESIGN.md): scope.json under 200 ms.
 *
 * `npx tsx bench/export.ts` runs it alone; `npm run bench` runs it with the fan-out benchmark.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as Y from 'yjs'
import { recordsMap } from '../shared/doc/layout.ts'
import { CARD_TYPE, defaultCardProps, type CardKind, type CardProps, type Owner } from '../shared/scope/card.ts'
import {
  extractScope,
  renderEdgeCaseCsv,
  renderScopeJson,
  renderScopeMarkdown,
  validateScope,
  type FocusRef,
  type Scope,
} from '../shared/scope/index.ts'

export const EXPORT_BENCH_PROBLEMS = 500
/** Timed runs per step, after WARMUP_RUNS untimed ones; a step stops early once over its budget. */
export const EXPORT_BENCH_RUNS = 30
const WARMUP_RUNS = 3
const STEP_BUDGET_MS = 5_000
/** The design's bar for exporting a 5,000-shape board. */
export const EXPORT_GOAL_MS = 200

export interface ExportStepResult {
  step: string
  runs: number
  medianMs: number
  p95Ms: number
  maxMs: number
  /** Size of the output in bytes (UTF-8), for renderers. */
  bytes: number | null
}

export interface ExportBenchResult {
  cards: number
  records: number
  goalMs: number
  steps: ExportStepResult[]
}

type Rec = Record<string, unknown>

const OWNERS: Owner[] = [
  { name: 'Ana Lopez', discipline: 'engineering' },
  { name: 'Ben Ito', discipline: 'product' },
  { name: 'Chloé Martin', discipline: 'design' },
  { name: 'Dev Patel', discipline: 'engineering' },
]

/** A board of `problems` × 10 cards, laid out in rows, with the arrows and bindings linking them. */
export function generateBoard(problems = EXPORT_BENCH_PROBLEMS): { records: Rec[]; cards: number } {
  const records: Rec[] = [
    { id: 'document:document', typeName: 'document', gridSize: 10, name: '', meta: {} },
    { id: 'page:page', typeName: 'page', name: 'Page 1', index: 'a1', meta: {} },
  ]
  let cards = 0
  let arrows = 0
  const card = (id: string, kind: CardKind, x: number, y: number, props: Partial<CardProps>) => {
    cards++
    records.push({
      id: `shape:${id}`,
      typeName: 'shape',
      type: CARD_TYPE,
      x,
      y,
      rotation: 0,
      isLocked: false,
      opacity: 1,
      meta: {},
      parentId: 'page:page',
      index: 'a1',
      props: { ...defaultCardProps(kind), ...props },
    })
    return id
  }
  // Half the arrows are drawn child → parent, half the other way, as people draw them.
  const link = (child: string, parent: string) => {
    const id = `arrow${arrows++}`
    const [start, end] = arrows % 2 ? [child, parent] : [parent, child]
    records.push({
      id: `shape:${id}`,
      typeName: 'shape',
      type: 'arrow',
      x: 0,
      y: 0,
      rotation: 0,
      isLocked: false,
      opacity: 1,
      meta: {},
      parentId: 'page:page',
      index: 'a1',
      props: { kind: 'arc', start: { x: 0, y: 0 }, end: { x: 120, y: 0 }, bend: 0 },
    })
    for (const [terminal, target] of [
      ['start', start],
      ['end', end],
    ]) {
      records.push({
        id: `binding:${id}-${terminal}`,
        typeName: 'binding',
        type: 'arrow',
        fromId: `shape:${id}`,
        toId: `shape:${target}`,
        meta: {},
        props: { terminal, normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false, snap: 'center' },
      })
    }
  }
  const owners = (i: number) => [OWNERS[i % OWNERS.length], OWNERS[(i + 1) % OWNERS.length]]
  const details = (i: number) =>
    `Seen in ${i % 7} of the last 20 sessions, "mostly on mobile", see the support thread #${i}; needs a decision.`

  for (let i = 0; i < problems; i++) {
    const y = i * 800
    const p = card(`p${i}`, 'problem', 0, y, {
      title: `Problem ${i}: card declines end the checkout`,
      owners: owners(i),
      affected: 'Shoppers paying by card',
      evidence: `${(i % 50) / 10}% of checkouts fail`,
      details: details(i),
    })
    for (let m = 0; m < 2; m++) {
      link(card(`p${i}m${m}`, 'metric', -400, y + m * 180, { title: `Metric ${m}`, target: '< 2%' }), p)
    }
    const statuses = ['chosen', 'proposed', 'rejected'] as const
    const solutions = statuses.map((status, s) => {
      const id = card(`p${i}s${s}`, 'solution', 400, y + s * 240, {
        title: `Solution ${s} for problem ${i}`,
        status,
        appetite: `${s + 1} weeks`,
        owners: owners(i + s),
        details: details(i + s),
      })
      link(id, p)
      return id
    })
    const edgeCaseParents = [solutions[0], solutions[0], solutions[1], p]
    edgeCaseParents.forEach((parent, e) => {
      const id = card(`p${i}e${e}`, 'edge-case', 800, y + e * 180, {
        title: `Edge case ${e}, "with quotes", for problem ${i}`,
        severity: (['low', 'medium', 'high'] as const)[(i + e) % 3],
        status: (['open', 'handled', 'wont-handle'] as const)[(i * 7 + e) % 3],
        owners: owners(i + e).slice(0, 1),
        details: details(i + e),
      })
      link(id, parent)
    })
  }
  return { records, cards }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

function time(step: string, fn: () => string | unknown): ExportStepResult {
  let output: unknown
  for (let i = 0; i < WARMUP_RUNS; i++) output = fn()
  const samples: number[] = []
  const started = performance.now()
  while (samples.length < EXPORT_BENCH_RUNS && performance.now() - started < STEP_BUDGET_MS) {
    const t0 = performance.now()
    output = fn()
    samples.push(performance.now() - t0)
  }
  const sorted = [...samples].sort((a, b) => a - b)
  return {
    step,
    runs: samples.length,
    medianMs: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    maxMs: sorted[sorted.length - 1],
    bytes: typeof output === 'string' ? Buffer.byteLength(output) : null,
  }
}

export function benchExport(problems = EXPORT_BENCH_PROBLEMS): ExportBenchResult {
  const { records, cards } = generateBoard(problems)
  const board = { id: 'bench', title: 'Checkout: declined cards (bench)' }
  const focus: FocusRef = { id: 'f', sprint: 'Sprint 1', title: 'Bench', goal: null, metric: null, strategy: 'Speed' }
  const doc = new Y.Doc()
  const map = recordsMap(doc)
  doc.transact(() => {
    for (const r of records) map.set(r.id as string, r as never)
  })
  const extract = (from: Iterable<unknown> = records) => extractScope({ records: from, board, focus })
  const scope: Scope = extract()
  const json = renderScopeJson(scope)

  const steps = [
    time('extractScope', () => extract()),
    time('renderScopeJson', () => renderScopeJson(scope)),
    time('renderScopeMarkdown', () => renderScopeMarkdown(scope)),
    time('renderEdgeCaseCsv', () => renderEdgeCaseCsv(scope)),
    time('JSON.parse + validateScope', () => validateScope(JSON.parse(json))),
    time('scope.json from the Y.Doc (extract + render)', () => renderScopeJson(extract(recordsMap(doc).values()))),
  ]
  doc.destroy()
  return { cards, records: records.length, goalMs: EXPORT_GOAL_MS, steps }
}

export function printExportBench(result: ExportBenchResult): void {
  console.log(
    `\nExport of a ${result.cards.toLocaleString('en')}-card board (${result.records.toLocaleString('en')} records); goal: scope.json under ${result.goalMs} ms`,
  )
  console.table(
    result.steps.map((s) => ({
      step: s.step,
      runs: s.runs,
      'median ms': s.medianMs.toFixed(2),
      'p95 ms': s.p95Ms.toFixed(2),
      'max ms': s.maxMs.toFixed(2),
      'output KiB': s.bytes === null ? '' : (s.bytes / 1024).toFixed(1),
    })),
  )
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  printExportBench(benchExport())
}
