/**
 * Share-link tokens. A token is `<linkId>.<secret>`: the id finds the link without a search over
 * hashes, the secret (256 random bits) proves it. Only the secret's SHA-256 is stored, and it is
 * compared in constant time, so neither the database nor timing gives a token away.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

declare const brand: unique symbol
export type LinkId = string & { readonly [brand]: 'LinkId' }

/** What a link id may look like in a path; the server makes 16 of [a-z0-9]. */
export const LINK_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/
const SECRET_PATTERN = /^[A-Za-z0-9_-]{1,128}$/
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'
/** 32 bytes: far beyond the 128 bits that make guessing hopeless. */
export const LINK_SECRET_BYTES = 32

export function parseLinkId(value: unknown): LinkId | null {
  return typeof value === 'string' && LINK_ID_PATTERN.test(value) ? (value as LinkId) : null
}

function newLinkId(): LinkId {
  let id = ''
  // 256 is a multiple of neither 36 nor anything close, so draw until the byte is unbiased.
  while (id.length < 16) {
    for (const b of randomBytes(32)) {
      if (b < 252 && id.length < 16) id += ID_ALPHABET[b % 36]
    }
  }
  return id as LinkId
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest()
}

export interface NewLinkToken {
  id: LinkId
  /** Give this to the person once; it is not kept. */
  token: string
  tokenHash: Buffer
}

export function newLinkToken(): NewLinkToken {
  const id = newLinkId()
  const secret = randomBytes(LINK_SECRET_BYTES).toString('base64url')
  return { id, token: `${id}.${secret}`, tokenHash: hashSecret(secret) }
}

/** Splits a token that has the shape of a link token; null for anything else. */
export function parseLinkToken(token: string): { linkId: LinkId; secret: string } | null {
  const dot = token.indexOf('.')
  if (dot <= 0) return null
  const linkId = parseLinkId(token.slice(0, dot))
  const secret = token.slice(dot + 1)
  if (!linkId || !SECRET_PATTERN.test(secret)) return null
  return { linkId, secret }
}

export function secretMatches(secret: string, tokenHash: Uint8Array): boolean {
  const digest = hashSecret(secret)
  return tokenHash.byteLength === digest.byteLength && timingSafeEqual(digest, tokenHash)
}
