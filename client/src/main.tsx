import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { parseBoardId } from '../../shared/ids.ts'
import { BoardPage } from './pages/BoardPage.tsx'
import { HomePage } from './pages/HomePage.tsx'
import { MessagePage } from './pages/MessagePage.tsx'
import './styles.css'

function route() {
  const path = location.pathname
  if (path === '/') return <HomePage />
  const board = path.match(/^\/b\/([^/]+)\/?$/)
  if (board) {
    const id = parseBoardId(decodeURIComponent(board[1]))
    return id ? (
      <BoardPage boardId={id} />
    ) : (
      <MessagePage title="That is not a board link" body="Board ids are letters, digits, “-” and “_”." />
    )
  }
  if (/^\/f\/[^/]+\/?$/.test(path)) {
    return (
      <MessagePage
        title="Sprint focus pages are not here yet"
        body="Boards work today; focus roll-ups are on the way."
      />
    )
  }
  return <MessagePage title="Nothing here" body="This page does not exist." />
}

createRoot(document.getElementById('root')!).render(<StrictMode>{route()}</StrictMode>)
