/**
 * Who this browser's person is: display name, colour and discipline, said once and kept in
 * localStorage. The point of the board is that engineering, design and product scope together,
 * so the discipline travels with every cursor.
 */
import { atom, type Atom } from '@tldraw/state'

import { DISCIPLINES, type Discipline } from '../../../shared/disciplines.ts'

export { DISCIPLINE_LABEL, DISCIPLINES, type Discipline } from '../../../shared/disciplines.ts'

export interface Profile {
  /** Stable per browser, so tldraw can tell a reconnecting person from a new one. */
  id: string
  name: string
  color: string
  discipline: Discipline
  /** False until the person has confirmed their name once. */
  confirmed: boolean
}

const STORAGE_KEY = 'scopeboard:profile'

export const PROFILE_COLORS = ['#e03131', '#f76707', '#f59f00', '#2f9e44', '#1098ad', '#1971c2', '#7048e8', '#c2255c']

function randomOf<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]
}

function defaultProfile(): Profile {
  return {
    id: crypto.randomUUID(),
    name: `Guest ${Math.floor(100 + Math.random() * 900)}`,
    color: randomOf(PROFILE_COLORS),
    discipline: 'engineering',
    confirmed: false,
  }
}

function isDiscipline(value: unknown): value is Discipline {
  return typeof value === 'string' && (DISCIPLINES as readonly string[]).includes(value)
}

function load(): Profile {
  const fallback = defaultProfile()
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Profile> | null
    if (!saved || typeof saved !== 'object') return fallback
    return {
      id: typeof saved.id === 'string' && saved.id ? saved.id : fallback.id,
      name: typeof saved.name === 'string' && saved.name.trim() ? saved.name.trim().slice(0, 60) : fallback.name,
      color: typeof saved.color === 'string' && /^#[0-9a-f]{6}$/i.test(saved.color) ? saved.color : fallback.color,
      discipline: isDiscipline(saved.discipline) ? saved.discipline : fallback.discipline,
      confirmed: saved.confirmed === true,
    }
  } catch {
    return fallback
  }
}

export const profile: Atom<Profile> = atom('profile', load())

export function updateProfile(change: Partial<Omit<Profile, 'id'>>): void {
  const next = { ...profile.get(), ...change }
  next.name = next.name.trim().slice(0, 60) || profile.get().name
  profile.set(next)
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(next))
  } catch {
    // Private windows may refuse storage; the profile still lasts for this page.
  }
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean)
  if (parts.length === 0) return '?'
  if (parts.length === 1) return parts[0].slice(0, 2).toUpperCase()
  return (parts[0][0] + parts[parts.length - 1][0]).toUpperCase()
}
