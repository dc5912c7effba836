import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { decodePathSegment, parseBoardId, parseFocusId } from '../../shared/ids.ts'
import { BoardPage } from './pages/BoardPage.tsx'
import { FocusesPage } from './pages/FocusesPage.tsx'
import { FocusPage } from './pages/FocusPage.tsx'
import { HomePage } from './pages/HomePage.tsx'
import { MessagePage } from './pages/MessagePage.tsx'
import './styles.css'

function route() {
  const path = location.pathname
  if (path === '/') return <HomePage />
  const board = path.match(/^\/b\/([^/]+)\/?$/)
  if (board) {
    const id = parseBoardId(decodePathSegment(board[1]))
    return id ? (
      <BoardPage boardId={id} />
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
