/** The HTTP API as the web app uses it. The sign-in cookie travels with every request. */

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
}
