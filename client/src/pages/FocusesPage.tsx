/**
 * `/focuses`: every sprint focus, grouped by sprint, with a form to create one and an edit form
 * on each. A focus links to its roll-up; deleting one that boards link to asks before unlinking
 * them (boards are never deleted). Workspace only, like the focus API.
 */
import { useCallback, useEffect, useState } from 'react'
import { FOCUS_STATUS_LABEL, focusPath, type FocusWithBoards } from '../../../shared/focus/model.ts'
import { api, ApiError } from '../api.ts'
import { FocusForm } from '../components/FocusForm.tsx'
import { ProfileButton } from '../components/ProfileButton.tsx'
import { groupBySprint } from '../focus/groupBySprint.ts'
import '../focus/focus.css'

type ListState =
  | { kind: 'loading' }
  | { kind: 'loaded'; focuses: FocusWithBoards[] }
  | { kind: 'failed'; status: number | null; message: string }

export function FocusesPage() {
  const [list, setList] = useState<ListState>({ kind: 'loading' })
  const [creating, setCreating] = useState(false)
  const [editing, setEditing] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(() => {
    api.listFocuses().then(
      (focuses) => setList({ kind: 'loaded', focuses }),
      (e: Error) => setList({ kind: 'failed', status: e instanceof ApiError ? e.status : null, message: e.message }),
    )
  }, [])
  useEffect(() => {
    document.title = 'Sprint focuses · Scopeboard'
    load()
  }, [load])

  const remove = async (focus: FocusWithBoards) => {
    setError(null)
    const n = focus.boardIds.length
    const question = n
      ? `Delete "${focus.title}"? ${n} ${n === 1 ? 'board links' : 'boards link'} to it and will be unlinked (the boards stay).`
      : `Delete "${focus.title}"?`
    if (!window.confirm(question)) return
    try {
      await api.deleteFocus(focus.id, n > 0)
      load()
    } catch (e) {
      setError((e as Error).message)
    }
  }

  const focuses = list.kind === 'loaded' ? list.focuses : []
  const sprints = [...new Set(focuses.map((f) => f.sprint))]

  return (
    <main className="page focuses-page">
      <header className="home-header">
        <h1>
          <a className="logo" href="/" aria-label="All boards">
            ▦
          </a>{' '}
          Sprint focuses
        </h1>
        <ProfileButton />
      </header>
      <p className="lede">
        What each sprint is about, the goal, how you will know, and the strategy it serves. Link boards to a focus from
        their header; its page rolls up every linked board.
      </p>

      {list.kind === 'loading' && <p className="muted">Loading focuses…</p>}
      {list.kind === 'failed' && (
        <p className="error" role="alert">
          {list.status === 401
            ? 'Sign in first: open the sign-in link the server printed when it started.'
            : list.status === 403
              ? 'Focuses need the workspace sign-in; a share link opens its own board only.'
              : `Could not load the focuses: ${list.message}`}
        </p>
      )}
      {list.kind === 'loaded' && (
        <>
          {creating ? (
            <FocusForm
              sprints={sprints}
              submitLabel="Create focus"
              onCancel={() => setCreating(false)}
              onSubmit={async (input) => {
                await api.createFocus(input)
                setCreating(false)
                load()
              }}
            />
          ) : (
            <p>
              <button type="button" className="primary" onClick={() => setCreating(true)}>
                New focus
              </button>
            </p>
          )}
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          {focuses.length === 0 && !creating && <p className="muted">No focus yet. Create the first one.</p>}
          {groupBySprint(focuses).map((group) => (
            <section key={group.sprint} className="sprint-group" aria-label={`Sprint ${group.sprint}`}>
              <h2>{group.sprint}</h2>
              <ul className="focus-list">
                {group.focuses.map((focus) => (
                  <li key={focus.id} data-testid="focus-item" data-focus-id={focus.id}>
                    {editing === focus.id ? (
                      <FocusForm
                        initial={focus}
                        sprints={sprints}
                        submitLabel="Save focus"
                        onCancel={() => setEditing(null)}
                        onSubmit={async (input) => {
                          await api.updateFocus(focus.id, input)
                          setEditing(null)
                          load()
                        }}
                      />
                    ) : (
                      <div className="focus-row">
                        <div className="focus-row-main">
                          <a className="board-title" href={focusPath(focus.id)}>
                            {focus.title}
                          </a>{' '}
                          <span className={`focus-status focus-status-${focus.status}`}>
                            {FOCUS_STATUS_LABEL[focus.status]}
                          </span>
                          <div className="muted small">
                            {[
                              focus.goal && `Goal: ${focus.goal}`,
                              focus.metric && `Metric: ${focus.metric}`,
                              focus.strategy ? `Strategy: ${focus.strategy}` : 'No strategy named',
                              (focus.startDate || focus.endDate) &&
                                `${focus.startDate ?? '…'} → ${focus.endDate ?? '…'}`,
                            ]
                              .filter(Boolean)
                              .join(' · ')}
                          </div>
                        </div>
                        <span className="muted small">
                          {focus.boardIds.length} {focus.boardIds.length === 1 ? 'board' : 'boards'}
                        </span>
                        <button type="button" onClick={() => setEditing(focus.id)}>
                          Edit
                        </button>
                        <button type="button" onClick={() => void remove(focus)}>
                          Delete
                        </button>
                      </div>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </>
      )}
    </main>
  )
}
