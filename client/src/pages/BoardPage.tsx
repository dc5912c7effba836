import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { computed } from '@tldraw/state'
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react'
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
import { api, type SnapshotInfo } from '../api.ts'
import { ChangesSincePanel } from '../history/ChangesSince.tsx'
import { HistoryPanel } from '../history/HistoryPanel.tsx'
import '../history/history.css'
import { snapshotDate } from '../history/snapshotDoc.ts'
import { useChangesSince } from '../history/useChangesSince.ts'
import { useSnapshots } from '../history/useSnapshots.ts'
import { useSnapshotView, type CreateStore } from '../history/useSnapshotView.ts'
import { BoardSession, INITIAL_SNAPSHOT } from '../sync/BoardSession.ts'
import { profile, updateProfile } from '../user/profile.ts'

// Fonts, icons and translations come from our own server, never a CDN.
const assetUrls = getAssetUrlsByImport()

const PREFS_KEY = 'scopeboard:tldraw-preferences'

const shapeUtils = [...defaultShapeUtils, CardShapeUtil]

const createStore: CreateStore = (collaboration) =>
  createTLStore({ shapeUtils, bindingUtils: defaultBindingUtils, collaboration })

const components: TLComponents = {
  // The header shows who is here (with their discipline) and follows them on click.
  SharePanel: null,
  Toolbar: CardToolbar,
  InFrontOfTheCanvas: CardQuickActions,
  OnTheCanvas: CommentPins,
}

/** A snapshot on the canvas: read-only, without the card tools or today's comment pins. */
const snapshotComponents: TLComponents = { SharePanel: null }

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
    const s = new BoardSession(boardId, createStore, () => resolveBoardRole(boardId))
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
  // The panel on the right: comments, history, or (by default) the selected card's details.
  const [rightPanel, setRightPanel] = useState<'comments' | 'history' | null>(null)
  const commentsOpen = rightPanel === 'comments'
  const setCommentsOpen = useCallback((open: boolean) => setRightPanel(open ? 'comments' : null), [])
  const [commentsFocus, setCommentsFocus] = useState<CommentsPanelProps['focus']>(null)
  const liveTitle = snapshot.title ?? ''
  const liveThreads = useThreads(session?.doc ?? null)
  const history = useSnapshots(boardId)
  const snapshotView = useSnapshotView(boardId, history.snapshots, createStore)
  const viewing = snapshotView.view
  const changes = useChangesSince(boardId, history.snapshots)
  // While a snapshot is on the canvas, the outline, details and exports show that snapshot.
  const title = viewing ? (viewing.title ?? liveTitle) : liveTitle
  const threads = viewing ? viewing.threads : liveThreads
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
    // A snapshot is never edited: it is restored, or left alone.
    editor?.updateInstanceState({ isReadonly: !canEdit || viewing !== null })
  }, [editor, canEdit, viewing])
  const { reload: reloadHistory } = history
  const { close: closeSnapshot } = snapshotView
  const restore = useCallback(
    async (info: SnapshotInfo) => {
      await api.restoreSnapshot(boardId, info.id)
      reloadHistory()
      closeSnapshot()
    },
    [boardId, reloadHistory, closeSnapshot],
  )
  const clearFocus = useCallback(() => setCommentsFocus(null), [])

  const commentsUi = useMemo<CommentsUi>(
    () => ({
      threads: liveThreads,
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
    [liveThreads, canComment, editor, setCommentsOpen],
  )
  const openCount = liveThreads.filter((t) => t.status === 'open').length

  return (
    <div className="board-page">
      <BoardHeader
        snapshot={snapshot}
        onRename={canEdit ? (newTitle) => session?.setTitle(newTitle) : null}
        onFollow={editor && !viewing ? (userId) => editor.startFollowingUser(userId as TLUserId) : null}
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
        {commentsOpen && canComment && editor && !viewing && (
          <button type="button" onClick={() => commentsUi.startComment()}>
            New comment
          </button>
        )}
        <button
          type="button"
          aria-pressed={rightPanel === 'history'}
          data-testid="history-button"
          onClick={() => {
            if (rightPanel !== 'history') reloadHistory()
            setRightPanel(rightPanel === 'history' ? null : 'history')
          }}
        >
          History
        </button>
        <ExportMenu editor={editor} board={{ id: boardId, title }} threads={threads} focus={focus} />
        {access?.canShare && <ShareButton boardId={boardId} />}
        {access && !access.canEdit && (
          <span className="role-banner" data-testid="role-banner">
            {access.role === 'comment' ? 'Comment only' : 'View only'}
          </span>
        )}
      </BoardHeader>
      <div className="board-body">
        {/* The outline keeps its place while a canvas mounts, so the canvas never changes size under it. */}
        {outlineOpen && !editor && <aside className="side-panel outline" aria-busy="true" />}
        {outlineOpen && editor && (
          <PanelBoundary name="outline">
            <OutlinePanel editor={editor} scope={scope}>
              {scope && (
                <ChangesSincePanel
                  editor={editor}
                  scope={scope}
                  scopeLabel={viewing ? `${viewing.info.name} (${viewing.info.createdAt})` : 'live board'}
                  viewingName={viewing?.info.name ?? null}
                  snapshots={history.snapshots}
                  changes={changes}
                />
              )}
            </OutlinePanel>
          </PanelBoundary>
        )}
        <div className="board-canvas">
          {viewing ? (
            <SnapshotCanvas
              key={viewing.info.id}
              viewing={viewing}
              user={user}
              canEdit={canEdit}
              onCompare={() => {
                changes.select(viewing.info.id)
                setOutlineOpen(true)
              }}
              onRestore={() => restore(viewing.info)}
              onClose={snapshotView.close}
              onMount={setEditor}
            />
          ) : phase.kind === 'ready' ? (
            <CommentsContext.Provider value={commentsUi}>
              <Tldraw
                key="live"
                store={phase.store}
                shapeUtils={shapeUtils}
                overrides={cardOverrides}
                assetUrls={assetUrls}
                licenseKey={licenseKey()}
                user={user}
                components={components}
                onMount={(mounted) => {
                  setEditor(mounted)
                  return () => setEditor((current) => (current === mounted ? null : current))
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
        {rightPanel === 'history' ? (
          <PanelBoundary name="history">
            <HistoryPanel
              boardId={boardId}
              list={history}
              canEdit={canEdit}
              viewingId={viewing?.info.id ?? null}
              comparingId={changes.snapshot?.id ?? null}
              onView={snapshotView.open}
              onCompare={(info) => {
                changes.select(info.id)
                setOutlineOpen(true)
              }}
              onRestore={restore}
            />
          </PanelBoundary>
        ) : commentsOpen && session ? (
          <PanelBoundary name="comments">
            <CommentsPanel
              boardId={boardId}
              doc={session.doc}
              editor={viewing ? null : editor}
              threads={liveThreads}
              canComment={canComment}
              focus={commentsFocus}
              onFocusDone={clearFocus}
            />
          </PanelBoundary>
        ) : (
          editor && (
            <PanelBoundary name="card details">
              <Inspector editor={editor} readOnly={!canEdit || viewing !== null} />
            </PanelBoundary>
          )
        )}
      </div>
    </div>
  )
}

interface SnapshotCanvasProps {
  viewing: NonNullable<ReturnType<typeof useSnapshotView>['view']>
  user: ReturnType<typeof createCurrentUser>
  canEdit: boolean
  onCompare(): void
  onRestore(): Promise<void>
  onClose(): void
  onMount(editor: Editor | null | ((current: Editor | null) => Editor | null)): void
}

/** A snapshot on the canvas, read-only, under a banner that says so and offers the way back. */
function SnapshotCanvas({ viewing, user, canEdit, onCompare, onRestore, onClose, onMount }: SnapshotCanvasProps) {
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const { info, store } = viewing
  let content: ReactNode
  if (store) {
    content = (
      <Tldraw
        store={store}
        shapeUtils={shapeUtils}
        assetUrls={assetUrls}
        licenseKey={licenseKey()}
        user={user}
        components={snapshotComponents}
        onMount={(mounted) => {
          mounted.updateInstanceState({ isReadonly: true })
          // Once the canvas has its size: the whole snapshot in view.
          const frame = requestAnimationFrame(() => {
            mounted.updateViewportScreenBounds(mounted.getContainer())
            mounted.zoomToFit()
          })
          onMount(mounted)
          return () => {
            cancelAnimationFrame(frame)
            onMount((current) => (current === mounted ? null : current))
          }
        }}
      />
    )
  } else {
    content = (
      <div className="board-placeholder">
        {viewing.error ? (
          <p className="error" role="alert">
            {viewing.error}
          </p>
        ) : (
          <p className="muted">Opening “{info.name}”…</p>
        )}
      </div>
    )
  }
  return (
    <div className="snapshot-view" data-testid="snapshot-view" data-snapshot-id={info.id}>
      <div className="snapshot-banner" role="status">
        <span className="snapshot-banner-text">
          Viewing <strong>{info.name}</strong> · {snapshotDate(info)} · read-only
        </span>
        {confirming ? (
          <span className="snapshot-banner-actions" role="group" aria-label="Confirm restore">
            <span>Restore this version for everyone? The board as it is now is saved first.</span>
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => {
                setBusy(true)
                setError(null)
                onRestore().catch((e: Error) => {
                  setError(e instanceof TypeError ? 'The server cannot be reached right now.' : e.message)
                  setBusy(false)
                })
              }}
            >
              Restore
            </button>
            <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <span className="snapshot-banner-actions">
            <button type="button" onClick={onCompare}>
              Changes since
            </button>
            {canEdit && (
              <button type="button" onClick={() => setConfirming(true)}>
                Restore this version…
              </button>
            )}
            <button type="button" className="primary" onClick={onClose}>
              Back to live board
            </button>
          </span>
        )}
        {error && (
          <span className="error" role="alert">
            {error}
          </span>
        )}
      </div>
      <div className="snapshot-canvas">{content}</div>
    </div>
  )
}
