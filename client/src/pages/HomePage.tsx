import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { focusLabel, type FocusWithBoards } from '../../../shared/focus/model.ts'
import { api, ApiError, type BoardListItem } from '../api.ts'
import { ProfileButton } from '../components/ProfileButton.tsx'
import '../focus/focus.css'

type ListState =
  | { kind: 'loading' }
  | { kind: 'loaded'; boards: BoardListItem[]; focuses: Map<string, FocusWithBoards> }
  | { kind: 'signed-out'; message: string }
  | { kind: 'error'; message: string }

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

export function HomePage() {
  const [list, setList] = useState<ListState>({ kind: 'loading' })
  const [title, setTitle] = useState('')
  const [creating, setCreating] = useState(false)
  const [createError, setCreateError] = useState<string | null>(null)

  const load = useCallback(() => {
    api
      .session()
      .then((session) =>
        session.signedIn
          ? Promise.all([api.listBoards(), api.listFocuses().catch(() => [])])
          : Promise.reject(new ApiError(401, 'not signed in')),
      )
      .then(
        ([boards, focuses]) => setList({ kind: 'loaded', boards, focuses: new Map(focuses.map((f) => [f.id, f])) }),
        (error: Error) =>
          setList(
            error instanceof ApiError && error.status === 401
              ? { kind: 'signed-out', message: error.message }
              : { kind: 'error', message: error.message },
          ),
      )
  }, [])
  useEffect(load, [load])

  const create = async (event: FormEvent) => {
    event.preventDefault()
    setCreating(true)
    setCreateError(null)
    try {
      const board = await api.createBoard(title.trim() || 'Untitled board')
      location.assign(`/b/${board.id}`)
    } catch (error) {
      setCreateError((error as Error).message)
      setCreating(false)
    }
  }

  return (
    <main className="page">
      <header className="home-header">
        <h1>
          <span className="logo" aria-hidden>
            ▦
          </span>{' '}
          Scopeboard
        </h1>
        <nav className="home-nav">
          <a href="/focuses">Sprint focuses</a>
          <ProfileButton />
        </nav>
      </header>
      <p className="lede">Map sprint focus → problem → solution → edge cases together, then export the scope.</p>

      {list.kind === 'signed-out' && <SignIn />}
      {list.kind === 'error' && (
        <p className="error" role="alert">
          Could not load your boards: {list.message}. <button onClick={load}>Try again</button>
        </p>
      )}
      {list.kind === 'loading' && <p className="muted">Loading boards…</p>}
      {list.kind === 'loaded' && (
        <>
          <form className="create-board" onSubmit={create}>
            <label htmlFor="new-board-title">New board</label>
            <input
              id="new-board-title"
              placeholder="e.g. Checkout: declined cards"
              value={title}
              maxLength={200}
              onChange={(e) => setTitle(e.target.value)}
            />
            <button type="submit" disabled={creating}>
              {creating ? 'Creating…' : 'Create board'}
            </button>
            {createError && <span className="error">{createError}</span>}
          </form>
          {list.boards.length === 0 ? (
            <p className="muted">No boards yet. Create the first one above.</p>
          ) : (
            <ul className="board-list" aria-label="Your boards">
              {list.boards.map((board) => (
                <li key={board.id}>
                  <a href={`/b/${board.id}`}>
                    <span className="board-title">
                      {board.title}
                      {board.focusId && list.focuses.has(board.focusId) && (
                        <span className="board-focus">{focusLabel(list.focuses.get(board.focusId)!)}</span>
                      )}
                    </span>
                    <span className="muted">edited {dateFormat.format(new Date(board.updatedAt))}</span>
                  </a>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </main>
  )
}

function SignIn() {
  const [token, setToken] = useState('')
  const rejected = new URLSearchParams(location.search).has('token')
  return (
    <section className="sign-in" aria-label="Sign in">
      <h2>Sign in</h2>
      {rejected ? (
        <p className="error">That sign-in link was not accepted. Check that you copied all of it.</p>
      ) : (
        <p>
          Open the sign-in link the server printed when it started (<code>http://…/?token=…</code>), or paste the
          workspace token here.
        </p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (token.trim()) location.assign(`/?token=${encodeURIComponent(token.trim())}`)
        }}
      >
        <input
          aria-label="Workspace token"
          type="password"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          placeholder="Workspace token"
        />
        <button type="submit">Sign in</button>
      </form>
    </section>
  )
}
