import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { atom, computed } from '@tldraw/state'
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
import { useCardFromHash, useContentInViewOnOpen } from '../focus/useCardFromHash.ts'
import { PanelBoundary } from '../components/PanelBoundary.tsx'
import { ShareButton } from '../components/ShareDialog.tsx'
import { StylePanelWhenUseful } from '../components/StylePanelWhenUseful.tsx'
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
import { HistoryPanel, RestoreConfirm } from '../history/HistoryPanel.tsx'
import '../history/history.css'
import { snapshotDate, timeFormat } from '../history/snapshotDoc.ts'
import { useChangesSince } from '../history/useChangesSince.ts'
import { historyError, useSnapshots } from '../history/useSnapshots.ts'
import { useRestoreNote } from '../history/useRestoreNote.ts'
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
  StylePanel: StylePanelWhenUseful,
}

/** A snapshot on the canvas: read-only, without the card tools or today's comment pins. */
const snapshotComponents: TLComponents = { SharePanel: null }

/**
 * tldraw's own preferences (dark mode, snapping…) kept per browser; name and colour are the
 * profile's. Dark mode follows the system until someone picks one in tldraw's menu.
 */
function createCurrentUser() {
  let saved: Partial<TLUserPreferences>
  try {
    saved = JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}') as Partial<TLUserPreferences>
  } catch {
    saved = {}
  }
  // An atom, so a change made in tldraw's menu reaches the editor at once.
  const extra = atom<Partial<TLUserPreferences>>('tldraw preferences', { colorScheme: 'system', ...saved })
  const prefs = computed<TLUserPreferences>('user preferences', () => {
    const p = profile.get()
    return { ...extra.get(), id: p.id, name: p.name, color: p.color }
  })
  return createTLCurrentUser({
    userPreferences: prefs,
    setUserPreferences: ({ id: _id, name, color, ...rest }) => {
      void _id
      extra.set(rest)
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
  // The live canvas stays mounted while a snapshot is viewed over it (its undo history, camera and
  // selection are there when you come back); `editor` is the one on screen.
  const [liveEditor, setLiveEditor] = useState<Editor | null>(null)
  const [snapshotEditor, setSnapshotEditor] = useState<Editor | null>(null)

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
  const editor = viewing ? snapshotEditor : liveEditor
  const changes = useChangesSince(boardId, history.snapshots, createStore, outlineOpen)
  // While a snapshot is on the canvas, the outline, details and exports show that snapshot.
  const title = viewing ? (viewing.title ?? liveTitle) : liveTitle
  const threads = viewing ? viewing.threads : liveThreads
  const boardFocus = useBoardFocus(boardId)
  // The scope carries the focus so its "no-sprint-focus" check and the exports match the server's.
  const focus = useMemo(() => (boardFocus.focus ? focusRef(boardFocus.focus) : null), [boardFocus.focus])
  const scope = useLiveScope(outlineOpen ? editor : null, boardId, title, threads, focus)
  useCardFromHash(liveEditor)
  useContentInViewOnOpen(liveEditor)
  const access = snapshot.role ? accessFor(snapshot.role) : null
  const canEdit = access?.canEdit ?? false
  const canComment = access?.canComment ?? false
  useEffect(() => {
    // Roles other than edit see the canvas read-only; the server drops their canvas writes anyway.
    // Under a snapshot the live canvas takes no keys either: nothing happens to it unseen.
    liveEditor?.updateInstanceState({ isReadonly: !canEdit || viewing !== null })
    if (viewing) liveEditor?.blur()
  }, [liveEditor, canEdit, viewing])
  const { reload: reloadHistory } = history
  // History lives on the server: ask again whenever the connection comes back.
  const online = snapshot.connection.kind === 'online'
  useEffect(() => {
    if (online) reloadHistory()
  }, [online, reloadHistory])
  const restoreNote = useRestoreNote(session?.doc ?? null, phase.kind === 'ready', reloadHistory)
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
        const editor = liveEditor
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
    [liveThreads, canComment, liveEditor, setCommentsOpen],
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
        <ExportMenu
          editor={editor}
          board={{ id: boardId, title }}
          threads={threads}
          focus={focus}
          version={viewing ? exportVersion(viewing.info) : null}
        />
        {access?.canShare && <ShareButton boardId={boardId} />}
        {access && !access.canEdit && (
          <span className="role-banner" data-testid="role-banner">
            {access.role === 'comment' ? 'Comment only' : 'View only'}
          </span>
        )}
      </BoardHeader>
      <div className="board-body">
        {outlineOpen && (
          <PanelBoundary name="outline">
            <OutlinePanel editor={editor} scope={scope}>
              {scope && editor && (
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
          {phase.kind === 'ready' ? (
            // Hidden, not unmounted, under a snapshot: it keeps syncing, and its undo history,
            // camera and selection are there on the way back.
            <div className="live-canvas" hidden={viewing !== null}>
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
                    setLiveEditor(mounted)
                    return () => setLiveEditor((current) => (current === mounted ? null : current))
                  }}
                />
              </CommentsContext.Provider>
            </div>
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
          {viewing && (
            <SnapshotCanvas
              key={viewing.info.id}
              viewing={viewing}
              user={user}
              canEdit={canEdit}
              onCompare={() => {
                // What changed since this version: the live board, with the diff in the outline.
                changes.select(viewing.info.id)
                setOutlineOpen(true)
                snapshotView.close()
              }}
              onRestore={() => restore(viewing.info)}
              onClose={snapshotView.close}
              onRetry={() => snapshotView.open(viewing.info)}
              onMount={setSnapshotEditor}
            />
          )}
          {restoreNote.note && (
            <div className="board-notice" role="status" data-testid="restore-note">
              <span>
                This board was restored to “{restoreNote.note.name}” (saved {snapshotDate(restoreNote.note)}) at{' '}
                {timeFormat.format(new Date(restoreNote.note.at))}. The board as it was just before is kept in History.
              </span>
              {rightPanel !== 'history' && (
                <button type="button" onClick={() => setRightPanel('history')}>
                  History
                </button>
              )}
              <button type="button" onClick={restoreNote.dismiss}>
                Dismiss
              </button>
            </div>
          )}
          {snapshotView.missing && !viewing && !restoreNote.note && (
            <div className="board-notice" role="alert">
              <span>The snapshot in this address is not in this board’s history; this is the live board.</span>
              <button type="button" onClick={snapshotView.dismissMissing}>
                Dismiss
              </button>
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
              onView={(info) => (info ? snapshotView.open(info) : snapshotView.close())}
              onCompare={(info) => {
                changes.select(info?.id ?? null)
                if (info) setOutlineOpen(true)
              }}
              onRestore={restore}
            />
          </PanelBoundary>
        ) : commentsOpen && session ? (
          <PanelBoundary name="comments">
            <CommentsPanel
              boardId={boardId}
              doc={session.doc}
              editor={viewing ? null : liveEditor}
              threads={liveThreads}
              canComment={canComment}
              focus={commentsFocus}
              onFocusDone={clearFocus}
            />
          </PanelBoundary>
        ) : (
          editor && (
            <PanelBoundary name="card details">
              <Inspector
                editor={editor}
                readOnly={
                  viewing
                    ? 'this is a snapshot'
                    : !canEdit && access
                      ? `you can ${access.role === 'comment' ? 'comment on' : 'view'} this board, not edit it`
                      : !canEdit && 'the board is still opening'
                }
              />
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
  onRetry(): void
  onMount(editor: Editor | null | ((current: Editor | null) => Editor | null)): void
}

/** What a snapshot's exports are called after: its name, and its time when the name is the server's. */
function exportVersion(info: SnapshotInfo): string {
  return info.kind === 'named' ? info.name : `${info.name} ${info.createdAt.slice(0, 16).replace('T', ' ')}`
}

/**
 * Keeps the whole snapshot in view — once the canvas has its size, and again when a panel opening
 * or closing resizes it — until the person moves the camera themselves. Returns the cleanup.
 */
function fitWhileUntouched(editor: Editor, cleanup: () => void): () => void {
  let fitted: { x: number; y: number; z: number } | null = null
  let frame = 0
  const fit = () => {
    editor.updateViewportScreenBounds(editor.getContainer())
    editor.zoomToFit()
    fitted = editor.getCamera()
  }
  const untouched = () => {
    const camera = editor.getCamera()
    return fitted === null || (camera.x === fitted.x && camera.y === fitted.y && camera.z === fitted.z)
  }
  frame = requestAnimationFrame(fit)
  const observer = new ResizeObserver(() => {
    if (!untouched()) return
    cancelAnimationFrame(frame)
    frame = requestAnimationFrame(fit)
  })
  observer.observe(editor.getContainer())
  return () => {
    observer.disconnect()
    cancelAnimationFrame(frame)
    cleanup()
  }
}

/** A snapshot on the canvas, read-only, under a banner that says so and offers the way back. */
function SnapshotCanvas({
  viewing,
  user,
  canEdit,
  onCompare,
  onRestore,
  onClose,
  onRetry,
  onMount,
}: SnapshotCanvasProps) {
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const { info, store } = viewing
  let content: ReactNode
  if (store) {
    const empty = !store.allRecords().some((record) => record.typeName === 'shape')
    content = (
      <>
        {empty && <p className="snapshot-empty muted">This version of the board was empty.</p>}
        <Tldraw
          store={store}
          shapeUtils={shapeUtils}
          assetUrls={assetUrls}
          licenseKey={licenseKey()}
          user={user}
          components={snapshotComponents}
          onMount={(mounted) => {
            mounted.updateInstanceState({ isReadonly: true })
            onMount(mounted)
            return fitWhileUntouched(mounted, () => onMount((current) => (current === mounted ? null : current)))
          }}
        />
      </>
    )
  } else {
    content = (
      <div className="board-placeholder">
        {viewing.error ? (
          <div role="alert">
            <p className="error">{viewing.error}</p>
            <button type="button" onClick={onRetry}>
              Try again
            </button>
          </div>
        ) : (
          <p className="muted">Opening “{info.name}”…</p>
        )}
      </div>
    )
  }
  return (
    <div className="snapshot-view" data-testid="snapshot-view" data-snapshot-id={info.id}>
      <div className="snapshot-banner" role="region" aria-label="Snapshot view">
        <span className="snapshot-banner-text">
          Viewing <strong>{info.name}</strong> · {snapshotDate(info)} · read-only
        </span>
        {confirming ? (
          <RestoreConfirm
            inline
            busy={busy}
            onCancel={() => setConfirming(false)}
            onRestore={() => {
              setBusy(true)
              setError(null)
              onRestore().catch((e: Error) => {
                setError(historyError(e))
                setBusy(false)
              })
            }}
          />
        ) : (
          <span className="snapshot-banner-actions">
            <button type="button" onClick={onCompare}>
              What changed since…
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
