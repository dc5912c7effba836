/**
 * The board's structured scope, recomputed from the local store shortly after the document
 * changes. It is computed in the browser, so the outline and the exports work offline too.
 */
import { useEffect, useState } from 'react'
import type { Editor } from 'tldraw'
import { extractScope } from '../../../shared/scope/index.ts'
import type { CommentThread } from '../../../shared/comments/model.ts'
import type { FocusRef, Scope } from '../../../shared/scope/types.ts'

/** Coalesces a burst of edits (a drag, typing) into one recomputation. */
export const SCOPE_RECOMPUTE_MS = 150

/** `focus` is the sprint focus the board serves, as the server says (null for none). */
export function computeScope(
  editor: Editor,
  board: { id: string; title: string },
  threads: CommentThread[] = [],
  focus: FocusRef | null = null,
): Scope {
  return extractScope({ records: editor.store.allRecords(), board, focus, threads })
}

export function useLiveScope(
  editor: Editor | null,
  boardId: string,
  title: string,
  threads: CommentThread[],
  focus: FocusRef | null = null,
): Scope | null {
  const [scope, setScope] = useState<Scope | null>(null)
  useEffect(() => {
    if (!editor) {
      setScope(null)
      return
    }
    const board = { id: boardId, title }
    const compute = () => setScope(computeScope(editor, board, threads, focus))
    compute()
    let timer: ReturnType<typeof setTimeout> | undefined
    const stop = editor.store.listen(
      () => {
        clearTimeout(timer)
        timer = setTimeout(compute, SCOPE_RECOMPUTE_MS)
      },
      { scope: 'document' },
    )
    return () => {
      stop()
      clearTimeout(timer)
    }
  }, [editor, boardId, title, threads, focus])
  return scope
}
