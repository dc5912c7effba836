/**
 * Which automatic snapshots of a board to let go. The server takes one when a board rests after
 * changes, up to one an hour, so an active board gathers hundreds; a history that long helps
 * nobody. Kept: every named snapshot and every restore's backup (people made those), every
 * automatic one younger than AUTO_SNAPSHOT_KEEP_ALL_MS, and after that the newest automatic one of
 * each of the AUTO_SNAPSHOT_KEEP_DAYS most recent UTC days that have one. Days, not a calendar
 * window: a board left alone for two months still keeps how it was before today's edits. Pure, so
 * the rule is tested on its own.
 */
import type { SnapshotId } from '../../shared/ids.ts'
import { AUTO_SNAPSHOT_KEEP_ALL_MS, AUTO_SNAPSHOT_KEEP_DAYS } from '../config.ts'
import type { SnapshotMeta } from '../storage/SnapshotStorage.ts'

export interface RetentionRule {
  keepAllMs: number
  keepDays: number
}

export const AUTO_SNAPSHOT_RETENTION: RetentionRule = {
  keepAllMs: AUTO_SNAPSHOT_KEEP_ALL_MS,
  keepDays: AUTO_SNAPSHOT_KEEP_DAYS,
}

export function autoSnapshotsToPrune(
  snapshots: SnapshotMeta[],
  now: Date,
  rule: RetentionRule = AUTO_SNAPSHOT_RETENTION,
): SnapshotId[] {
  const prune: SnapshotId[] = []
  const keptDays = new Set<string>()
  // Newest first, so the first one met on a day is that day's newest.
  const autos = snapshots
    .filter((s) => s.kind === 'auto')
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
  for (const snapshot of autos) {
    const age = now.getTime() - Date.parse(snapshot.createdAt)
    if (age < rule.keepAllMs) continue
    const day = snapshot.createdAt.slice(0, 10)
    if (!keptDays.has(day) && keptDays.size < rule.keepDays) {
      keptDays.add(day)
      continue
    }
    prune.push(snapshot.id)
  }
  return prune
}
