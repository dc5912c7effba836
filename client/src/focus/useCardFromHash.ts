/**
 * `/b/<boardId>#card=<cardId>` opens the board with that card selected and in view: the focus
 * roll-up links every item to its card this way. A board that is still syncing may not hold the
 * card yet, so the link waits for it (up to CARD_LINK_WAIT_MS) rather than giving up at once.
 */
import { useEffect } from 'react'
import type { Editor, TLShapeId } from 'tldraw'
import { CARD_LINK_WAIT_MS } from '../config.ts'
import { jumpTo } from '../panels/OutlinePanel.tsx'

/** The card id a location hash names, or null. */
export function cardIdFromHash(hash: string): string | null {
  const value = new URLSearchParams(hash.replace(/^#/, '')).get('card')
  return value ? value.replace(/^shape:/, '') : null
}

export function useCardFromHash(editor: Editor | null): void {
  useEffect(() => {
    if (!editor) return
    let stop = () => {}
    const follow = () => {
      stop()
      const cardId = cardIdFromHash(location.hash)
      if (!cardId) return
      const shapeId = `shape:${cardId}` as TLShapeId
      let frame = 0
      // Jumps on the next frame: from inside a store listener, and once the canvas has its size.
      const jump = () => {
        frame = requestAnimationFrame(() => jumpTo(editor, [cardId]))
      }
      if (editor.getShape(shapeId)) {
        jump()
        stop = () => cancelAnimationFrame(frame)
        return
      }
      const unlisten = editor.store.listen(
        () => {
          if (!editor.getShape(shapeId)) return
          done()
          jump()
        },
        { scope: 'document' },
      )
      const timer = setTimeout(() => done(), CARD_LINK_WAIT_MS)
      const done = () => {
        unlisten()
        clearTimeout(timer)
      }
      stop = () => {
        done()
        cancelAnimationFrame(frame)
      }
    }
    follow()
    window.addEventListener('hashchange', follow)
    return () => {
      window.removeEventListener('hashchange', follow)
      stop()
    }
  }, [editor])
}

/**
 * A board opened without a card link shows what is on it: its content in view, at 100% at most,
 * rather than wherever the page's origin happens to be (cards half under the menus).
 */
export function useContentInViewOnOpen(editor: Editor | null): void {
  useEffect(() => {
    if (!editor || cardIdFromHash(location.hash)) return
    const frame = requestAnimationFrame(() => {
      const bounds = editor.getCurrentPageBounds()
      if (!bounds) return
      editor.updateViewportScreenBounds(editor.getContainer())
      editor.zoomToBounds(bounds, { targetZoom: 1, immediate: true })
    })
    return () => cancelAnimationFrame(frame)
  }, [editor])
}
