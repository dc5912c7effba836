/**
 * Tokens: who may do what. The workspace token may do everything; a share-link token carries one
 * role on one board (links.ts). What each role may do is shared/auth/roles.ts; access.ts applies
 * it to a request.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Role } from '../../shared/auth/roles.ts'
import type { BoardId } from '../../shared/ids.ts'
import { LINK_COOKIE_PREFIX, TOKEN_COOKIE } from '../config.ts'
import type { BoardStorage } from '../storage/BoardStorage.ts'
import { parseLinkToken, secretMatches, type LinkId } from './links.ts'

export const WORKSPACE_TOKEN_FILE = 'workspace-token'

export type Access = { kind: 'workspace' } | { kind: 'link'; boardId: BoardId; role: Role; linkId: LinkId }

const WORKSPACE: Access = { kind: 'workspace' }

/** 32 random bytes: 256 bits, URL-safe. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url')
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest()
}

/** Compares in constant time: hashing first makes the lengths equal. */
export function tokensEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b))
}

/**
 * The workspace token from SCOPEBOARD_TOKEN, else the one kept in DATA_DIR, else a new one
 * written there (readable by the owner only). `generated` says whether start-up should print it.
 */
export function loadWorkspaceToken(
  dataDir: string,
  fromEnv: string | null,
): { token: string; source: 'env' | 'file' | 'generated' } {
  if (fromEnv) return { token: fromEnv, source: 'env' }
  const file = path.join(dataDir, WORKSPACE_TOKEN_FILE)
  if (fs.existsSync(file)) {
    const token = fs.readFileSync(file, 'utf8').trim()
    if (token) return { token, source: 'file' }
  }
  const token = generateToken()
  fs.mkdirSync(dataDir, { recursive: true })
  fs.writeFileSync(file, token + '\n', { mode: 0o600 })
  return { token, source: 'generated' }
}

/**
 * The tokens a request carries. A token sent on purpose (Bearer header, `?token=`) is the only one
 * looked at; otherwise the sign-in cookies: the workspace one, then the link cookie of the board
 * the request is about (a link signs a browser in for its board only, so its cookie is named
 * after the board and never read for another).
 */
export interface Credentials {
  explicit: string | null
  workspaceCookie: string | null
  linkCookie: string | null
}

export function findCredentials(input: {
  authorization?: string | null
  query?: string | null
  cookieHeader?: string | null
  /** The board the request is about, whose link cookie counts. */
  boardId?: BoardId | null
  /** False for a WebSocket opened by a page of another origin: its cookies prove nothing. */
  cookies?: boolean
}): Credentials {
  const bearer = input.authorization?.match(/^Bearer\s+(\S+)\s*$/i)
  const explicit = bearer ? bearer[1] : input.query || null
  const cookieHeader = input.cookies === false ? null : (input.cookieHeader ?? null)
  return {
    explicit,
    workspaceCookie: readCookie(cookieHeader, TOKEN_COOKIE),
    linkCookie: input.boardId ? readCookie(cookieHeader, linkCookieName(input.boardId)) : null,
  }
}

export function hasAnyToken(credentials: Credentials): boolean {
  return Boolean(credentials.explicit || credentials.workspaceCookie || credentials.linkCookie)
}

export function linkCookieName(boardId: BoardId): string {
  return LINK_COOKIE_PREFIX + boardId
}

export class Authenticator {
  constructor(
    private readonly workspaceToken: string,
    private readonly links: Pick<BoardStorage, 'getLink'>,
  ) {}

  /** What a token gives: the workspace, an active link, or nothing. Never logs the token. */
  async check(token: string | null): Promise<Access | null> {
    if (!token) return null
    if (tokensEqual(token, this.workspaceToken)) return WORKSPACE
    const parsed = parseLinkToken(token)
    if (!parsed) return null
    const link = await this.links.getLink(parsed.linkId)
    if (!link || link.revokedAt !== null || !secretMatches(parsed.secret, link.tokenHash)) return null
    return { kind: 'link', boardId: link.boardId, role: link.role, linkId: link.id }
  }

  async resolve(credentials: Credentials): Promise<Access | null> {
    if (credentials.explicit !== null) return this.check(credentials.explicit)
    // A stale workspace cookie (the token was changed) must not hide a valid link cookie.
    if (credentials.workspaceCookie && (await this.check(credentials.workspaceCookie))?.kind === 'workspace') {
      return WORKSPACE
    }
    return this.check(credentials.linkCookie)
  }

  /** Whether a link still works, for connections admitted while it was being revoked. */
  async linkActive(linkId: LinkId): Promise<boolean> {
    const link = await this.links.getLink(linkId)
    return link !== null && link.revokedAt === null
  }
}

export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim()) || null
      } catch {
        return null
      }
    }
  }
  return null
}
