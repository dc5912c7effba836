/**
 * The board's history: save the board as it is under a name ("Sprint planning"), and for every
 * snapshot — named, automatic, or the backup a restore took — look at it, compare the scope with
 * it, or restore it (edit role). A restore is a new change on top: the board as it was just
 * before is saved first, so a restore can itself be undone.
 */
import { useState } from 'react'
import { api, type SnapshotInfo } from '../api.ts'
import { KIND_TEXT, snapshotDate } from './snapshotDoc.ts'
import { historyError, type SnapshotList } from './useSnapshots.ts'

/** The server's limit on a snapshot's name (MAX_SNAPSHOT_NAME_LENGTH). */
const MAX_NAME_LENGTH = 100

export interface HistoryPanelProps {
  boardId: string
  list: SnapshotList
  canEdit: boolean
  /** The snapshot on the canvas, if any. */
  viewingId: string | null
  comparingId: string | null
  onView(snapshot: SnapshotInfo): void
  onCompare(snapshot: SnapshotInfo): void
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
  const [confirming, setConfirming] = useState<string | null>(null)

  const save = async () => {
    const trimmed = name.replace(/\s+/g, ' ').trim()
    if (!trimmed) return
    setBusy(true)
    setError(null)
    try {
      const snapshot = await api.createSnapshot(boardId, trimmed)
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
    try {
      await onRestore(snapshot)
      setConfirming(null)
      setNotice(`Restored “${snapshot.name}”. The board as it was is saved as a snapshot just above.`)
    } catch (e) {
      setError(historyError(e as Error))
    } finally {
      setBusy(false)
    }
  }

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
              maxLength={MAX_NAME_LENGTH}
              placeholder="e.g. Sprint planning"
              onChange={(e) => setName(e.target.value)}
            />
            <button type="submit" className="primary" disabled={busy || !name.trim()}>
              Save snapshot
            </button>
          </div>
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
        <ul className="snapshots" aria-label="Snapshots">
          {list.snapshots.map((s) => (
            <li
              key={s.id}
              className={`snapshot${s.id === viewingId ? ' viewing' : ''}`}
              data-snapshot-id={s.id}
              data-kind={s.kind}
            >
              <div className="snapshot-name">{s.name}</div>
              <div className="snapshot-meta small muted">
                {KIND_TEXT[s.kind]} · <time dateTime={s.createdAt}>{snapshotDate(s)}</time>
              </div>
              {confirming === s.id ? (
                <div className="snapshot-confirm" role="group" aria-label="Confirm restore">
                  <p className="small">
                    Restore the board to this version for everyone? Nothing is lost: the board as it is now is saved
                    first.
                  </p>
                  <div className="snapshot-actions">
                    <button type="button" className="primary" disabled={busy} onClick={() => void restore(s)}>
                      Restore
                    </button>
                    <button type="button" disabled={busy} onClick={() => setConfirming(null)}>
                      Cancel
                    </button>
                  </div>
                </div>
              ) : (
                <div className="snapshot-actions">
                  <button type="button" aria-pressed={s.id === viewingId} onClick={() => onView(s)}>
                    {s.id === viewingId ? 'Viewing' : 'View'}
                  </button>
                  <button type="button" aria-pressed={s.id === comparingId} onClick={() => onCompare(s)}>
                    Changes since
                  </button>
                  {canEdit && (
                    <button type="button" onClick={() => setConfirming(s.id)}>
                      Restore…
                    </button>
                  )}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </aside>
  )
}
