import { lazy, StrictMode, Suspense } from 'react'
import { createRoot } from 'react-dom/client'
import { decodePathSegment, parseBoardId, parseFocusId } from '../../shared/ids.ts'
import { PageBoundary } from './components/PageBoundary.tsx'
import { FocusesPage } from './pages/FocusesPage.tsx'
import { FocusPage } from './pages/FocusPage.tsx'
import { HomePage } from './pages/HomePage.tsx'
import { MessagePage } from './pages/MessagePage.tsx'
import './styles.css'

// The board page carries tldraw and the canvas (most of the app's code): loaded only on a board,
// so the board list and the focus pages open at once.
const BoardPage = lazy(() => import('./pages/BoardPage.tsx').then((module) => ({ default: module.BoardPage })))

function route() {
  const path = location.pathname
  if (path === '/') return <HomePage />
  const board = path.match(/^\/b\/([^/]+)\/?$/)
  if (board) {
    const id = parseBoardId(decodePathSegment(board[1]))
    return id ? (
      <PageBoundary>
        <Suspense fallback={<p className="page muted">Opening board…</p>}>
          <BoardPage boardId={id} />
        </Suspense>
      </PageBoundary>
    ) : (
      <MessagePage title="That is not a board link" body="Board ids are letters, digits, “-” and “_”." />
    )
  }
  if (/^\/focuses\/?$/.test(path)) return <FocusesPage />
  const focus = path.match(/^\/f\/([^/]+)\/?$/)
  if (focus) {
    const id = parseFocusId(decodePathSegment(focus[1]))
    return id ? (
      <FocusPage focusId={id} />
    ) : (
      <MessagePage title="That is not a focus link" body="Focus ids are letters, digits, “-” and “_”." />
    )
  }
  return <MessagePage title="Nothing here" body="This page does not exist." />
}

createRoot(document.getElementById('root')!).render(<StrictMode>{route()}</StrictMode>)
