/**
 * The scope as JSON, and the file names exports are downloaded under. Objects are rebuilt in one
 * fixed key order, whatever order the given scope was built in, so the same board always gives
 * byte-identical JSON (diffable, cacheable, testable against golden files).
 */
import type { Owner } from './card.ts'
import type {
  EdgeCase,
  FocusRef,
  HealthCheck,
  Metric,
  OrphanedThread,
  Problem,
  Scope,
  ScopeThread,
  Solution,
} from './types.ts'

export function renderScopeJson(scope: Scope): string {
  return JSON.stringify(canonicalScope(scope), null, 2) + '\n'
}

export function canonicalScope(scope: Scope): Scope {
  const { unlinked, health, totals } = scope
  return {
    schemaVersion: scope.schemaVersion,
    board: { id: scope.board.id, title: scope.board.title },
    focus: scope.focus && canonicalFocus(scope.focus),
    problems: scope.problems.map(canonicalProblem),
    unlinked: {
      solutions: unlinked.solutions.map(canonicalSolution),
      edgeCases: unlinked.edgeCases.map(canonicalEdgeCase),
      metrics: unlinked.metrics.map(canonicalMetric),
    },
    orphanedThreads: scope.orphanedThreads.map(canonicalOrphanedThread),
    health: { ready: health.ready, checks: health.checks.map(canonicalCheck) },
    totals: {
      problems: totals.problems,
      solutions: totals.solutions,
      chosenSolutions: totals.chosenSolutions,
      edgeCases: totals.edgeCases,
      openEdgeCases: totals.openEdgeCases,
      metrics: totals.metrics,
    },
  }
}

function canonicalFocus(f: FocusRef): FocusRef {
  return { id: f.id, sprint: f.sprint, title: f.title, goal: f.goal, metric: f.metric, strategy: f.strategy }
}

function canonicalOwners(owners: Owner[]): Owner[] {
  return owners.map((o) => ({ name: o.name, discipline: o.discipline }))
}

function canonicalProblem(p: Problem): Problem {
  return {
    id: p.id,
    kind: p.kind,
    title: p.title,
    status: p.status,
    affected: p.affected,
    evidence: p.evidence,
    details: p.details,
    owners: canonicalOwners(p.owners),
    openThreads: p.openThreads,
    threads: p.threads.map(canonicalThread),
    metrics: p.metrics.map(canonicalMetric),
    solutions: p.solutions.map(canonicalSolution),
    edgeCases: p.edgeCases.map(canonicalEdgeCase),
  }
}

function canonicalSolution(s: Solution): Solution {
  return {
    id: s.id,
    kind: s.kind,
    title: s.title,
    status: s.status,
    appetite: s.appetite,
    noEdgeCases: s.noEdgeCases,
    details: s.details,
    owners: canonicalOwners(s.owners),
    openThreads: s.openThreads,
    threads: s.threads.map(canonicalThread),
    edgeCases: s.edgeCases.map(canonicalEdgeCase),
  }
}

function canonicalEdgeCase(e: EdgeCase): EdgeCase {
  return {
    id: e.id,
    kind: e.kind,
    title: e.title,
    status: e.status,
    severity: e.severity,
    details: e.details,
    owners: canonicalOwners(e.owners),
    openThreads: e.openThreads,
    threads: e.threads.map(canonicalThread),
  }
}

function canonicalMetric(m: Metric): Metric {
  return {
    id: m.id,
    kind: m.kind,
    title: m.title,
    status: m.status,
    target: m.target,
    details: m.details,
    owners: canonicalOwners(m.owners),
    openThreads: m.openThreads,
    threads: m.threads.map(canonicalThread),
  }
}

function canonicalThread(t: ScopeThread): ScopeThread {
  return {
    id: t.id,
    status: t.status,
    createdAt: t.createdAt,
    messages: t.messages.map((m) => ({
      author: { name: m.author.name, discipline: m.author.discipline },
      body: m.body,
      createdAt: m.createdAt,
      deleted: m.deleted,
    })),
  }
}

function canonicalOrphanedThread(t: OrphanedThread): OrphanedThread {
  const { id, status, createdAt, messages } = canonicalThread(t)
  return { id, anchorId: t.anchorId, status, createdAt, messages }
}

function canonicalCheck(c: HealthCheck): HealthCheck {
  return { id: c.id, severity: c.severity, passed: c.passed, message: c.message, cardIds: [...c.cardIds] }
}

export type ExportExtension = 'json' | 'md' | 'csv'

/** Long enough to recognise a board, short enough for every file system and download bar. */
export const MAX_FILE_SLUG = 60

/**
 * `checkout-declined-cards-scope.json`, `checkout-declined-cards-edge-cases.csv`: ASCII only, so
 * the name is safe in a Content-Disposition header and on any file system. A title with nothing
 * usable left (only emoji, say) falls back to the board id.
 */
export function exportFileName(
  board: { id: string; title: string },
  ext: ExportExtension,
  /** A snapshot's name when the export is of that version of the board, not the live one. */
  version?: string,
): string {
  const title = slug(board.title) || slug(board.id) || 'board'
  const base = version && slug(version) ? `${title}-${slug(version)}` : title
  switch (ext) {
    case 'json':
      return `${base}-scope.json`
    case 'md':
      return `${base}-scope.md`
    case 'csv':
      return `${base}-edge-cases.csv`
    default: {
      const unknown: never = ext
      throw new Error(`unknown export extension: ${String(unknown)}`)
    }
  }
}

function slug(value: unknown): string {
  if (typeof value !== 'string') return ''
  const words = value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  if (words.length <= MAX_FILE_SLUG) return words
  const cut = words.slice(0, MAX_FILE_SLUG + 1)
  // Cut at a word boundary when one is near, so the name does not end in half a word.
  const boundary = cut.lastIndexOf('-')
  return (boundary > MAX_FILE_SLUG / 2 ? cut.slice(0, boundary) : cut.slice(0, MAX_FILE_SLUG)).replace(/-+$/, '')
}
