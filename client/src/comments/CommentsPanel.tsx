/**
 * Async review: every thread on the board, newest activity first, with replies, edit and delete of
 * one's own messages, resolve and reopen, "new since you last looked", and a jump to the anchor.
 */
import { useValue as useSignal } from '@tldraw/state-react'
import { useEffect, useRef, useState } from 'react'
import type { Editor, TLShapeId } from 'tldraw'
import type * as Y from 'yjs'
import {
  CommentError,
  createThread,
  deleteMessage,
  editMessage,
  isOrphaned,
  MAX_COMMENT_LENGTH,
  reply,
  setThreadStatus,
  type CommentAnchor,
  type CommentAuthor,
  type CommentThread,
} from '../../../shared/comments/model.ts'
import { CARD_TYPE, KIND_LABEL, type CardShape } from '../../../shared/scope/card.ts'
import { LOCAL_EDIT_ORIGIN } from '../sync/BoardSession.ts'
import { DISCIPLINE_LABEL, initials, profile } from '../user/profile.ts'
import { CommentBody } from './CommentBody.tsx'
import { useSeen } from './useThreads.ts'

export type ThreadFilter = 'open' | 'resolved' | 'all'

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

export interface CommentsPanelProps {
  boardId: string
  doc: Y.Doc
  editor: Editor | null
  threads: CommentThread[]
  canComment: boolean
  /** The thread to show expanded (from a pin), or a new comment's anchor. */
  focus: { kind: 'thread'; threadId: string } | { kind: 'new'; anchor: CommentAnchor } | null
  onFocusDone(): void
}

function me(): CommentAuthor {
  const p = profile.get()
  return { id: p.id, name: p.name, color: p.color, discipline: p.discipline }
}

export function anchorLabel(editor: Editor | null, anchor: CommentAnchor): string {
  if (anchor.kind === 'point') return 'A point on the canvas'
  const shape = editor?.getShape(anchor.shapeId as TLShapeId)
  if (!shape) return 'A deleted shape'
  if (shape.type === CARD_TYPE) {
    const card = shape as CardShape
    return `${KIND_LABEL[card.props.kind]}: ${card.props.title || 'untitled'}`
  }
  return shape.type === 'frame' ? 'A frame' : shape.type === 'arrow' ? 'An arrow' : `A ${shape.type} sketch`
}

function jumpToAnchor(editor: Editor | null, anchor: CommentAnchor) {
  if (!editor) return
  if (anchor.kind === 'point') {
    if (anchor.pageId !== editor.getCurrentPageId()) editor.setCurrentPage(anchor.pageId as never)
    editor.centerOnPoint({ x: anchor.x, y: anchor.y }, { animation: { duration: 250 } })
    return
  }
  const id = anchor.shapeId as TLShapeId
  const shape = editor.getShape(id)
  if (!shape) return
  const pageId = editor.getAncestorPageId(shape)
  if (pageId && pageId !== editor.getCurrentPageId()) editor.setCurrentPage(pageId)
  editor.select(id)
  const bounds = editor.getShapePageBounds(id)
  if (bounds) editor.centerOnPoint(bounds.center, { animation: { duration: 250 } })
}

export function CommentsPanel({ boardId, doc, editor, threads, canComment, focus, onFocusDone }: CommentsPanelProps) {
  const [filter, setFilter] = useState<ThreadFilter>('open')
  const [expanded, setExpanded] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const myId = useSignal(profile).id
  const { isNew, markSeen } = useSeen(boardId)
  const shapeExists = (id: string) => Boolean(editor?.getShape(id as TLShapeId))

  useEffect(() => {
    if (focus?.kind !== 'thread') return
    const thread = threads.find((t) => t.id === focus.threadId)
    if (thread && thread.status === 'resolved' && filter === 'open') setFilter('all')
    setExpanded(focus.threadId)
    onFocusDone()
  }, [focus, threads, filter, onFocusDone])

  /** Runs a change; false (with the reason shown) when it was refused, so nothing typed is lost. */
  const act = (fn: () => void): boolean => {
    try {
      setError(null)
      fn()
      return true
    } catch (e) {
      setError(e instanceof CommentError ? e.message : String(e))
      return false
    }
  }

  const shown = threads.filter((t) => filter === 'all' || t.status === filter)
  const counts = {
    open: threads.filter((t) => t.status === 'open').length,
    resolved: threads.filter((t) => t.status === 'resolved').length,
  }

  return (
    <aside className="side-panel comments" aria-label="Comments">
      <div className="comments-tabs" role="tablist" aria-label="Which threads">
        {(['open', 'resolved', 'all'] as const).map((f) => (
          <button
            key={f}
            role="tab"
            aria-selected={filter === f}
            className={filter === f ? 'active' : ''}
            onClick={() => setFilter(f)}
          >
            {f === 'open' ? `Open (${counts.open})` : f === 'resolved' ? `Resolved (${counts.resolved})` : 'All'}
          </button>
        ))}
      </div>
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
      {focus?.kind === 'new' && canComment && (
        <Composer
          label={`New comment on ${anchorLabel(editor, focus.anchor).toLowerCase()}`}
          submitLabel="Comment"
          autoFocus
          onCancel={onFocusDone}
          onSubmit={(body) =>
            act(() => {
              const id = createThread(doc, { anchor: focus.anchor, body, author: me() }, LOCAL_EDIT_ORIGIN)
              setFilter((f) => (f === 'resolved' ? 'open' : f))
              setExpanded(id)
              onFocusDone()
            })
          }
        />
      )}
      {shown.length === 0 && focus?.kind !== 'new' && (
        <p className="muted small">
          {filter === 'resolved' ? 'No resolved threads.' : 'No open threads.'}{' '}
          {canComment && filter !== 'resolved' && 'Select a shape and press “Comment”, or use “New comment” above.'}
        </p>
      )}
      <ul className="threads" aria-label="Comment threads">
        {shown.map((thread) => {
          const open = expanded === thread.id
          const orphaned = isOrphaned(thread, shapeExists)
          const fresh = isNew(thread, myId)
          return (
            <li
              key={thread.id}
              className={`thread ${thread.status}`}
              data-thread-id={thread.id}
              data-status={thread.status}
            >
              <button
                type="button"
                className="thread-head"
                aria-expanded={open}
                onClick={() => {
                  setExpanded(open ? null : thread.id)
                  markSeen(thread)
                }}
              >
                <span className="thread-anchor">{anchorLabel(editor, thread.anchor)}</span>
                {fresh && <span className="badge badge-new">New</span>}
                {orphaned && (
                  <span
                    className="badge badge-orphaned"
                    title="The shape this thread was on has been deleted; the thread is kept."
                  >
                    Orphaned
                  </span>
                )}
                {thread.status === 'resolved' && <span className="badge">Resolved</span>}
                <span className="thread-preview">
                  {thread.messages[0].author.name}: {thread.messages[0].body.slice(0, 90)}
                </span>
                <span className="muted small">
                  {thread.messages.length} {thread.messages.length === 1 ? 'message' : 'messages'} ·{' '}
                  {timeFormat.format(new Date(thread.lastActivityAt))}
                </span>
              </button>
              {open && (
                <Thread
                  thread={thread}
                  myId={myId}
                  canComment={canComment}
                  orphaned={orphaned}
                  onJump={() => jumpToAnchor(editor, thread.anchor)}
                  onReply={(body) => act(() => reply(doc, thread.id, { body, author: me() }, LOCAL_EDIT_ORIGIN))}
                  onEdit={(messageId, body) =>
                    act(() => editMessage(doc, thread.id, messageId, { body, authorId: myId }, LOCAL_EDIT_ORIGIN))
                  }
                  onDelete={(messageId) =>
                    act(() => deleteMessage(doc, thread.id, messageId, { authorId: myId }, LOCAL_EDIT_ORIGIN))
                  }
                  onStatus={(status) =>
                    act(() => setThreadStatus(doc, thread.id, status, { author: me() }, LOCAL_EDIT_ORIGIN))
                  }
                  onSeen={() => markSeen(thread)}
                />
              )}
            </li>
          )
        })}
      </ul>
    </aside>
  )
}

interface ThreadProps {
  thread: CommentThread
  myId: string
  canComment: boolean
  orphaned: boolean
  onJump(): void
  onReply(body: string): boolean
  onEdit(messageId: string, body: string): boolean
  onDelete(messageId: string): void
  onStatus(status: 'open' | 'resolved'): void
  onSeen(): void
}

function Thread({
  thread,
  myId,
  canComment,
  orphaned,
  onJump,
  onReply,
  onEdit,
  onDelete,
  onStatus,
  onSeen,
}: ThreadProps) {
  const [editing, setEditing] = useState<string | null>(null)
  // Reading an expanded thread counts as looking at it, also when replies arrive while it is open.
  useEffect(onSeen, [thread.lastActivityAt, onSeen])
  return (
    <div className="thread-body">
      <div className="thread-actions">
        {!orphaned && (
          <button type="button" onClick={onJump}>
            Show on board
          </button>
        )}
        {canComment &&
          (thread.status === 'open' ? (
            <button type="button" onClick={() => onStatus('resolved')}>
              Resolve
            </button>
          ) : (
            <button type="button" onClick={() => onStatus('open')}>
              Reopen
            </button>
          ))}
      </div>
      <ol className="messages">
        {thread.messages.map((m) => (
          <li key={m.id} className="message" data-message-id={m.id}>
            <div className="message-head">
              <span className="avatar avatar-small" style={{ background: m.author.color }} aria-hidden>
                {initials(m.author.name)}
              </span>
              <strong>{m.author.name}</strong>
              <span className={`discipline-tag discipline-tag-${m.author.discipline}`}>
                {DISCIPLINE_LABEL[m.author.discipline]}
              </span>
              <span className="muted small">
                {timeFormat.format(new Date(m.createdAt))}
                {m.editedAt && !m.deletedAt && ' · edited'}
              </span>
            </div>
            {m.deletedAt ? (
              <p className="comment-body muted">Message deleted</p>
            ) : editing === m.id ? (
              <Composer
                label="Edit message"
                initial={m.body}
                submitLabel="Save"
                autoFocus
                onCancel={() => setEditing(null)}
                onSubmit={(body) => {
                  const saved = onEdit(m.id, body)
                  if (saved) setEditing(null)
                  return saved
                }}
              />
            ) : (
              <CommentBody text={m.body} />
            )}
            {canComment && m.author.id === myId && !m.deletedAt && editing !== m.id && (
              <div className="message-actions">
                <button type="button" className="link-button" onClick={() => setEditing(m.id)}>
                  Edit
                </button>
                <button type="button" className="link-button" onClick={() => onDelete(m.id)}>
                  Delete
                </button>
              </div>
            )}
          </li>
        ))}
      </ol>
      {canComment && <Composer label="Reply" submitLabel="Reply" onSubmit={onReply} />}
    </div>
  )
}

function Composer({
  label,
  submitLabel,
  initial = '',
  autoFocus,
  onSubmit,
  onCancel,
}: {
  label: string
  submitLabel: string
  initial?: string
  autoFocus?: boolean
  /** Returns false when the text was not accepted; it then stays in the box. */
  onSubmit(body: string): boolean
  onCancel?(): void
}) {
  const [body, setBody] = useState(initial)
  const ref = useRef<HTMLTextAreaElement>(null)
  useEffect(() => {
    if (autoFocus) ref.current?.focus()
  }, [autoFocus])
  const submit = () => {
    if (!body.trim()) return
    if (onSubmit(body)) setBody('')
  }
  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault()
        submit()
      }}
    >
      <textarea
        ref={ref}
        aria-label={label}
        placeholder={label}
        value={body}
        rows={2}
        maxLength={MAX_COMMENT_LENGTH}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
            e.preventDefault()
            submit()
          }
          if (e.key === 'Escape' && onCancel) onCancel()
        }}
      />
      <div className="composer-actions">
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" disabled={!body.trim()}>
          {submitLabel}
        </button>
      </div>
    </form>
  )
}
