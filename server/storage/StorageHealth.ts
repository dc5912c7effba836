/**
 * Remembers the boards whose last write to storage failed. A failed append closes the board
 * (Room.fail), and its clients reconnect and try again; until a write to that board succeeds, the
 * server is not healthy, even when a probe write elsewhere (storage.check) would pass: a full disk
 * or a lost file can refuse the board's writes and still accept a small one.
 */
import type { BoardId } from '../../shared/ids.ts'

export interface StorageFailure {
  boardId: BoardId
  at: string
  message: string
}

export class StorageHealth {
  private readonly failures = new Map<BoardId, StorageFailure>()

  failed(boardId: BoardId, error: Error): void {
    this.failures.set(boardId, { boardId, at: new Date().toISOString(), message: error.message })
  }

  /** A write to the board succeeded: storage takes its writes again. */
  succeeded(boardId: BoardId): void {
    if (this.failures.size > 0) this.failures.delete(boardId)
  }

  /** The oldest failure not yet followed by a successful write, or null. */
  get firstFailure(): StorageFailure | null {
    for (const failure of this.failures.values()) return failure
    return null
  }
}
