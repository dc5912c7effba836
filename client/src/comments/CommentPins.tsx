/**
 * A pin per open thread, on the canvas in page space: it sits at the top-right corner of the
 * shape it is anchored to and follows the shape when it moves.
 */
import { useEditor, useValue, type TLShapeId } from 'tldraw'
import type { CommentThread } from '../../../shared/comments/model.ts'
import { useCommentsUi } from './CommentsContext.ts'

export function CommentPins() {
  const ui = useCommentsUi()
  if (!ui) return null
  // Several threads on one anchor share a pin that shows their count.
  const groups = new Map<string, CommentThread[]>()
  for (const thread of ui.threads) {
    if (thread.status !== 'open') continue
    const key = thread.anchor.kind === 'shape' ? thread.anchor.shapeId : `point:${thread.id}`
    groups.set(key, [...(groups.get(key) ?? []), thread])
  }
  return (
    <>
      {[...groups.entries()].map(([key, threads]) => (
        <Pin key={key} threads={threads} onOpen={() => ui.focusThread(threads[0].id)} />
      ))}
    </>
  )
}

function Pin({ threads, onOpen }: { threads: CommentThread[]; onOpen(): void }) {
  const editor = useEditor()
  const anchor = threads[0].anchor
  const position = useValue(
    'pin position',
    () => {
      if (anchor.kind === 'point') {
        return anchor.pageId === editor.getCurrentPageId() ? { x: anchor.x, y: anchor.y } : null
      }
      const shape = editor.getShape(anchor.shapeId as TLShapeId)
      if (!shape || editor.getAncestorPageId(shape) !== editor.getCurrentPageId()) return null
      const bounds = editor.getShapePageBounds(shape)
      return bounds ? { x: bounds.maxX, y: bounds.minY } : null
    },
    [editor, anchor],
  )
  const zoom = useValue('zoom', () => editor.getZoomLevel(), [editor])
  if (!position) return null
  const label = `${threads.length} open comment ${threads.length === 1 ? 'thread' : 'threads'}`
  return (
    <button
      type="button"
      className="comment-pin"
      data-testid="comment-pin"
      data-anchor={anchor.kind === 'shape' ? anchor.shapeId : 'point'}
      aria-label={label}
      title={`${label}: ${threads[0].messages[0].body.slice(0, 80)}`}
      // Page space: undo the zoom so the pin keeps its size on screen; its pointed corner sits just
      // outside the shape's top-right corner, clear of the selection handles.
      style={{
        transform: `translate(${position.x}px, ${position.y}px) scale(${1 / zoom}) translate(6px, -100%) translateY(-6px)`,
      }}
      onPointerDown={(e) => e.stopPropagation()}
      onClick={onOpen}
    >
      {threads.length}
    </button>
  )
}
