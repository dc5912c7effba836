/**
 * The role table and the one decision every route and socket takes from it, and the link token
 * format. Pure: no server.
 */
import { describe, expect, it } from 'vitest'
import { can, parseRole, ROLES, type Capability } from '../../../shared/auth/roles.ts'
import type { BoardId } from '../../../shared/ids.ts'
import { decide } from '../../../server/auth/access.ts'
import { newLinkToken, parseLinkToken, secretMatches, type LinkId } from '../../../server/auth/links.ts'
import { TokenBucket } from '../../../server/rooms/TokenBucket.ts'

const A = 'board-a' as BoardId
const B = 'board-b' as BoardId

describe('roles', () => {
  it('view reads; comment reads and comments; edit does all of that, edits and manages links', () => {
    const table = Object.fromEntries(
      ROLES.map((role) => [
        role,
        (['read', 'comment', 'edit', 'manage-links'] as Capability[]).filter((c) => can(role, c)),
      ]),
    )
    expect(table).toEqual({
      edit: ['read', 'comment', 'edit', 'manage-links'],
      comment: ['read', 'comment'],
      view: ['read'],
    })
    expect(parseRole('view')).toBe('view')
    expect(parseRole('admin')).toBeNull()
    expect(parseRole(['edit'])).toBeNull()
  })

  it('decide: the workspace passes everything; a link only its own board, within its role, never workspace routes', () => {
    const link = (role: 'edit' | 'view') => ({ kind: 'link' as const, boardId: A, role, linkId: 'l' as LinkId })
    expect(decide({ kind: 'workspace' }, 'workspace', null)).toEqual({ ok: true })
    expect(decide(link('edit'), 'edit', A)).toEqual({ ok: true })
    expect(decide(link('edit'), 'workspace', null).ok).toBe(false)
    expect(decide(link('edit'), 'read', B)).toEqual({ ok: false, reason: 'this link is for another board' })
    expect(decide(link('view'), 'edit', A)).toEqual({ ok: false, reason: 'a view link cannot change this board' })
  })
})

describe('link tokens', () => {
  it('are <16-character id>.<43-character secret>, and only the secret’s hash proves them', () => {
    const { id, token, tokenHash } = newLinkToken()
    expect(token).toMatch(/^[a-z0-9]{16}\.[A-Za-z0-9_-]{43}$/)
    const parsed = parseLinkToken(token)!
    expect(parsed.linkId).toBe(id)
    expect(secretMatches(parsed.secret, tokenHash)).toBe(true)
    expect(secretMatches(parsed.secret + 'x', tokenHash)).toBe(false)
    expect(secretMatches(parsed.secret, tokenHash.subarray(1))).toBe(false)
    for (const bad of ['', 'nodot', '.secret', 'id.', 'a/b.secret', 'id.has space'])
      expect(parseLinkToken(bad)).toBeNull()
  })
})

describe('TokenBucket', () => {
  it('allows the burst at once, then the rate', () => {
    let now = 0
    const bucket = new TokenBucket(10, 5, () => now)
    expect(Array.from({ length: 6 }, () => bucket.take())).toEqual([true, true, true, true, true, false])
    now += 100
    expect(bucket.take()).toBe(true)
    expect(bucket.take()).toBe(false)
    now += 10_000
    expect(Array.from({ length: 6 }, () => bucket.take()).filter(Boolean)).toHaveLength(5)
  })
})
