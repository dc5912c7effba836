/** The rule that thins a board's automatic snapshots; named ones and restore backups are never touched. */
import { describe, expect, it } from 'vitest'
import type { BoardId, SnapshotId } from '../../../shared/ids.ts'
import { autoSnapshotsToPrune } from '../../../server/history/retention.ts'
import type { SnapshotKind, SnapshotMeta } from '../../../server/storage/SnapshotStorage.ts'

const HOUR = 60 * 60 * 1000
const now = new Date('2026-11-25T12:00:00.000Z')
const rule = { keepAllMs: 48 * HOUR, keepDays: 30 }

function snapshot(id: string, hoursAgo: number, kind: SnapshotKind = 'auto'): SnapshotMeta {
  return {
    id: id as SnapshotId,
    boardId: 'board' as BoardId,
    name: id,
    kind,
    createdAt: new Date(now.getTime() - hoursAgo * HOUR).toISOString(),
  }
}

describe('autoSnapshotsToPrune', () => {
  it('keeps every automatic snapshot of the last 48 hours', () => {
    const recent = Array.from({ length: 47 }, (_, i) => snapshot(`a${i}`, i + 0.5))
    expect(autoSnapshotsToPrune(recent, now, rule)).toEqual([])
  })

  it('keeps the newest automatic snapshot of each older day', () => {
    // Day 2026-11-20: three automatic snapshots (09:00, 10:00, 11:00 UTC); the 11:00 one stays.
    const day = [snapshot('nine', 5 * 24 + 3), snapshot('ten', 5 * 24 + 2), snapshot('eleven', 5 * 24 + 1)]
    const pruned = autoSnapshotsToPrune([...day, snapshot('fresh', 1)], now, rule)
    expect(pruned.sort()).toEqual(['nine', 'ten'])
  })

  it('keeps the 30 most recent days that have one, however long ago: a board left alone keeps its past', () => {
    // Edited today after 45 quiet days: the snapshot from before the quiet spell stays.
    expect(autoSnapshotsToPrune([snapshot('today', 1), snapshot('before', 45 * 24)], now, rule)).toEqual([])
    // 35 days with one each, all older than 48 h: the 5 oldest days go.
    const daily = Array.from({ length: 35 }, (_, i) => snapshot(`d${i}`, (i + 3) * 24))
    expect(autoSnapshotsToPrune(daily, now, rule).sort()).toEqual(['d30', 'd31', 'd32', 'd33', 'd34'])
  })

  it('draws the 48-hour line exactly: younger stays whatever its day, older counts by day', () => {
    const justInside = snapshot('inside', 48 - 0.01)
    const justOutside = snapshot('outside', 48 + 0.01)
    const sameDayOlder = snapshot('older', 48 + 0.5)
    expect(autoSnapshotsToPrune([justInside, justOutside, sameDayOlder], now, rule)).toEqual(['older'])
  })

  it('never prunes named snapshots or restore backups, however old or many', () => {
    const kept = [
      snapshot('planning', 60 * 24, 'named'),
      snapshot('backup', 60 * 24, 'before-restore'),
      snapshot('named-same-day-1', 5 * 24 + 3, 'named'),
      snapshot('named-same-day-2', 5 * 24 + 2, 'named'),
    ]
    expect(autoSnapshotsToPrune(kept, now, rule)).toEqual([])
  })

  it('decides the same whatever order the list comes in', () => {
    const list = [snapshot('x', 100), snapshot('y', 101), snapshot('z', 99), snapshot('old', 800)]
    const forward = autoSnapshotsToPrune(list, now, rule).sort()
    const backward = autoSnapshotsToPrune([...list].reverse(), now, rule).sort()
    expect(forward).toEqual(backward)
    // 99, 100 and 101 hours ago are on 2026-11-21 (07:00–09:00 UTC): the newest, z, stays; so does
    // the one of 800 hours ago, the only one of its day.
    expect(forward).toEqual(['x', 'y'])
  })
})
