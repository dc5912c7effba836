/**
 * The scope as it is now: readiness, the health checks (each jumps to the cards it names), what
 * the board page adds below them (the changes since a snapshot), and the problem → solution →
 * edge case tree (each item jumps to its card).
 */
import type { ReactNode } from 'react'
import type { Editor, TLShapeId } from 'tldraw'
import { cardLabel, STATUS_LABEL } from '../../../shared/scope/card.ts'
import type { AnyCard, EdgeCase, HealthCheck, Metric, Scope, Solution } from '../../../shared/scope/types.ts'
import { KIND_ICON } from '../cards/kindStyle.ts'

const CHECK_TITLES: Record<HealthCheck['id'], string> = {
  'problem-without-metric': 'Every problem has a success metric',
  'single-solution': 'More than one solution considered',
  'no-engineering-owner': 'Engineering owns problems and chosen solutions',
  'chosen-solution-without-edge-cases': 'Chosen solutions have edge cases',
  'open-high-severity-edge-case': 'No high-severity edge case left open',
  'open-comment-on-chosen-solution': 'No open comments on chosen solutions',
  'no-sprint-focus': 'Linked to a sprint focus with a strategy',
}

function shapeId(id: string): TLShapeId {
  return `shape:${id}` as TLShapeId
}

/** Selects the cards and brings them into view without changing the zoom more than needed. */
export function jumpTo(editor: Editor, cardIds: string[]) {
  const ids = cardIds.map(shapeId).filter((id) => editor.getShape(id))
  if (ids.length === 0) return
  editor.setCurrentTool('select')
  editor.select(...ids)
  const bounds = editor.getSelectionPageBounds()
  if (!bounds) return
  if (ids.length === 1 || editor.getViewportPageBounds().contains(bounds)) {
    editor.centerOnPoint(bounds.center, { animation: { duration: 250 } })
  } else {
    editor.zoomToSelection({ animation: { duration: 250 } })
  }
}

export function OutlinePanel({
  editor,
  scope,
  children,
}: {
  /** Null while a canvas mounts. */
  editor: Editor | null
  scope: Scope | null
  children?: ReactNode
}) {
  // The panel keeps its place while a canvas mounts or the scope is computed, so the canvas beside
  // it keeps its size.
  if (!editor || !scope) return <aside className="side-panel outline" aria-label="Scope outline" aria-busy="true" />
  const failing = scope.health.checks.filter((c) => !c.passed)
  const blocking = failing.filter((c) => c.severity === 'blocking').length
  const hasProblems = scope.problems.length > 0
  const unlinked = [...scope.unlinked.solutions, ...scope.unlinked.edgeCases, ...scope.unlinked.metrics]

  return (
    <aside className="side-panel outline" aria-label="Scope outline">
      <div
        className={`readiness ${scope.health.ready ? 'ready' : 'not-ready'}`}
        data-testid="readiness"
        data-ready={scope.health.ready}
      >
        {scope.health.ready
          ? '✓ Ready for sprint'
          : hasProblems
            ? `Not ready · ${blocking} blocking ${blocking === 1 ? 'check' : 'checks'}`
            : 'Not ready · add a problem to start'}
      </div>

      <h2 className="side-title">Health</h2>
      <ul className="checks" aria-label="Health checks">
        {scope.health.checks.map((check) => (
          <li key={check.id} className={`check ${check.passed ? 'passed' : check.severity}`} data-check={check.id}>
            <button
              type="button"
              disabled={check.cardIds.length === 0}
              title={check.message}
              onClick={() => jumpTo(editor, check.cardIds)}
            >
              <span className="check-mark" aria-hidden>
                {check.passed ? '✓' : check.severity === 'blocking' ? '✗' : '!'}
              </span>
              <span className="check-title">{CHECK_TITLES[check.id]}</span>
              {!check.passed && check.cardIds.length > 0 && <span className="check-count">{check.cardIds.length}</span>}
            </button>
          </li>
        ))}
      </ul>

      {children}

      <h2 className="side-title">Outline</h2>
      {!hasProblems && unlinked.length === 0 && (
        <p className="muted small">Add a problem card (⇧P) to start mapping the scope.</p>
      )}
      <ul className="tree" aria-label="Scope tree">
        {scope.problems.map((problem) => (
          <li key={problem.id}>
            <Item editor={editor} card={problem} />
            <ul>
              {problem.metrics.map((m) => (
                <li key={m.id}>
                  <Item editor={editor} card={m} />
                </li>
              ))}
              {problem.solutions.map((s) => (
                <SolutionItem key={s.id} editor={editor} solution={s} />
              ))}
              {problem.edgeCases.map((e) => (
                <li key={e.id}>
                  <Item editor={editor} card={e} />
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {unlinked.length > 0 && (
        <>
          <h2 className="side-title">Unlinked</h2>
          <p className="muted small">Draw an arrow to the card each of these belongs to.</p>
          <ul className="tree" aria-label="Unlinked cards">
            {scope.unlinked.solutions.map((s) => (
              <SolutionItem key={s.id} editor={editor} solution={s} />
            ))}
            {[...scope.unlinked.edgeCases, ...scope.unlinked.metrics].map((c: EdgeCase | Metric) => (
              <li key={c.id}>
                <Item editor={editor} card={c} />
              </li>
            ))}
          </ul>
        </>
      )}
    </aside>
  )
}

function SolutionItem({ editor, solution }: { editor: Editor; solution: Solution }) {
  return (
    <li>
      <Item editor={editor} card={solution} />
      {solution.edgeCases.length > 0 && (
        <ul>
          {solution.edgeCases.map((e) => (
            <li key={e.id}>
              <Item editor={editor} card={e} />
            </li>
          ))}
        </ul>
      )}
    </li>
  )
}

function Item({ editor, card }: { editor: Editor; card: AnyCard }) {
  return (
    <button
      type="button"
      className={`tree-item tree-${card.kind}`}
      title={card.title}
      onClick={() => jumpTo(editor, [card.id])}
    >
      <span className="tree-icon" aria-hidden>
        {KIND_ICON[card.kind]}
      </span>
      <span className="tree-title">{cardLabel(card.title, card.kind)}</span>
      <span className={`tree-status status-${card.status}`}>
        {card.kind === 'edge-case' && card.severity === 'high' ? 'high · ' : ''}
        {STATUS_LABEL[card.status]}
      </span>
    </button>
  )
}
