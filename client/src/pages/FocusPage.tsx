/**
 * `/f/:focusId`: a sprint focus and the live roll-up of every board linked to it — the focus
 * first, the totals, then each board with its problems, metrics, chosen solutions, open edge cases
 * and gaps, every item a link that opens its card on its board. The Markdown (the sprint-planning
 * document) downloads or copies from here. Workspace only: the server refuses share links.
 */
import { useEffect, useState, type ReactNode } from 'react'
import { FOCUS_STATUS_LABEL, boardPath, cardPath, focusLabel } from '../../../shared/focus/model.ts'
import type { FocusRollup, RollupBoard, RollupEdgeCase, RollupSolution } from '../../../shared/focus/types.ts'
import { STATUS_LABEL } from '../../../shared/scope/card.ts'
import type { HealthCheck } from '../../../shared/scope/types.ts'
import { api, focusMarkdownUrl } from '../api.ts'
import { FocusForm } from '../components/FocusForm.tsx'
import { ProfileButton } from '../components/ProfileButton.tsx'
import { useRollup } from '../focus/useRollup.ts'
import '../focus/focus.css'

const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' })

export function FocusPage({ focusId }: { focusId: string }) {
  const { state, reload } = useRollup(focusId)
  const title = state.kind === 'loaded' ? focusLabel(state.rollup.focus) : null
  useEffect(() => {
    document.title = title ? `${title} · Scopeboard` : 'Sprint focus · Scopeboard'
  }, [title])

  return (
    <main className="page page-wide focus-page">
      <header className="home-header">
        <nav className="crumbs">
          <a href="/">Boards</a> · <a href="/focuses">Sprint focuses</a>
        </nav>
        <ProfileButton />
      </header>
      {state.kind === 'loading' && <p className="muted">Loading the roll-up…</p>}
      {state.kind === 'failed' && <Failed status={state.status} message={state.message} />}
      {state.kind === 'loaded' && (
        <Rollup rollup={state.rollup} checkedAt={state.checkedAt} stale={state.stale} onChanged={reload} />
      )}
    </main>
  )
}

function Failed({ status, message }: { status: number | null; message: string }) {
  const [heading, body] =
    status === 404
      ? ['No such sprint focus', 'It may have been deleted. The focuses page lists the ones there are.']
      : status === 401
        ? ['Sign in to see this focus', 'Open the sign-in link the server printed when it started.']
        : status === 403
          ? [
              'This roll-up needs the workspace sign-in',
              'A share link opens its own board only; the roll-up shows every board linked to the focus.',
            ]
          : ['The roll-up could not be loaded', message]
  return (
    <div role="alert">
      <h1>{heading}</h1>
      <p>{body}</p>
    </div>
  )
}

function Rollup({
  rollup,
  checkedAt,
  stale,
  onChanged,
}: {
  rollup: FocusRollup
  checkedAt: Date
  stale: string | null
  onChanged(): void
}) {
  const { focus, totals: t } = rollup
  const [editing, setEditing] = useState(false)
  const [notice, setNotice] = useState<string | null>(null)

  useEffect(() => {
    if (!notice) return
    const timer = setTimeout(() => setNotice(null), 2_500)
    return () => clearTimeout(timer)
  }, [notice])

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(await api.focusMarkdown(focus.id))
      setNotice('Markdown copied')
    } catch (error) {
      setNotice(`Copy failed: ${(error as Error).message}`)
    }
  }

  return (
    <>
      <section className="focus-head" aria-label="Sprint focus">
        <p className="focus-sprint">
          <span data-testid="focus-sprint">{focus.sprint}</span>{' '}
          <span className={`focus-status focus-status-${focus.status}`}>{FOCUS_STATUS_LABEL[focus.status]}</span>
          {(focus.startDate || focus.endDate) && (
            <span className="muted">
              {' '}
              · {focus.startDate ?? '…'} → {focus.endDate ?? '…'}
            </span>
          )}
        </p>
        <h1 data-testid="focus-title">{focus.title}</h1>
        {editing ? (
          <FocusForm
            initial={{ ...focus, createdAt: '', updatedAt: '' }}
            submitLabel="Save focus"
            onCancel={() => setEditing(false)}
            onSubmit={async (input) => {
              await api.updateFocus(focus.id, input)
              setEditing(false)
              onChanged()
            }}
          />
        ) : (
          <dl className="focus-facts">
            <dt>Goal</dt>
            <dd>{focus.goal ?? <span className="muted">not set</span>}</dd>
            <dt>Success metric</dt>
            <dd>{focus.metric ?? <span className="muted">not set</span>}</dd>
            <dt>Strategy</dt>
            <dd>
              {focus.strategy ?? (
                <span className="muted">none named — the linked boards warn that they lack strategic direction</span>
              )}
            </dd>
          </dl>
        )}
        <div className="focus-actions">
          {!editing && (
            <button type="button" onClick={() => setEditing(true)}>
              Edit focus
            </button>
          )}
          <a className="button-link" href={focusMarkdownUrl(focus.id)} download>
            Download Markdown
          </a>
          <button type="button" onClick={() => void copy()}>
            Copy Markdown
          </button>
          <span className={`live ${stale ? 'live-stale' : ''}`} data-testid="rollup-updated" role="status">
            {stale
              ? `Not updated since ${timeFormat.format(checkedAt)}: ${stale}`
              : `Live · ${timeFormat.format(checkedAt)}`}
          </span>
          {notice && <span className="notice-inline">{notice}</span>}
        </div>
      </section>

      <ul className="rollup-totals" aria-label="Totals">
        <Total label="Boards linked" value={t.boards} detail={`${t.boardsReadyForSprint} ready for sprint`} />
        <Total label="Problems" value={t.problems} detail={`${t.problemsWithMetric} with a success metric`} />
        <Total
          label="Chosen solutions"
          value={t.chosenSolutions}
          detail={`${t.chosenSolutionsWithEdgeCases} with edge cases thought through`}
        />
        <Total
          label="Open edge cases"
          value={t.openEdgeCases}
          detail={`${t.openHighSeverityEdgeCases} of high severity`}
          warn={t.openHighSeverityEdgeCases > 0}
        />
      </ul>

      {rollup.boards.length === 0 && (
        <p className="muted" data-testid="rollup-empty">
          No board is linked to this focus yet. Open a board and pick this focus in its header.
        </p>
      )}
      {rollup.boards.map((board) => (
        <BoardSection key={board.id} board={board} />
      ))}
    </>
  )
}

function Total({ label, value, detail, warn }: { label: string; value: number; detail: string; warn?: boolean }) {
  return (
    <li className={warn ? 'warn' : undefined}>
      <span className="total-value">{value}</span>
      <span className="total-label">{label}</span>
      <span className="muted small">{detail}</span>
    </li>
  )
}

function BoardSection({ board }: { board: RollupBoard }) {
  const link = (cardId: string, text: string) => (
    <a href={cardPath(board.id, cardId)} data-card-id={cardId}>
      {text || 'Untitled'}
    </a>
  )
  const names = new Map<string, string>()
  for (const p of board.problems) {
    names.set(p.id, p.title)
    for (const s of p.chosenSolutions) names.set(s.id, s.title)
    for (const e of p.openEdgeCases) names.set(e.id, e.title)
  }
  for (const s of board.unlinked.chosenSolutions) names.set(s.id, s.title)
  for (const e of board.unlinked.openEdgeCases) names.set(e.id, e.title)
  const failing = [...board.health.checks.filter((c) => !c.passed)].sort(
    (a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning'),
  )

  return (
    <section
      className="rollup-board"
      aria-label={`Board ${board.title}`}
      data-testid="rollup-board"
      data-board-id={board.id}
    >
      <header>
        <h2>
          <a href={boardPath(board.id)}>{board.title || 'Untitled board'}</a>
        </h2>
        <span className={`readiness ${board.health.ready ? 'ready' : 'not-ready'}`}>
          {board.health.ready
            ? '✓ Ready for sprint'
            : board.totals.problems
              ? 'Not ready'
              : 'Not ready · no problem yet'}
        </span>
      </header>
      {board.problems.length === 0 && <p className="muted small">No problem in play on this board yet.</p>}
      {board.problems.map((problem) => (
        <div className="rollup-problem" key={problem.id}>
          <h3>
            <span className="kind-tag kind-problem">Problem</span> {link(problem.id, problem.title)}{' '}
            <span className="tree-status">{STATUS_LABEL[problem.status]}</span>
          </h3>
          <div className="rollup-columns">
            <div>
              <h4>Success metrics</h4>
              {problem.metrics.length ? (
                <ul>
                  {problem.metrics.map((m) => (
                    <li key={m.id}>
                      {link(m.id, m.title)}{' '}
                      <span className="muted">{m.target ? `target ${m.target}` : 'no target'}</span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="gap small">No metric yet</p>
              )}
            </div>
            <div>
              <h4>Chosen solutions</h4>
              {problem.chosenSolutions.length ? (
                <ul>{problem.chosenSolutions.map((s) => solutionItem(s, link))}</ul>
              ) : (
                <p className="muted small">None chosen yet</p>
              )}
            </div>
            <div>
              <h4>Open edge cases</h4>
              {problem.openEdgeCases.length ? (
                <ul>{problem.openEdgeCases.map((e) => edgeCaseItem(e, link))}</ul>
              ) : (
                <p className="muted small">None open</p>
              )}
            </div>
          </div>
        </div>
      ))}
      {(board.unlinked.chosenSolutions.length > 0 || board.unlinked.openEdgeCases.length > 0) && (
        <div className="rollup-problem">
          <h3>Not linked to a problem yet</h3>
          <ul>
            {board.unlinked.chosenSolutions.map((s) => solutionItem(s, link))}
            {board.unlinked.openEdgeCases.map((e) => edgeCaseItem(e, link))}
          </ul>
        </div>
      )}
      {failing.length > 0 && (
        <div className="rollup-gaps">
          <h4>Gaps</h4>
          <ul>
            {failing.map((check) => (
              <GapItem key={check.id} check={check} names={names} link={link} />
            ))}
          </ul>
        </div>
      )}
    </section>
  )
}

type Link = (cardId: string, text: string) => ReactNode

function solutionItem(s: RollupSolution, link: Link) {
  return (
    <li key={s.id}>
      {link(s.id, s.title)}{' '}
      <span className="muted">
        {s.appetite ? `${s.appetite} · ` : ''}
        {s.edgeCases
          ? `${s.edgeCases} edge ${s.edgeCases === 1 ? 'case' : 'cases'}, ${s.openEdgeCases} open`
          : s.noEdgeCases
            ? 'no edge cases found'
            : ''}
      </span>
      {!s.edgeCases && !s.noEdgeCases && <span className="gap small"> no edge case yet</span>}
    </li>
  )
}

function edgeCaseItem(e: RollupEdgeCase, link: Link) {
  return (
    <li key={e.id}>
      <span className={`severity severity-${e.severity}`}>{e.severity}</span> {link(e.id, e.title)}
      {e.solution && <span className="muted"> · on {e.solution.title}</span>}
    </li>
  )
}

function GapItem({ check, names, link }: { check: HealthCheck; names: Map<string, string>; link: Link }) {
  return (
    <li className={`gap-item ${check.severity}`}>
      <span aria-hidden>{check.severity === 'blocking' ? '✗' : '!'}</span> {check.message}
      {check.cardIds.length > 0 && (
        <span className="gap-cards">
          {check.cardIds.map((id, i) => (
            <span key={id}>
              {i > 0 && ', '}
              {link(id, names.get(id) ?? id)}
            </span>
          ))}
        </span>
      )}
    </li>
  )
}
