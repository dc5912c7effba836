/**
 * The sprint focus in the board header: "Sprint 42 · Focus: … · Goal: … · Metric: …", and a
 * popover with the whole context — everyone on the board sees it, link guests included, because
 * context is what lets people decide well. The workspace and edit links may link the board to a
 * focus from here; only the workspace can list focuses, so an edit link may keep or unlink the
 * one it has. The roll-up link shows for the workspace only (links cannot open it).
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import { useDismiss } from './useDismiss.ts'
import { FOCUS_STATUS_LABEL, focusPath, type FocusContext, type FocusWithBoards } from '../../../shared/focus/model.ts'
import { api } from '../api.ts'
import { groupBySprint } from '../focus/groupBySprint.ts'
import type { BoardRole } from '../sync/useBoardAccess.ts'
import '../focus/focus.css'

const NONE = ''

export interface FocusChipProps {
  boardId: string
  /** Undefined while not known yet. */
  focus: FocusContext | null | undefined
  role: BoardRole | null
  onLinked(focus: FocusContext | null): void
}

export function FocusChip({ boardId, focus, role, onLinked }: FocusChipProps) {
  const [open, setOpen] = useState(false)
  const closeMenu = useCallback(() => setOpen(false), [])
  const root = useRef<HTMLDivElement>(null)
  const canLink = role === 'workspace' || role === 'edit'

  useDismiss(open, root, closeMenu)

  if (focus === undefined || (focus === null && !canLink)) return null
  const summary = focus
    ? [
        `${focus.sprint} · Focus: ${focus.title}`,
        focus.goal && `Goal: ${focus.goal}`,
        focus.metric && `Metric: ${focus.metric}`,
      ]
        .filter(Boolean)
        .join(' · ')
    : 'No sprint focus'

  return (
    <div className="focus-chip-wrap" ref={root}>
      <button
        type="button"
        className={`focus-chip ${focus ? 'linked' : 'unlinked'}`}
        data-testid="focus-chip"
        aria-haspopup="dialog"
        aria-expanded={open}
        title={summary}
        onClick={() => setOpen(!open)}
      >
        {focus ? (
          <>
            <strong>{focus.sprint}</strong>
            <span className="focus-chip-sep"> · </span>
            <span>Focus: {focus.title}</span>
            {focus.goal && <span className="focus-chip-extra"> · Goal: {focus.goal}</span>}
            {focus.metric && <span className="focus-chip-extra"> · Metric: {focus.metric}</span>}
          </>
        ) : (
          'No sprint focus'
        )}
      </button>
      {open && (
        <div className="focus-popover" role="dialog" aria-label="Sprint focus">
          {focus ? <FocusFacts focus={focus} showRollup={role === 'workspace'} /> : <UnlinkedNote />}
          {canLink && (
            <FocusPicker boardId={boardId} current={focus} canList={role === 'workspace'} onLinked={onLinked} />
          )}
        </div>
      )}
    </div>
  )
}

function FocusFacts({ focus, showRollup }: { focus: FocusContext; showRollup: boolean }) {
  return (
    <>
      <p className="focus-popover-sprint">
        {focus.sprint}{' '}
        <span className={`focus-status focus-status-${focus.status}`}>{FOCUS_STATUS_LABEL[focus.status]}</span>
      </p>
      <h3 className="focus-popover-title">{focus.title}</h3>
      <dl className="focus-facts">
        <dt>Goal</dt>
        <dd>{focus.goal ?? <span className="muted">not set</span>}</dd>
        <dt>Success metric</dt>
        <dd>{focus.metric ?? <span className="muted">not set</span>}</dd>
        <dt>Strategy</dt>
        <dd>{focus.strategy ?? <span className="muted">none named</span>}</dd>
      </dl>
      {showRollup && (
        <p>
          <a href={focusPath(focus.id)}>Open the focus roll-up →</a>
        </p>
      )}
    </>
  )
}

function UnlinkedNote() {
  return (
    <p className="muted small">
      This board serves no sprint focus yet. Link it to the focus it serves, so its scope is planned with the
      sprint&apos;s goal and strategy in mind.
    </p>
  )
}

function FocusPicker({
  boardId,
  current,
  canList,
  onLinked,
}: {
  boardId: string
  current: FocusContext | null
  canList: boolean
  onLinked(focus: FocusContext | null): void
}) {
  const [focuses, setFocuses] = useState<FocusWithBoards[] | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    if (!canList) return
    api.listFocuses().then(setFocuses, (e: Error) => setError(e.message))
  }, [canList])

  const link = async (focusId: string) => {
    setBusy(true)
    setError(null)
    try {
      const board = await api.setBoardFocus(boardId, focusId === NONE ? null : focusId)
      onLinked(board.focus)
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }

  const groups = groupBySprint(focuses ?? [])
  const listed = new Set((focuses ?? []).map((f) => f.id))
  return (
    <div className="focus-picker">
      <label>
        {current ? 'Serves' : 'Link to a sprint focus'}
        <select
          aria-label="Sprint focus"
          value={current?.id ?? NONE}
          disabled={busy || (canList && focuses === null)}
          onChange={(e) => void link(e.target.value)}
        >
          <option value={NONE}>No sprint focus</option>
          {current && !listed.has(current.id) && (
            <option value={current.id}>
              {current.sprint} · {current.title}
            </option>
          )}
          {groups.map((group) => (
            <optgroup key={group.sprint} label={group.sprint}>
              {group.focuses.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.title}
                  {f.status === 'done' ? ' (done)' : ''}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      {canList ? (
        <a className="small" href="/focuses">
          Manage focuses
        </a>
      ) : (
        <p className="muted small">Only the workspace can list focuses; with this link you can keep or unlink it.</p>
      )}
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}
