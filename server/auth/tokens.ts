/**
 * Tokens: who may do what. The workspace token may do everything; board link tokens (one role on
 * one board) arrive with share links.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { TOKEN_COOKIE } from '../config.ts'

export const WORKSPACE_TOKEN_FILE = 'workspace-token'

export type Access = { kind: 'workspace' }

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

export class Authenticator {
  constructor(private readonly workspaceToken: string) {}

  check(token: string | null): Access | null {
    if (!token) return null
    return tokensEqual(token, this.workspaceToken) ? { kind: 'workspace' } : null
  }
}

/** Bearer header first, then `?token=`, then the sign-in cookie. */
export function findToken(input: {
  authorization?: string | null
  query?: string | null
  cookieHeader?: string | null
}): string | null {
  const bearer = input.authorization?.match(/^Bearer\s+(\S+)\s*$/i)
  if (bearer) return bearer[1]
  if (input.query) return input.query
  return readCookie(input.cookieHeader ?? null, TOKEN_COOKIE)
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
