/**
 * Loads each board's room once, however many connections ask at the same moment, and unloads it
 * a while after the last one leaves. A board that unloads after changes gets an automatic
 * snapshot (at most one per AUTO_SNAPSHOT_EVERY_MS), so its history fills in without anyone
 * remembering to take one.
 */
import * as Y from 'yjs'
import { newSnapshotId, type BoardId } from '../../shared/ids.ts'
import { CloseCode } from '../../shared/sync/protocol.ts'
import { AUTO_SNAPSHOT_EVERY_MS, COMPACT_AFTER_UPDATES, ROOM_IDLE_UNLOAD_MS } from '../config.ts'
import { autoSnapshotsToPrune } from '../history/retention.ts'
import type { Logger } from '../log.ts'
import type { BoardStorage } from '../storage/BoardStorage.ts'
import type { SnapshotStorage } from '../storage/SnapshotStorage.ts'
import { StorageHealth } from '../storage/StorageHealth.ts'
import { Room, type RoomOrigin } from './Room.ts'

const STORAGE_ORIGIN: RoomOrigin = { kind: 'storage' }

export class RoomRegistry {
  /** In-flight and finished loads, so a board never loads twice. */
  private readonly rooms = new Map<BoardId, Promise<Room>>()
  /** Rooms being unloaded; a new load of the same board waits for them to finish. */
  private readonly closing = new Map<BoardId, Promise<void>>()
  private readonly idleTimers = new Map<BoardId, NodeJS.Timeout>()
  /** Boards whose last write failed; /healthz reads it. */
  readonly storageHealth = new StorageHealth()

  constructor(
    private readonly storage: BoardStorage,
    private readonly log: Logger,
    private readonly idleUnloadMs = ROOM_IDLE_UNLOAD_MS,
    /** The benchmark turns compaction off (Infinity) to measure what it costs. */
    private readonly compactAfterUpdates = COMPACT_AFTER_UPDATES,
    /** Where idle boards' automatic snapshots go; none are taken without it. */
    private readonly snapshots: SnapshotStorage | null = null,
  ) {}

  get loadedCount(): number {
    return this.rooms.size
  }

  /** The board's room, loading it from storage first if needed. */
  async get(id: BoardId): Promise<Room> {
    this.cancelIdle(id)
    let loading = this.rooms.get(id)
    if (!loading) {
      loading = this.load(id)
      this.rooms.set(id, loading)
      loading.catch(() => this.rooms.delete(id))
    }
    const room = await loading
    if (room.isOpen) return room
    // A room that failed (storage error) is dropped; the next use loads the board afresh.
    if (this.rooms.get(id) === loading) this.rooms.delete(id)
    return this.get(id)
  }

  /** Called when a room may have become empty: unload it after a grace period. */
  /**
   * Borrows the board's room for `task`, then releases it so an idle board can unload: the one
   * way HTTP routes reach a live document.
   */
  async use<T>(id: BoardId, task: (room: Room) => Promise<T> | T): Promise<T> {
    const room = await this.get(id)
    try {
      return await task(room)
    } finally {
      this.release(room)
    }
  }

  release(room: Room): void {
    if (room.peerCount > 0) return
    if (!room.isOpen) {
      this.forget(room)
      return
    }
    this.cancelIdle(room.id)
    const timer = setTimeout(() => {
      this.idleTimers.delete(room.id)
      if (room.peerCount === 0) void this.unload(room)
    }, this.idleUnloadMs)
    timer.unref()
    this.idleTimers.set(room.id, timer)
  }

  /** Closes every room (server shutdown): compacts and tells clients to come back later. */
  async closeAll(): Promise<void> {
    for (const timer of this.idleTimers.values()) clearTimeout(timer)
    this.idleTimers.clear()
    const rooms = await Promise.allSettled(this.rooms.values())
    this.rooms.clear()
    await Promise.all(
      rooms.map((r) =>
        r.status === 'fulfilled' ? r.value.close(CloseCode.GoingAway, 'server is shutting down') : undefined,
      ),
    )
    await Promise.all(this.closing.values())
  }

  private async load(id: BoardId): Promise<Room> {
    await this.closing.get(id)
    const started = performance.now()
    const { updates, lastSeq } = await this.storage.loadUpdates(id)
    // Replaying into a doc is far faster and smaller than Y.mergeUpdates on long logs.
    const doc = new Y.Doc()
    doc.transact(() => {
      for (const [index, update] of updates.entries()) {
        try {
          Y.applyUpdate(doc, update, STORAGE_ORIGIN)
        } catch (error) {
          // Updates are checked before they are stored; one that still throws (a log written by
          // an older server) must not keep the whole board from opening.
          this.log.error({ board: id, index, err: error }, 'a stored update could not be applied')
        }
      }
    }, STORAGE_ORIGIN)
    this.log.info({ board: id, updates: updates.length, ms: Math.round(performance.now() - started) }, 'room loaded')
    return new Room(
      id,
      this.storage,
      this.log,
      { doc, lastSeq, logCount: updates.length },
      {
        health: this.storageHealth,
        compactAfterUpdates: this.compactAfterUpdates,
      },
    )
  }

  private async unload(room: Room): Promise<void> {
    if ((await this.rooms.get(room.id)) !== room) return
    this.rooms.delete(room.id)
    // Queued before the close, so it reads the doc after every write and before it is freed.
    const state = this.snapshots && room.changed ? room.run(() => Y.encodeStateAsUpdate(room.doc)) : null
    const closed = room.close(CloseCode.GoingAway, 'board unloaded').finally(() => this.closing.delete(room.id))
    this.closing.set(room.id, closed)
    await closed
    if (state) await this.autoSnapshot(room.id, await state)
    this.log.info({ board: room.id }, 'room unloaded')
  }

  /**
   * Takes the automatic snapshot, then thins the board's old automatic ones (history/retention.ts).
   * Failures are logged only: a missed automatic snapshot must not keep a board from unloading.
   */
  private async autoSnapshot(id: BoardId, state: Uint8Array): Promise<void> {
    if (!this.snapshots) return
    try {
      const now = new Date()
      const latest = await this.snapshots.latestSnapshot(id, 'auto')
      if (latest && now.getTime() - Date.parse(latest.createdAt) < AUTO_SNAPSHOT_EVERY_MS) return
      const snapshot = await this.snapshots.createSnapshot({
        id: newSnapshotId(),
        boardId: id,
        // The list shows when it was taken, in each reader's own time zone.
        name: 'Automatic, after changes',
        kind: 'auto',
        state,
      })
      this.log.info({ board: id, snapshot: snapshot.id }, 'automatic snapshot taken')
      const prune = autoSnapshotsToPrune(await this.snapshots.listSnapshots(id), now)
      if (prune.length > 0) {
        const deleted = await this.snapshots.deleteSnapshots(id, prune)
        this.log.info({ board: id, deleted }, 'old automatic snapshots let go')
      }
    } catch (error) {
      this.log.error({ board: id, err: error }, 'the automatic snapshot failed')
    }
  }

  /** A failed room: dropped so the next use loads the board afresh, and its doc freed. */
  private forget(room: Room): void {
    void this.rooms.get(room.id)?.then((current) => {
      if (current === room) this.rooms.delete(room.id)
    })
    void room.close(CloseCode.InternalError, 'the board was closed after an error')
  }

  private cancelIdle(id: BoardId): void {
    const timer = this.idleTimers.get(id)
    if (timer) {
      clearTimeout(timer)
      this.idleTimers.delete(id)
    }
  }
}
