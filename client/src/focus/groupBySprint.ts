/**
 * Focuses grouped by sprint for the focuses page and the board header's picker. Sprints are named
 * in sequence ("Sprint 42", "2026-W49"), so the newest comes first when names are compared with
 * their numbers as numbers; within a sprint, the active focuses, then the planned, then the done.
 */
import type { Focus, FocusStatus } from '../../../shared/focus/model.ts'

const STATUS_ORDER: Record<FocusStatus, number> = { active: 0, planned: 1, done: 2 }

export interface SprintGroup<T extends Focus> {
  sprint: string
  focuses: T[]
}

export function groupBySprint<T extends Focus>(focuses: readonly T[]): SprintGroup<T>[] {
  const groups = new Map<string, T[]>()
  for (const focus of focuses) {
    const list = groups.get(focus.sprint)
    if (list) list.push(focus)
    else groups.set(focus.sprint, [focus])
  }
  return [...groups.entries()]
    .map(([sprint, list]) => ({
      sprint,
      focuses: list.sort(
        (a, b) =>
          STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.title.localeCompare(b.title) || (a.id < b.id ? -1 : 1),
      ),
    }))
    .sort((a, b) => b.sprint.localeCompare(a.sprint, undefined, { numeric: true }))
}
