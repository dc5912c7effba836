/** The HTTP API as the web app uses it. The sign-in cookie travels with every request. */
import type { FocusContext, FocusFields, FocusWithBoards } from '../../shared/focus/model.ts'
import type { FocusRollup } from '../../shared/focus/types.ts'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

export interface BoardListItem {
  id: string
  title: string
  updatedAt: string
  focusId: string | null
}

/** The server's `{error}` message, or the status line when the answer is not ours. */
async function errorMessage(response: Response): Promise<string> {
  try {
    const data = (await response.json()) as { error?: unknown }
    if (typeof data.error === 'string') return data.error
  } catch {
    // Not JSON: a proxy's page, say.
  }
  return `${response.status} ${response.statusText}`
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  })
  const text = await response.text()
  let data: unknown
  try {
    data = text ? JSON.parse(text) : null
  } catch {
    data = null
  }
  if (!response.ok) {
    const message = (data as { error?: string } | null)?.error ?? `${response.status} ${response.statusText}`
    throw new ApiError(response.status, message)
  }
  return data as T
}

export type LinkRole = 'edit' | 'comment' | 'view'
export interface ShareLink {
  id: string
  role: LinkRole
  createdAt: string
}
export interface BoardSessionInfo {
  signedIn: boolean
  access: 'workspace' | 'link' | null
  role: LinkRole | null
}

/** `GET /api/boards/:id`: any role on the board sees the focus it serves. */
export interface BoardInfo extends BoardListItem {
  createdAt: string
  focus: FocusContext | null
}

/** What the focus forms send; optional text may be null (or empty) to clear it. */
export type FocusInput = FocusFields

export type SnapshotKind = 'named' | 'auto' | 'before-restore'
/** A snapshot of the board as the history lists it (its document comes separately). */
export interface SnapshotInfo {
  id: string
  name: string
  kind: SnapshotKind
  createdAt: string
}

const snapshotsPath = (boardId: string) => `/api/boards/${encodeURIComponent(boardId)}/snapshots`

export const api = {
  boardSession: (boardId: string) =>
    request<BoardSessionInfo>('GET', `/api/session?board=${encodeURIComponent(boardId)}`),
  listLinks: (boardId: string) => request<ShareLink[]>('GET', `/api/boards/${boardId}/links`),
  createLink: (boardId: string, role: LinkRole) =>
    request<ShareLink & { token: string; url: string }>('POST', `/api/boards/${boardId}/links`, { role }),
  revokeLink: (boardId: string, linkId: string) => request<null>('DELETE', `/api/boards/${boardId}/links/${linkId}`),
  session: () => request<{ signedIn: boolean; access: string | null }>('GET', '/api/session'),
  listBoards: () => request<BoardListItem[]>('GET', '/api/boards'),
  createBoard: (title: string) =>
    request<{ id: string; title: string; createdAt: string }>('POST', '/api/boards', { title }),
  getBoard: (boardId: string) => request<BoardInfo>('GET', `/api/boards/${encodeURIComponent(boardId)}`),
  setBoardFocus: (boardId: string, focusId: string | null) =>
    request<BoardInfo>('PUT', `/api/boards/${encodeURIComponent(boardId)}/focus`, { focusId }),
  listFocuses: () => request<FocusWithBoards[]>('GET', '/api/focuses'),
  getFocus: (focusId: string) => request<FocusWithBoards>('GET', `/api/focuses/${encodeURIComponent(focusId)}`),
  createFocus: (input: FocusInput) => request<FocusWithBoards>('POST', '/api/focuses', input),
  updateFocus: (focusId: string, input: Partial<FocusInput>) =>
    request<FocusWithBoards>('PATCH', `/api/focuses/${encodeURIComponent(focusId)}`, input),
  deleteFocus: (focusId: string, force = false) =>
    request<null>('DELETE', `/api/focuses/${encodeURIComponent(focusId)}${force ? '?force=true' : ''}`),
  focusRollup: (focusId: string) =>
    request<FocusRollup>('GET', `/api/focuses/${encodeURIComponent(focusId)}/scope.json?download=0`),
  listSnapshots: (boardId: string) => request<SnapshotInfo[]>('GET', snapshotsPath(boardId)),
  createSnapshot: (boardId: string, name: string) => request<SnapshotInfo>('POST', snapshotsPath(boardId), { name }),
  restoreSnapshot: (boardId: string, snapshotId: string) =>
    request<{ restoredFrom: SnapshotInfo; backup: SnapshotInfo }>(
      'POST',
      `${snapshotsPath(boardId)}/${encodeURIComponent(snapshotId)}/restore`,
    ),
  deleteSnapshot: (boardId: string, snapshotId: string) =>
    request<null>('DELETE', `${snapshotsPath(boardId)}/${encodeURIComponent(snapshotId)}`),
  /** A snapshot's document: the encoded Yjs state to apply to an empty doc. */
  async snapshotState(boardId: string, snapshotId: string): Promise<Uint8Array> {
    const response = await fetch(`${snapshotsPath(boardId)}/${encodeURIComponent(snapshotId)}/state`, {
      credentials: 'same-origin',
    })
    if (!response.ok) throw new ApiError(response.status, await errorMessage(response))
    return new Uint8Array(await response.arrayBuffer())
  },
  /** The roll-up as Markdown text, to copy. */
  async focusMarkdown(focusId: string): Promise<string> {
    const response = await fetch(`/api/focuses/${encodeURIComponent(focusId)}/scope.md?download=0`, {
      credentials: 'same-origin',
    })
    if (!response.ok) throw new ApiError(response.status, await errorMessage(response))
    return response.text()
  },
}

/** Where the roll-up's Markdown downloads from (the sign-in cookie goes with a plain link). */
export function focusMarkdownUrl(focusId: string): string {
  return `/api/focuses/${encodeURIComponent(focusId)}/scope.md`
}
