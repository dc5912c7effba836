/**
 * A BoardStorage that delegates to a real one and lets a test watch and hold its calls: count
 * loads and appends, keep a load or an append waiting until the test releases it, or add latency
 * to a lookup the way a networked database would.
 */
import type { Role } from '../../shared/auth/roles.ts'
import type { BoardId } from '../../shared/ids.ts'
import type { LinkId } from '../../server/auth/links.ts'
import type { BoardMeta, BoardStorage, LinkRecord } from '../../server/storage/BoardStorage.ts'

export class InstrumentedStorage implements BoardStorage {
  /** Boards passed to loadUpdates, one entry per call. */
  readonly loadCalls: BoardId[] = []
  /** While set, loadUpdates waits for it before reading. */
  loadGate: Promise<void> | null = null
  /** Boards passed to appendUpdate, one entry per call. */
  readonly appendCalls: BoardId[] = []
  /** While set, appendUpdate waits for it before writing. */
  appendGate: Promise<void> | null = null
  /** Latency added to getBoard, in milliseconds (a timer, so it crosses an event-loop turn). */
  getBoardDelayMs = 0
  /** Each compaction as it started: the board, the state's size and the last seq it replaces. */
  readonly compactCalls: Array<{ id: BoardId; bytes: number; throughSeq: number }> = []
  /** While set, compact waits for it before writing (a slow compaction). */
  compactGate: Promise<void> | null = null
  /** While set, appendUpdate throws it instead of writing (a full disk, a read-only file). */
  appendError: Error | null = null
  /** While set, check throws it (what /healthz runs). */
  checkError: Error | null = null

  constructor(readonly inner: BoardStorage) {}

  createBoard(id: BoardId, title: string, initialUpdate: Uint8Array): Promise<BoardMeta> {
    return this.inner.createBoard(id, title, initialUpdate)
  }

  async getBoard(id: BoardId): Promise<BoardMeta | null> {
    if (this.getBoardDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.getBoardDelayMs))
    return this.inner.getBoard(id)
  }

  listBoards(): Promise<BoardMeta[]> {
    return this.inner.listBoards()
  }

  setTitle(id: BoardId, title: string): Promise<void> {
    return this.inner.setTitle(id, title)
  }

  touchBoard(id: BoardId, at: Date): Promise<void> {
    return this.inner.touchBoard(id, at)
  }

  async loadUpdates(id: BoardId): Promise<{ updates: Uint8Array[]; lastSeq: number }> {
    this.loadCalls.push(id)
    if (this.loadGate) await this.loadGate
    return this.inner.loadUpdates(id)
  }

  async appendUpdate(id: BoardId, update: Uint8Array): Promise<number> {
    this.appendCalls.push(id)
    if (this.appendGate) await this.appendGate
    if (this.appendError) throw this.appendError
    return this.inner.appendUpdate(id, update)
  }

  async compact(id: BoardId, state: Uint8Array, throughSeq: number): Promise<void> {
    this.compactCalls.push({ id, bytes: state.byteLength, throughSeq })
    if (this.compactGate) await this.compactGate
    return this.inner.compact(id, state, throughSeq)
  }

  logStats(id: BoardId): Promise<{ count: number; bytes: number }> {
    return this.inner.logStats(id)
  }

  createLink(link: { id: LinkId; boardId: BoardId; role: Role; tokenHash: Uint8Array }): Promise<LinkRecord> {
    return this.inner.createLink(link)
  }

  getLink(id: LinkId): Promise<LinkRecord | null> {
    return this.inner.getLink(id)
  }

  listLinks(boardId: BoardId): Promise<LinkRecord[]> {
    return this.inner.listLinks(boardId)
  }

  revokeLink(boardId: BoardId, id: LinkId, at: Date): Promise<boolean> {
    return this.inner.revokeLink(boardId, id, at)
  }

  async check(): Promise<void> {
    if (this.checkError) throw this.checkError
    return this.inner.check()
  }

  close(): Promise<void> {
    return this.inner.close()
  }
}
