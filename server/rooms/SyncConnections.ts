/**
 * Every live sync connection, counted per board and sockets per IP address (for the connection
 * limits), and findable by the share link that opened it (to close them when it is revoked).
 */
import type { BoardId } from '../../shared/ids.ts'
import type { LinkId } from '../auth/links.ts'
import type { Connection } from './Connection.ts'

export class SyncConnections {
  private readonly all = new Set<Connection>()
  private readonly perBoard = new Map<BoardId, number>()
  private readonly socketsPerIp = new Map<string, number>()

  get size(): number {
    return this.all.size
  }

  [Symbol.iterator](): IterableIterator<Connection> {
    return this.all.values()
  }

  onBoard(boardId: BoardId): number {
    return this.perBoard.get(boardId) ?? 0
  }

  /** Counts a socket from `ip` unless it already holds `max`; call `releaseSocket` when it closes. */
  claimSocket(ip: string, max: number): boolean {
    const count = this.socketsPerIp.get(ip) ?? 0
    if (count >= max) return false
    this.socketsPerIp.set(ip, count + 1)
    return true
  }

  releaseSocket(ip: string): void {
    const count = (this.socketsPerIp.get(ip) ?? 0) - 1
    if (count > 0) this.socketsPerIp.set(ip, count)
    else this.socketsPerIp.delete(ip)
  }

  add(conn: Connection): void {
    if (this.all.has(conn)) return
    this.all.add(conn)
    this.perBoard.set(conn.boardId, this.onBoard(conn.boardId) + 1)
  }

  delete(conn: Connection): void {
    if (!this.all.delete(conn)) return
    const count = this.onBoard(conn.boardId) - 1
    if (count > 0) this.perBoard.set(conn.boardId, count)
    else this.perBoard.delete(conn.boardId)
  }

  closeLink(linkId: LinkId, code: number, reason: string): number {
    let closed = 0
    for (const conn of [...this.all]) {
      if (conn.access.kind === 'link' && conn.access.linkId === linkId) {
        conn.close(code, reason)
        closed++
      }
    }
    return closed
  }
}
