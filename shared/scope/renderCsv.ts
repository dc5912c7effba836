/**
 * The edge cases as CSV for a spreadsheet or a tracker import: RFC 4180 (CRLF line ends, fields
 * with a comma, quote, CR or LF quoted, quotes doubled), one row per edge case. A spreadsheet runs
 * a cell that starts with = + - @ (or a tab or CR) as a formula, so such cells get a leading
 * single quote, as OWASP recommends against CSV injection: the text is shown, never run.
 */
import type { Owner } from './card.ts'
import type { EdgeCase, Scope } from './types.ts'

export const EDGE_CASE_CSV_COLUMNS = [
  'edge_case_id',
  'problem',
  'solution',
  'edge_case',
  'severity',
  'status',
  'owner',
  'details',
] as const

/** How several problems or solutions share one cell when an edge case hangs under each. */
export const CSV_JOIN = '; '

interface Row {
  edgeCase: EdgeCase
  /** Titles by card id, so a card reached twice is named once. */
  problems: Map<string, string>
  solutions: Map<string, string>
}

export function renderEdgeCaseCsv(scope: Scope): string {
  // Rows in document order: the first place an edge case appears decides where its row goes.
  const rows = new Map<string, Row>()
  const add = (
    edgeCase: EdgeCase,
    problem?: { id: string; title: string },
    solution?: { id: string; title: string },
  ) => {
    let row = rows.get(edgeCase.id)
    if (!row) {
      row = { edgeCase, problems: new Map(), solutions: new Map() }
      rows.set(edgeCase.id, row)
    }
    if (problem) row.problems.set(problem.id, problem.title)
    if (solution) row.solutions.set(solution.id, solution.title)
  }
  for (const problem of scope.problems) {
    for (const solution of problem.solutions) for (const e of solution.edgeCases) add(e, problem, solution)
    for (const e of problem.edgeCases) add(e, problem)
  }
  for (const solution of scope.unlinked.solutions) for (const e of solution.edgeCases) add(e, undefined, solution)
  for (const e of scope.unlinked.edgeCases) add(e)

  const lines = [EDGE_CASE_CSV_COLUMNS.map(csvCell).join(',')]
  for (const { edgeCase, problems, solutions } of rows.values()) {
    const cells = [
      edgeCase.id,
      [...problems.values()].join(CSV_JOIN),
      [...solutions.values()].join(CSV_JOIN),
      edgeCase.title,
      edgeCase.severity,
      edgeCase.status,
      ownerCell(edgeCase.owners),
      edgeCase.details,
    ]
    lines.push(cells.map(csvCell).join(','))
  }
  return lines.map((line) => line + '\r\n').join('')
}

function ownerCell(owners: Owner[]): string {
  return owners.map((o) => `${o.name} (${o.discipline})`).join(CSV_JOIN)
}

/** One field: neutralised if a spreadsheet would run it, then quoted if RFC 4180 needs it. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}
