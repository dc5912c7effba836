/**
 * The scope as Markdown, ready to paste into an issue or a sprint doc: readiness and focus first,
 * then each problem with its metrics, solutions and edge cases (a checklist), the unlinked cards,
 * the open comment threads ("Open questions") and the failing health checks. User text is escaped so a title can neither break the structure
 * (a leading "#", "-", a "|" or a backtick) nor smuggle in HTML; newlines collapse to spaces.
 */
import { KIND_LABEL, STATUS_LABEL, type CardKind, type Owner } from './card.ts'
import type {
  AnyCard,
  EdgeCase,
  HealthCheck,
  Metric,
  Problem,
  Scope,
  ScopeMessage,
  ScopeThread,
  Solution,
} from './types.ts'

export function renderScopeMarkdown(scope: Scope): string {
  const out: string[] = []
  const block = (...lines: string[]) => out.push(lines.join('\n'))

  block(`# ${inline(scope.board.title) || 'Untitled board'} — scope`)
  block(readinessLine(scope))
  block(totalsLine(scope))

  for (const problem of scope.problems) renderProblem(problem, block)

  const { unlinked } = scope
  if (unlinked.solutions.length || unlinked.edgeCases.length || unlinked.metrics.length) {
    block('## Unlinked')
    block('Cards not linked to a card they could hang under: draw an arrow to link them.')
    if (unlinked.solutions.length) {
      block('### Solutions')
      for (const solution of unlinked.solutions) renderSolution(solution, block)
    }
    if (unlinked.edgeCases.length) {
      block('### Edge cases')
      block(unlinked.edgeCases.map(edgeCaseItem).join('\n'))
    }
    if (unlinked.metrics.length) {
      block('### Metrics')
      block(unlinked.metrics.map(metricItem).join('\n'))
    }
  }

  const cards = cardIndex(scope)
  renderOpenQuestions(scope, cards, block)

  block('## Health checks')
  const failing = [
    ...scope.health.checks.filter((c) => !c.passed && c.severity === 'blocking'),
    ...scope.health.checks.filter((c) => !c.passed && c.severity === 'warning'),
  ]
  if (failing.length) block(failing.map((c) => checkItem(c, cards)).join('\n'))
  else block('All checks pass.')

  return out.join('\n\n') + '\n'
}

function readinessLine(scope: Scope): string {
  const blocking = scope.health.checks.filter((c) => !c.passed && c.severity === 'blocking').length
  const verdict = scope.health.ready
    ? '✅ Ready for sprint'
    : blocking
      ? `⚠️ Not ready: ${blocking} blocking ${blocking === 1 ? 'check' : 'checks'}`
      : '⚠️ Not ready: no active problem in scope'
  const focus = scope.focus
  if (!focus) return `${verdict} · No sprint focus`
  const name = [focus.sprint, focus.title].map(inline).filter(Boolean).join(' — ') || inline(focus.id)
  const parts = [`Sprint focus: **${name}**`]
  if (focus.goal) parts.push(`goal: ${inline(focus.goal)}`)
  if (focus.metric) parts.push(`metric: ${inline(focus.metric)}`)
  if (focus.strategy) parts.push(`strategy: ${inline(focus.strategy)}`)
  return `${verdict} · ${parts.join(' · ')}`
}

function totalsLine({ totals: t }: Scope): string {
  return [
    plural(t.problems, 'problem', 'problems'),
    `${plural(t.solutions, 'solution', 'solutions')} (${t.chosenSolutions} chosen)`,
    `${plural(t.edgeCases, 'edge case', 'edge cases')} (${t.openEdgeCases} open)`,
    plural(t.metrics, 'metric', 'metrics'),
  ].join(' · ')
}

type Block = (...lines: string[]) => void

function renderProblem(problem: Problem, block: Block) {
  block(`## Problem: ${title(problem)}`)
  const facts = [`- **Status:** ${STATUS_LABEL[problem.status]}`, `- **Owners:** ${owners(problem.owners)}`]
  if (problem.affected) facts.push(`- **Affected:** ${inline(problem.affected)}`)
  if (problem.evidence) facts.push(`- **Evidence:** ${inline(problem.evidence)}`)
  if (problem.openThreads) facts.push(`- **Open comment threads:** ${problem.openThreads}`)
  block(...facts)
  if (problem.details) block(inline(problem.details))

  block('### Metrics')
  block(problem.metrics.length ? problem.metrics.map(metricItem).join('\n') : '_No metric linked yet._')
  block('### Solutions')
  if (problem.solutions.length) for (const solution of problem.solutions) renderSolution(solution, block)
  else block('_No solution linked yet._')
  if (problem.edgeCases.length) {
    block('### Edge cases')
    block(problem.edgeCases.map(edgeCaseItem).join('\n'))
  }
}

function renderSolution(solution: Solution, block: Block) {
  block(`#### ${title(solution)} — **${STATUS_LABEL[solution.status]}**`)
  const facts = [`Appetite: ${inline(solution.appetite) || 'not set'}`, `Owners: ${owners(solution.owners)}`]
  if (solution.openThreads) facts.push(plural(solution.openThreads, 'open comment thread', 'open comment threads'))
  block(facts.join(' · '))
  if (solution.details) block(inline(solution.details))
  if (solution.edgeCases.length) block(solution.edgeCases.map(edgeCaseItem).join('\n'))
  else block(solution.noEdgeCases ? '_No edge cases found (checked)._' : '_No edge case linked yet._')
}

function edgeCaseItem(edgeCase: EdgeCase): string {
  const facts = [`${edgeCase.severity} severity`]
  let item: string
  switch (edgeCase.status) {
    case 'open':
      item = `- [ ] ${title(edgeCase)}`
      facts.push('open')
      break
    case 'handled':
      item = `- [x] ${title(edgeCase)}`
      facts.push('handled')
      break
    case 'wont-handle':
      // Ticked so the list reads as decided, but struck through and labelled: nobody should
      // mistake "we chose not to" for "done".
      item = `- [x] ~~${title(edgeCase)}~~`
      facts.push(`**${STATUS_LABEL['wont-handle'].toLowerCase()}**`)
      break
    default: {
      const unknown: never = edgeCase.status
      throw new Error(`unknown edge-case status: ${String(unknown)}`)
    }
  }
  if (edgeCase.owners.length) facts.push(owners(edgeCase.owners))
  const line = `${item} — ${facts.join(' · ')}`
  // Indented, the details stay inside the list item (GitHub shows them on their own line).
  return edgeCase.details ? `${line}\n  ${inline(edgeCase.details)}` : line
}

function metricItem(metric: Metric): string {
  const facts = [metric.target ? `target: ${inline(metric.target)}` : 'no target set']
  facts.push(STATUS_LABEL[metric.status].toLowerCase())
  if (metric.owners.length) facts.push(owners(metric.owners))
  return `- ${title(metric)} — ${facts.join(' · ')}`
}

/**
 * Every open thread, grouped under the card it is on in document order, then those whose shape
 * was deleted. A thread is one list item (its first message) with the replies nested under it.
 */
function renderOpenQuestions(scope: Scope, cards: CardIndex, block: Block) {
  block('## Open questions')
  const open = (threads: ScopeThread[]) => threads.filter((t) => t.status === 'open')
  let any = false
  for (const { card } of cards.values()) {
    const threads = open(card.threads)
    if (!threads.length) continue
    any = true
    block(`**${KIND_LABEL[card.kind]}: ${title(card)}**`)
    block(threads.map(threadItem).join('\n'))
  }
  const orphaned = open(scope.orphanedThreads)
  if (orphaned.length) {
    any = true
    block('**On a deleted shape**')
    block(orphaned.map(threadItem).join('\n'))
  }
  if (!any) block('_No open comment threads._')
}

function threadItem(thread: ScopeThread): string {
  const [first, ...replies] = thread.messages
  if (!first) return '- _Empty thread._'
  return [`- ${messageText(first)}`, ...replies.map((m) => `  - ${messageText(m)}`)].join('\n')
}

function messageText(message: ScopeMessage): string {
  const author = `**${inline(message.author.name)}** (${message.author.discipline})`
  return `${author}: ${message.deleted ? '_Message deleted._' : inline(message.body) || '_Empty._'}`
}

type CardIndex = Map<string, { card: AnyCard; order: number }>

function checkItem(check: HealthCheck, cards: CardIndex): string {
  const label = check.severity === 'blocking' ? '⛔ **Blocking**' : '⚠️ **Warning**'
  // Listed in the order they appear above, which is easier to follow than id order.
  const concerned = [...new Set(check.cardIds)]
    .map((id) => ({ id, entry: cards.get(id) }))
    .sort((a, b) => (a.entry?.order ?? cards.size) - (b.entry?.order ?? cards.size) || (a.id < b.id ? -1 : 1))
    .map(
      ({ id, entry }) => `  - ${entry ? `${KIND_LABEL[entry.card.kind]}: ${title(entry.card)}` : `Card ${inline(id)}`}`,
    )
  return [`- ${label}: ${inline(check.message)}`, ...concerned].join('\n')
}

/** Every card by id, numbered in the order the document shows them. */
function cardIndex(scope: Scope): CardIndex {
  const cards: CardIndex = new Map()
  const add = (card: AnyCard) => {
    if (!cards.has(card.id)) cards.set(card.id, { card, order: cards.size })
  }
  const addSolution = (s: Solution) => {
    add(s)
    s.edgeCases.forEach(add)
  }
  for (const p of scope.problems) {
    add(p)
    p.metrics.forEach(add)
    p.solutions.forEach(addSolution)
    p.edgeCases.forEach(add)
  }
  scope.unlinked.solutions.forEach(addSolution)
  scope.unlinked.edgeCases.forEach(add)
  scope.unlinked.metrics.forEach(add)
  return cards
}

function title(card: { kind: CardKind; title: string }): string {
  return inline(card.title) || `_Untitled ${KIND_LABEL[card.kind].toLowerCase()}_`
}

function owners(list: Owner[]): string {
  return list.length ? list.map((o) => `${inline(o.name)} (${o.discipline})`).join(', ') : 'none'
}

function plural(n: number, singular: string, pluralForm: string): string {
  return `${n} ${n === 1 ? singular : pluralForm}`
}

/**
 * User text on one line, literal: whitespace runs (newlines included) become one space, and every
 * character Markdown or HTML could read as syntax is backslash-escaped, which CommonMark and GitHub
 * render as the character itself. A leading "-", "+", "=" or "1." would start a list or an
 * underline at the start of a line, so it is escaped too.
 */
export function inline(value: string): string {
  return value
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*_[\]<>#|~]/g, '\\$&')
    .replace(/&(?=#?[a-z0-9]+;)/gi, '\\&')
    .replace(/^([-+=])/, '\\$1')
    .replace(/^(\d+)([.)])(?= |$)/, '$1\\$2')
}
