import { createContext, useContext } from 'react'
import type { CommentThread } from '../../../shared/comments/model.ts'

/** What the canvas overlays (pins, quick actions) need from the comments panel. */
export interface CommentsUi {
  threads: CommentThread[]
  canComment: boolean
  /** Opens the panel on this thread. */
  focusThread(threadId: string): void
  /** Opens the panel with a new comment anchored to these shapes (or the view's centre). */
  startComment(shapeId?: string): void
}

export const CommentsContext = createContext<CommentsUi | null>(null)

export function useCommentsUi(): CommentsUi | null {
  return useContext(CommentsContext)
}
