/**
 * Sprint focuses: what a sprint is about (its focus statement), the goal, the success metric and
 * the strategy it serves. Boards link to at most one focus; the focus page rolls up their scopes.
 * Server and client share these types, limits and labels; no I/O here.
 */
import type { FocusRef } from '../scope/types.ts'

export const FOCUS_STATUSES = ['planned', 'active', 'done'] as const
export type FocusStatus = (typeof FOCUS_STATUSES)[number]

export const FOCUS_STATUS_LABEL: Record<FocusStatus, string> = {
  planned: 'Planned',
  active: 'Active',
  done: 'Done',
}

/** Longest text each field takes, in characters (after trimming). */
export const FOCUS_LIMITS = { sprint: 100, title: 200, goal: 1000, metric: 500, strategy: 1000 } as const

/** A focus as the API answers it. Optional text is null rather than empty; dates are YYYY-MM-DD. */
export interface Focus {
  id: string
  sprint: string
  /** The focus statement. */
  title: string
  goal: string | null
  metric: string | null
  strategy: string | null
  startDate: string | null
  endDate: string | null
  status: FocusStatus
  createdAt: string
  updatedAt: string
}

/**
 * The fields a focus is made of, as a form sends them and storage keeps them; in a change, what
 * is left out stays as it is.
 */
export type FocusFields = Omit<Focus, 'id' | 'createdAt' | 'updatedAt'>

/** `GET /api/focuses` and `/api/focuses/:id`: the focus and the boards linked to it, sorted by id. */
export interface FocusWithBoards extends Focus {
  boardIds: string[]
}

/**
 * What everyone on a linked board sees of its focus (`GET /api/boards/:id`), link guests
 * included: enough context to decide well, nothing about the other boards.
 */
export type FocusContext = Pick<Focus, 'id' | 'sprint' | 'title' | 'goal' | 'metric' | 'strategy' | 'status'>

export function focusContext(focus: FocusContext): FocusContext {
  return {
    id: focus.id,
    sprint: focus.sprint,
    title: focus.title,
    goal: focus.goal,
    metric: focus.metric,
    strategy: focus.strategy,
    status: focus.status,
  }
}

/** The part of a focus a board's scope carries (and its "no-sprint-focus" check reads). */
export function focusRef(focus: FocusContext): FocusRef {
  return {
    id: focus.id,
    sprint: focus.sprint,
    title: focus.title,
    goal: focus.goal,
    metric: focus.metric,
    strategy: focus.strategy,
  }
}

/** "Sprint 42 · Make checkout trustworthy", for headers and lists. */
export function focusLabel(focus: Pick<Focus, 'sprint' | 'title'>): string {
  return [focus.sprint, focus.title].filter(Boolean).join(' · ')
}

/** `YYYY-MM-DD` naming a real calendar day. */
export function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** Where a card of a board opens: the board page selects it and brings it into view. */
export function cardPath(boardId: string, cardId: string): string {
  return `/b/${encodeURIComponent(boardId)}#card=${encodeURIComponent(cardId)}`
}

export function boardPath(boardId: string): string {
  return `/b/${encodeURIComponent(boardId)}`
}

export function focusPath(focusId: string): string {
  return `/f/${encodeURIComponent(focusId)}`
}
