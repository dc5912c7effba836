/**
 * Share links for tests: made and revoked over the HTTP API like any client would.
 */
import type { Role } from '../../shared/auth/roles.ts'
import { api, type TestServer } from './server.ts'

export interface CreatedLink {
  id: string
  role: Role
  token: string
  url: string
  createdAt: string
}

/** Creates a link with the workspace token (or `token`) and checks the 201 answer. */
export async function createLink(
  server: Pick<TestServer, 'url' | 'token'>,
  boardId: string,
  role: Role,
  token: string = server.token,
): Promise<CreatedLink> {
  const res = await api(server, `/api/boards/${boardId}/links`, { method: 'POST', json: { role }, token })
  if (res.status !== 201) throw new Error(`creating a ${role} link answered ${res.status}: ${await res.text()}`)
  return (await res.json()) as CreatedLink
}

export async function revokeLink(
  server: Pick<TestServer, 'url' | 'token'>,
  boardId: string,
  linkId: string,
): Promise<void> {
  const res = await api(server, `/api/boards/${boardId}/links/${linkId}`, { method: 'DELETE' })
  if (res.status !== 204) throw new Error(`revoking a link answered ${res.status}: ${await res.text()}`)
}
