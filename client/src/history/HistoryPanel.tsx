/**
 * The board's history: save the board as it is under a name ("Sprint planning"), and for every
 * snapshot — named, automatic, or the backup a restore took — look at it, compare the scope with
 * it, or restore it (edit role). A restore is a new change on top: the board as it was just
 * before is saved first, so a restore can itself be undone. Named snapshots and backups are
 * listed; the automatic ones, up to one an hour, wait behind a toggle so a long history stays
 * readable.
 */
import { useEffect, useRef, useState } from 'react'
import { foldSnapshotName, MAX_SNAPSHOT_NAME_LENGTH } from '../../../shared/history/snapshotName.ts'
import { api, type SnapshotInfo } from '../api.ts'
import { KIND_TEXT, snapshotDate } from './snapshotDoc.ts'
import { historyError, type SnapshotList } from './useSnapshots.ts'

export interface HistoryPanelProps {
  boardId: string
  list: SnapshotList
  canEdit: boolean
  /** The snapshot on the canvas, if any. */
  viewingId: string | null
  comparingId: string | null
  /** Shows the snapshot on the canvas, or, for the one already there, goes back to the live board. */
  onView(snapshot: SnapshotInfo | null): void
  /** Compares the outline with the snapshot, or stops comparing. */
  onCompare(snapshot: SnapshotInfo | null): void
  onRestore(snapshot: SnapshotInfo): Promise<void>
}

export function HistoryPanel({
  boardId,
  list,
  canEdit,
  viewingId,
  comparingId,
  onView,
  onCompare,
  onRestore,
}: HistoryPanelProps) {
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const [notice, setNotice] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [confirming, setConfirming] = useState<{ id: string; action: 'restore' | 'delete' } | null>(null)
  const [showAutomatic, setShowAutomatic] = useState(false)

  const save = async () => {
    const folded = foldSnapshotName(name)
    if (!folded) return
    setBusy(true)
    setError(null)
    setNotice(null)
    try {
      const snapshot = await api.createSnapshot(boardId, folded)
      setName('')
      setNotice(`Saved “${snapshot.name}”.`)
      list.reload()
    } catch (e) {
      setError(historyError(e as Error))
    } finally {
      setBusy(false)
    }
  }

  const restore = async (snapshot: SnapshotInfo) => {
    setBusy(true)
    setError(null)
    setNotice(null)
    try {
      await onRestore(snapshot)
      setConfirming(null)
      setNotice(
        `Restored “${snapshot.name}”. The board as it was is saved at the top of the list as “Before restoring…”.`,
      )
    } catch (e) {
      setError(historyError(e as Error))
    } finally {
      setBusy(false)
    }
  }

  const remove = async (snapshot: SnapshotInfo) => {
    setBusy(true)
    setError(null)
    setNotice(null)
    try {
      await api.deleteSnapshot(boardId, snapshot.id)
      setConfirming(null)
      if (snapshot.id === viewingId) onView(null)
      setNotice(`Deleted “${snapshot.name}”.`)
      list.reload()
    } catch (e) {
      setError(historyError(e as Error))
    } finally {
      setBusy(false)
    }
  }

  const automatic = list.snapshots?.filter((s) => s.kind === 'auto').length ?? 0
  const shown = list.snapshots?.filter((s) => showAutomatic || s.kind !== 'auto' || s.id === viewingId) ?? []

  return (
    <aside className="side-panel history" aria-label="History">
      <h2 className="side-title">History</h2>
      {canEdit && (
        <form
          className="snapshot-form"
          onSubmit={(e) => {
            e.preventDefault()
            void save()
          }}
        >
          <label htmlFor="snapshot-name" className="small">
            Save the board as it is now
          </label>
          <div className="snapshot-form-row">
            <input
              id="snapshot-name"
              value={name}
              maxLength={MAX_SNAPSHOT_NAME_LENGTH}
              placeholder="e.g. Sprint planning"
              onChange={(e) => setName(e.target.value)}
            />
            <button type="submit" disabled={busy || !foldSnapshotName(name)}>
              Save snapshot
            </button>
          </div>
          {name.length >= MAX_SNAPSHOT_NAME_LENGTH && (
            <p className="muted small">A name can be at most {MAX_SNAPSHOT_NAME_LENGTH} characters.</p>
          )}
        </form>
      )}
      {notice && (
        <p className="history-notice small" role="status">
          {notice}
        </p>
      )}
      {(error ?? list.error) && (
        <p className="error small" role="alert">
          {error ?? list.error}
          {list.snapshots !== null && list.error && ' The list below may be out of date.'}
        </p>
      )}
      {list.snapshots === null ? (
        !list.error && <p className="muted small">Loading history…</p>
      ) : list.snapshots.length === 0 ? (
        <p className="muted small">
          No snapshots yet. Save one before a planning session or a review; the server also keeps one automatically when
          the board rests after changes.
        </p>
      ) : (
        <>
          {automatic > 0 && (
            <label className="snapshot-toggle small">
              <input type="checkbox" checked={showAutomatic} onChange={(e) => setShowAutomatic(e.target.checked)} />
              Show automatic snapshots ({automatic})
            </label>
          )}
          <ul className="snapshots" aria-label="Snapshots">
            {shown.map((s) => (
              <li
                key={s.id}
                className={`snapshot${s.id === viewingId ? ' viewing' : ''}`}
                data-snapshot-id={s.id}
                data-kind={s.kind}
              >
                <div className="snapshot-name">{s.name}</div>
                <div className="snapshot-meta small muted">
                  {KIND_TEXT[s.kind]} · <time dateTime={s.createdAt}>{snapshotDate(s)}</time>
                  {s.id === viewingId && ' · on the canvas'}
                </div>
                {confirming?.id === s.id && confirming.action === 'restore' ? (
                  <RestoreConfirm busy={busy} onRestore={() => void restore(s)} onCancel={() => setConfirming(null)} />
                ) : confirming?.id === s.id ? (
                  <Confirm
                    label="Confirm delete"
                    question={`Delete “${s.name}” from the board’s history for everyone? This cannot be undone.`}
                    action="Delete"
                    busy={busy}
                    onConfirm={() => void remove(s)}
                    onCancel={() => setConfirming(null)}
                  />
                ) : (
                  <div className="snapshot-actions">
                    <button
                      type="button"
                      aria-pressed={s.id === viewingId}
                      onClick={() => onView(s.id === viewingId ? null : s)}
                    >
                      View
                    </button>
                    <button
                      type="button"
                      aria-pressed={s.id === comparingId}
                      onClick={() => onCompare(s.id === comparingId ? null : s)}
                    >
                      Changes since
                    </button>
                    {canEdit && (
                      <>
                        <button type="button" onClick={() => setConfirming({ id: s.id, action: 'restore' })}>
                          Restore…
                        </button>
                        {s.kind === 'named' && (
                          <button type="button" onClick={() => setConfirming({ id: s.id, action: 'delete' })}>
                            Delete…
                          </button>
                        )}
                      </>
                    )}
                  </div>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </aside>
  )
}

/**
 * A question before an action that touches everyone's board, with the way out focused so a stray
 * Enter never does it; Escape cancels.
 */
function Confirm({
  label,
  question,
  action,
  busy,
  onConfirm,
  onCancel,
  inline = false,
}: {
  label: string
  question: string
  action: string
  busy: boolean
  onConfirm(): void
  onCancel(): void
  /** In the banner: one line. */
  inline?: boolean
}) {
  const cancel = useRef<HTMLButtonElement>(null)
  useEffect(() => cancel.current?.focus(), [])
  return (
    <div
      className={inline ? 'snapshot-banner-actions' : 'snapshot-confirm'}
      role="group"
      aria-label={label}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel()
      }}
    >
      <p className="small">{question}</p>
      <div className="snapshot-actions">
        <button type="button" className="primary" disabled={busy} onClick={onConfirm}>
          {action}
        </button>
        <button type="button" ref={cancel} disabled={busy} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  )
}

/** "Restore for everyone?": used by the history list and the snapshot view's banner. */
export function RestoreConfirm({
  busy,
  onRestore,
  onCancel,
  inline = false,
}: {
  busy: boolean
  onRestore(): void
  onCancel(): void
  inline?: boolean
}) {
  return (
    <Confirm
      label="Confirm restore"
      question="Restore the board to this version for everyone? Nothing is lost: the board as it is now is saved first."
      action="Restore"
      busy={busy}
      onConfirm={onRestore}
      onCancel={onCancel}
      inline={inline}
    />
  )
}
