/**
 * The roll-up as Markdown: the sprint-planning document a team pastes into its sprint issue. The
 * focus first (sprint, statement, goal, metric, strategy), the totals, then each linked board with
 * its problems, chosen solutions and open edge cases (a checklist), and its gaps — the failing
 * health checks. Given the server's address, every card and board is a link that opens it on its
 * board; without one (reading a data directory offline) the names are plain text.
 */
import { STATUS_LABEL, type Owner } from '../scope/card.ts'
import { inline } from '../scope/renderMarkdown.ts'
import type { HealthCheck } from '../scope/types.ts'
import { boardPath, cardPath, FOCUS_STATUS_LABEL } from './model.ts'
import type { FocusRollup, RollupBoard, RollupEdgeCase, RollupSolution } from './types.ts'

export interface RollupMarkdownOptions {
  /** `http://host:port` the links point at; none leaves names unlinked. */
  baseUrl?: string | null
}

type Block = (...lines: string[]) => void

export function renderRollupMarkdown(rollup: FocusRollup, options: RollupMarkdownOptions = {}): string {
  const base = options.baseUrl ? options.baseUrl.replace(/\/+$/, '') : null
  const out: string[] = []
  const block: Block = (...lines) => out.push(lines.join('\n'))
  const { focus, totals: t } = rollup

  block(`# ${[focus.sprint, focus.title].map(inline).filter(Boolean).join(' — ') || inline(focus.id)}`)
  const facts = [`- **Status:** ${FOCUS_STATUS_LABEL[focus.status]}`]
  if (focus.startDate || focus.endDate) facts.push(`- **Dates:** ${focus.startDate ?? '…'} → ${focus.endDate ?? '…'}`)
  facts.push(`- **Goal:** ${focus.goal ? inline(focus.goal) : '_not set_'}`)
  facts.push(`- **Success metric:** ${focus.metric ? inline(focus.metric) : '_not set_'}`)
  facts.push(
    `- **Strategy:** ${focus.strategy ? inline(focus.strategy) : '_none named: the linked boards warn that they lack strategic direction_'}`,
  )
  block(...facts)

  block('## Summary')
  block(
    `- **Boards:** ${t.boards} linked, ${t.boardsReadyForSprint} ready for sprint`,
    `- **Problems:** ${t.problems}, ${t.problemsWithMetric} with a success metric`,
    `- **Chosen solutions:** ${t.chosenSolutions}, ${t.chosenSolutionsWithEdgeCases} with edge cases thought through`,
    `- **Open edge cases:** ${t.openEdgeCases}, ${t.openHighSeverityEdgeCases} of high severity`,
  )

  if (rollup.boards.length === 0) {
    block('_No board is linked to this focus yet: link one from its board header._')
  }
  for (const board of rollup.boards) renderBoard(board, base, block)
  return out.join('\n\n') + '\n'
}

function renderBoard(board: RollupBoard, base: string | null, block: Block) {
  const link = (cardId: string, text: string) => (base ? `[${text}](${base}${cardPath(board.id, cardId)})` : text)
  const boardName = inline(board.title) || '_Untitled board_'
  const verdict = board.health.ready
    ? '✅ Ready for sprint'
    : board.totals.problems === 0
      ? '⚠️ Not ready: no problem in play'
      : `⚠️ Not ready: ${plural(blocking(board.health.checks).length, 'blocking check', 'blocking checks')}`
  block(`## Board: ${base ? `[${boardName}](${base}${boardPath(board.id)})` : boardName} — ${verdict}`)

  const names = new Map<string, string>()
  const solutionItem = (s: RollupSolution) => {
    const facts = [`appetite: ${inline(s.appetite) || 'not set'}`]
    facts.push(
      s.edgeCases
        ? `${plural(s.edgeCases, 'edge case', 'edge cases')} (${s.openEdgeCases} open)`
        : s.noEdgeCases
          ? 'no edge cases found (checked)'
          : '**no edge case yet**',
    )
    if (s.owners.length) facts.push(owners(s.owners))
    return `- ${link(s.id, title(s.title, 'solution'))} — ${facts.join(' · ')}`
  }
  const edgeCaseItem = (e: RollupEdgeCase) => {
    const facts = [e.severity === 'high' ? '**high** severity' : `${e.severity} severity`]
    if (e.solution) facts.push(`on ${title(e.solution.title, 'solution')}`)
    if (e.owners.length) facts.push(owners(e.owners))
    return `- [ ] ${link(e.id, title(e.title, 'edge case'))} — ${facts.join(' · ')}`
  }

  if (board.problems.length === 0) block('_No problem in play on this board yet._')
  for (const problem of board.problems) {
    names.set(problem.id, `Problem: ${link(problem.id, title(problem.title, 'problem'))}`)
    block(`### Problem: ${link(problem.id, title(problem.title, 'problem'))} — ${STATUS_LABEL[problem.status]}`)
    block(`Owners: ${problem.owners.length ? owners(problem.owners) : 'none'}`)
    block('**Success metrics**')
    block(
      problem.metrics.length
        ? problem.metrics
            .map(
              (m) =>
                `- ${link(m.id, title(m.title, 'metric'))} — ${m.target ? `target: ${inline(m.target)}` : 'no target set'} · ${STATUS_LABEL[m.status].toLowerCase()}`,
            )
            .join('\n')
        : '_No metric yet._',
    )
    block('**Chosen solutions**')
    for (const s of problem.chosenSolutions) names.set(s.id, `Solution: ${link(s.id, title(s.title, 'solution'))}`)
    block(problem.chosenSolutions.length ? problem.chosenSolutions.map(solutionItem).join('\n') : '_None chosen yet._')
    block('**Open edge cases**')
    block(problem.openEdgeCases.length ? problem.openEdgeCases.map(edgeCaseItem).join('\n') : '_No open edge case._')
    for (const e of problem.openEdgeCases) names.set(e.id, `Edge case: ${link(e.id, title(e.title, 'edge case'))}`)
  }

  const { unlinked } = board
  if (unlinked.chosenSolutions.length || unlinked.openEdgeCases.length) {
    block('### Not linked to a problem yet')
    const lines = [...unlinked.chosenSolutions.map(solutionItem), ...unlinked.openEdgeCases.map(edgeCaseItem)]
    block(lines.join('\n'))
    for (const s of unlinked.chosenSolutions) names.set(s.id, `Solution: ${link(s.id, title(s.title, 'solution'))}`)
    for (const e of unlinked.openEdgeCases) names.set(e.id, `Edge case: ${link(e.id, title(e.title, 'edge case'))}`)
  }

  block('### Gaps')
  const failing = [
    ...blocking(board.health.checks),
    ...board.health.checks.filter((c) => !c.passed && c.severity === 'warning'),
  ]
  block(
    failing.length
      ? failing
          .map((c) => {
            const label = c.severity === 'blocking' ? '⛔ **Blocking**' : '⚠️ **Warning**'
            const concerned = c.cardIds.map((id) => `  - ${names.get(id) ?? `Card ${inline(id)}`}`)
            return [`- ${label}: ${inline(c.message)}`, ...concerned].join('\n')
          })
          .join('\n')
      : 'All health checks pass.',
  )
}

function blocking(checks: HealthCheck[]): HealthCheck[] {
  return checks.filter((c) => !c.passed && c.severity === 'blocking')
}

function title(value: string, kind: string): string {
  return inline(value) || `_Untitled ${kind}_`
}

function owners(list: Owner[]): string {
  return list.map((o) => `${inline(o.name)} (${o.discipline})`).join(', ')
}

function plural(n: number, singular: string, pluralForm: string): string {
  return `${n} ${n === 1 ? singular : pluralForm}`
}
