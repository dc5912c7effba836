/** The board's comment threads, live from the Y.Doc (they sync and work offline like the canvas). */
import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { readThreads, type CommentThread } from '../../../shared/comments/model.ts'
import { COMMENTS_KEY } from '../../../shared/doc/layout.ts'

export function useThreads(doc: Y.Doc | null): CommentThread[] {
  const [threads, setThreads] = useState<CommentThread[]>([])
  useEffect(() => {
    if (!doc) return
    const map = doc.getMap(COMMENTS_KEY)
    const update = () => setThreads(readThreads(doc))
    update()
    map.observeDeep(update)
    return () => map.unobserveDeep(update)
  }, [doc])
  return threads
}

const SEEN_KEY = (boardId: string) => `scopeboard:comments-seen:${boardId}`

/** When this browser last looked at each thread, to flag what is new since. */
export function useSeen(boardId: string) {
  const [seen, setSeen] = useState<Record<string, string>>(() => {
    try {
      return JSON.parse(localStorage.getItem(SEEN_KEY(boardId)) ?? '{}') as Record<string, string>
    } catch {
      return {}
    }
  })
  const markSeen = (thread: CommentThread) => {
    if (seen[thread.id] === thread.lastActivityAt) return
    const next = { ...seen, [thread.id]: thread.lastActivityAt }
    setSeen(next)
    try {
      localStorage.setItem(SEEN_KEY(boardId), JSON.stringify(next))
    } catch {
      // Without storage, "new" marks last for this page only.
    }
  }
  const isNew = (thread: CommentThread, myId: string) => {
    const last = thread.messages[thread.messages.length - 1]
    return (seen[thread.id] ?? '') < thread.lastActivityAt && last?.author.id !== myId
  }
  return { isNew, markSeen }
}
