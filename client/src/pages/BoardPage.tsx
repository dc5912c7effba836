import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { computed } from '@tldraw/state'
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import {
  createTLCurrentUser,
  createTLStore,
  defaultBindingUtils,
  defaultShapeUtils,
  Tldraw,
  type Editor,
  type TLComponents,
  type TLUserId,
  type TLUserPreferences,
} from 'tldraw'
import 'tldraw/tldraw.css'
import type { BoardId } from '../../../shared/ids.ts'
import { CardShapeUtil } from '../cards/CardShapeUtil.tsx'
import { CardQuickActions, CardToolbar, cardOverrides } from '../cards/cardUi.tsx'
import '../cards/cards.css'
import { BoardHeader } from '../components/BoardHeader.tsx'
import { FocusChip } from '../components/FocusChip.tsx'
import { useBoardFocus } from '../focus/useBoardFocus.ts'
import { useCardFromHash } from '../focus/useCardFromHash.ts'
import { PanelBoundary } from '../components/PanelBoundary.tsx'
import { ShareButton } from '../components/ShareDialog.tsx'
import { accessFor, resolveBoardRole } from '../sync/useBoardAccess.ts'
import { CommentPins } from '../comments/CommentPins.tsx'
import { CommentsContext, type CommentsUi } from '../comments/CommentsContext.ts'
import { CommentsPanel, type CommentsPanelProps } from '../comments/CommentsPanel.tsx'
import '../comments/comments.css'
import { useThreads } from '../comments/useThreads.ts'
import { ExportMenu } from '../panels/ExportMenu.tsx'
import { Inspector } from '../panels/Inspector.tsx'
import { OutlinePanel } from '../panels/OutlinePanel.tsx'
import { useLiveScope } from '../scope/useLiveScope.ts'
import { focusRef } from '../../../shared/focus/model.ts'
import { licenseKey } from '../config.ts'
import { BoardSession, INITIAL_SNAPSHOT } from '../sync/BoardSession.ts'
import { profile, updateProfile } from '../user/profile.ts'

// Fonts, icons and translations come from our own server, never a CDN.
const assetUrls = getAssetUrlsByImport()

const PREFS_KEY = 'scopeboard:tldraw-preferences'

const shapeUtils = [...defaultShapeUtils, CardShapeUtil]

const components: TLComponents = {
  // The header shows who is here (with their discipline) and follows them on click.
  SharePanel: null,
  Toolbar: CardToolbar,
  InFrontOfTheCanvas: CardQuickActions,
  OnTheCanvas: CommentPins,
}

/** tldraw's own preferences (dark mode, snapping…) kept per browser; name and colour are the profile's. */
function createCurrentUser() {
  let extra: Partial<TLUserPreferences> = {}
  try {
    extra = JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}') as Partial<TLUserPreferences>
  } catch {
    extra = {}
  }
  const prefs = computed<TLUserPreferences>('user preferences', () => {
    const p = profile.get()
    return { ...extra, id: p.id, name: p.name, color: p.color }
  })
  return createTLCurrentUser({
    userPreferences: prefs,
    setUserPreferences: ({ id: _id, name, color, ...rest }) => {
      void _id
      extra = rest
      try {
        localStorage.setItem(PREFS_KEY, JSON.stringify(rest))
      } catch {
        // Preferences then last for this page only.
      }
      if ((name && name !== profile.get().name) || (color && color !== profile.get().color)) {
        updateProfile({ name: name ?? profile.get().name, color: color ?? profile.get().color, confirmed: true })
      }
    },
  })
}

function useBoardSession(boardId: BoardId): BoardSession | null {
  const [session, setSession] = useState<BoardSession | null>(null)
  useEffect(() => {
    const s = new BoardSession(
      boardId,
      (collaboration) => createTLStore({ shapeUtils, bindingUtils: defaultBindingUtils, collaboration }),
      () => resolveBoardRole(boardId),
    )
    setSession(s)
    return () => s.destroy()
  }, [boardId])
  return session
}

const noopSubscribe = () => () => undefined

export function BoardPage({ boardId }: { boardId: BoardId }) {
  const session = useBoardSession(boardId)
  const snapshot = useSyncExternalStore(
    session?.subscribe ?? noopSubscribe,
    session?.getSnapshot ?? (() => INITIAL_SNAPSHOT),
  )
  const user = useMemo(createCurrentUser, [])
  const [editor, setEditor] = useState<Editor | null>(null)

  useEffect(() => {
    document.title = snapshot.title ? `${snapshot.title} · Scopeboard` : 'Scopeboard'
  }, [snapshot.title])

  const { phase } = snapshot
  const [outlineOpen, setOutlineOpen] = useState(() => window.innerWidth >= 900)
  const [commentsOpen, setCommentsOpen] = useState(false)
  const [commentsFocus, setCommentsFocus] = useState<CommentsPanelProps['focus']>(null)
  const title = snapshot.title ?? ''
  const threads = useThreads(session?.doc ?? null)
  const boardFocus = useBoardFocus(boardId)
  // The scope carries the focus so its "no-sprint-focus" check and the exports match the server's.
  const focus = useMemo(() => (boardFocus.focus ? focusRef(boardFocus.focus) : null), [boardFocus.focus])
  const scope = useLiveScope(outlineOpen ? editor : null, boardId, title, threads, focus)
  useCardFromHash(editor)
  const access = snapshot.role ? accessFor(snapshot.role) : null
  const canEdit = access?.canEdit ?? false
  const canComment = access?.canComment ?? false
  useEffect(() => {
    // Roles other than edit see the canvas read-only; the server drops their canvas writes anyway.
    editor?.updateInstanceState({ isReadonly: !canEdit })
  }, [editor, canEdit])
  const clearFocus = useCallback(() => setCommentsFocus(null), [])

  const commentsUi = useMemo<CommentsUi>(
    () => ({
      threads,
      canComment,
      focusThread(threadId) {
        setCommentsOpen(true)
        setCommentsFocus({ kind: 'thread', threadId })
      },
      startComment(shapeId) {
        if (!editor) return
        const target = shapeId ?? editor.getSelectedShapeIds()[0]
        const center = editor.getViewportPageBounds().center
        setCommentsOpen(true)
        setCommentsFocus({
          kind: 'new',
          anchor: target
            ? { kind: 'shape', shapeId: target }
            : { kind: 'point', pageId: editor.getCurrentPageId(), x: center.x, y: center.y },
        })
      },
    }),
    [threads, canComment, editor],
  )
  const openCount = threads.filter((t) => t.status === 'open').length

  return (
    <div className="board-page">
      <BoardHeader
        snapshot={snapshot}
        onRename={canEdit ? (newTitle) => session?.setTitle(newTitle) : null}
        onFollow={editor && ((userId) => editor.startFollowingUser(userId as TLUserId))}
        context={
          <FocusChip boardId={boardId} focus={boardFocus.focus} role={snapshot.role} onLinked={boardFocus.set} />
        }
      >
        <button type="button" aria-pressed={outlineOpen} onClick={() => setOutlineOpen(!outlineOpen)}>
          Outline
        </button>
        <button
          type="button"
          aria-pressed={commentsOpen}
          data-testid="comments-button"
          onClick={() => setCommentsOpen(!commentsOpen)}
        >
          Comments{openCount > 0 && <span className="count-badge">{openCount}</span>}
        </button>
        {commentsOpen && canComment && editor && (
          <button type="button" onClick={() => commentsUi.startComment()}>
            New comment
          </button>
        )}
        <ExportMenu editor={editor} board={{ id: boardId, title }} threads={threads} focus={focus} />
        {access?.canShare && <ShareButton boardId={boardId} />}
        {access && !access.canEdit && (
          <span className="role-banner" data-testid="role-banner">
            {access.role === 'comment' ? 'Comment only' : 'View only'}
          </span>
        )}
      </BoardHeader>
      <div className="board-body">
        {outlineOpen && editor && (
          <PanelBoundary name="outline">
            <OutlinePanel editor={editor} scope={scope} />
          </PanelBoundary>
        )}
        <div className="board-canvas">
          {phase.kind === 'ready' ? (
            <CommentsContext.Provider value={commentsUi}>
              <Tldraw
                store={phase.store}
                shapeUtils={shapeUtils}
                overrides={cardOverrides}
                assetUrls={assetUrls}
                licenseKey={licenseKey()}
                user={user}
                components={components}
                onMount={(mounted) => {
                  setEditor(mounted)
                  return () => setEditor(null)
                }}
              />
            </CommentsContext.Provider>
          ) : (
            <div className="board-placeholder" data-testid="board-placeholder">
              {phase.kind === 'failed' ? (
                <div role="alert">
                  <h2>This board cannot be opened</h2>
                  <p>{phase.message}</p>
                  <p>
                    <a href="/">Back to your boards</a>
                  </p>
                </div>
              ) : phase.kind === 'waiting-for-server' && snapshot.connection.kind === 'offline' ? (
                <div role="alert">
                  <h2>Waiting for the server</h2>
                  <p>
                    This board has not been opened in this browser before, so there is no offline copy yet. It opens as
                    soon as the server answers.
                  </p>
                </div>
              ) : (
                <p className="muted">Opening board…</p>
              )}
            </div>
          )}
        </div>
        {commentsOpen && session ? (
          <PanelBoundary name="comments">
            <CommentsPanel
              boardId={boardId}
              doc={session.doc}
              editor={editor}
              threads={threads}
              canComment={canComment}
              focus={commentsFocus}
              onFocusDone={clearFocus}
            />
          </PanelBoundary>
        ) : (
          editor && (
            <PanelBoundary name="card details">
              <Inspector editor={editor} readOnly={!canEdit} />
            </PanelBoundary>
          )
        )}
      </div>
    </div>
  )
}
