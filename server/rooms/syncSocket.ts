/**
 * The sync endpoint, `/sync/:boardId`, on the Node server's `upgrade` event. Only that path is
 * taken over, so other upgrade handlers (Vite's HMR socket in dev) keep working.
 *
 * Refusals accept the upgrade and then close with 44xx and a reason: a plain HTTP error at the
 * upgrade reaches a browser as 1006 and y-websocket would retry forever, while it stops on
 * 4400–4499 and the UI can say why. Admission, in order: sockets per IP (4429), board id (4400),
 * token (4401), the token's right to this board (4403), the board (4404), connections on the
 * board (4429).
 *
 * Cookies count only for a socket opened by a page of this origin (or by no page at all): a page
 * elsewhere on the same site (another port of localhost) would otherwise ride on the browser's
 * sign-in cookie, since SameSite does not separate ports.
 */
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { decodePathSegment, parseBoardId } from '../../shared/ids.ts'
import { CloseCode } from '../../shared/sync/protocol.ts'
import { decide } from '../auth/access.ts'
import { type Authenticator, findCredentials, hasAnyToken } from '../auth/tokens.ts'
import { PING_INTERVAL_MS, type SyncLimits } from '../config.ts'
import type { Logger } from '../log.ts'
import type { BoardStorage } from '../storage/BoardStorage.ts'
import { Connection } from './Connection.ts'
import type { RoomRegistry } from './RoomRegistry.ts'
import type { SyncConnections } from './SyncConnections.ts'

export const SYNC_PATH_PREFIX = '/sync/'

export interface SyncDeps {
  auth: Authenticator
  rooms: RoomRegistry
  storage: BoardStorage
  log: Logger
  connections: SyncConnections
  limits: SyncLimits
}

export interface SyncEndpoint {
  readonly connections: SyncConnections
  /** Takes no new sockets (shutdown); the open ones stay until `close`. */
  stopAccepting(): void
  close(): void
}

export function attachSync(server: Server, deps: SyncDeps): SyncEndpoint {
  const { connections, limits } = deps
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes })

  const heartbeat = setInterval(() => {
    for (const conn of connections) conn.heartbeat()
  }, PING_INTERVAL_MS)
  heartbeat.unref()

  async function admit(ws: WebSocket, req: IncomingMessage, url: URL): Promise<void> {
    const refuse = (code: number, reason: string) => {
      deps.log.info({ path: url.pathname, code, reason }, 'sync refused')
      // Paused sockets do not read, and so would never see the client's half of the close.
      ws.resume()
      ws.close(code, reason)
    }
    const boardId = parseBoardId(decodePathSegment(url.pathname.slice(SYNC_PATH_PREFIX.length)))
    if (!boardId) return refuse(CloseCode.BadMessage, 'board id must be 1–64 letters, digits, "-" or "_"')
    const credentials = findCredentials({
      authorization: req.headers.authorization,
      query: url.searchParams.get('token'),
      cookieHeader: req.headers.cookie,
      boardId,
      cookies: sameOrigin(req),
    })
    if (!hasAnyToken(credentials)) return refuse(CloseCode.Unauthorized, 'no token: sign in first')
    const access = await deps.auth.resolve(credentials)
    if (!access) return refuse(CloseCode.Unauthorized, 'this token is not valid here')
    const decision = decide(access, 'read', boardId)
    if (!decision.ok) return refuse(CloseCode.Forbidden, decision.reason)
    if (!(await deps.storage.getBoard(boardId))) return refuse(CloseCode.NotFound, 'no board with this id')
    if (connections.onBoard(boardId) >= limits.maxConnectionsPerBoard) {
      return refuse(CloseCode.TooManyRequests, `too many connections: this board has ${limits.maxConnectionsPerBoard}`)
    }
    if (ws.readyState !== ws.OPEN) return
    const conn: Connection = new Connection(ws, {
      boardId,
      access,
      registry: deps.rooms,
      log: deps.log,
      limits,
      onEnded: () => connections.delete(conn),
    })
    ws.resume()
    if (conn.isOpen) connections.add(conn)
    ws.on('close', (code) => deps.log.info({ conn: conn.id, board: boardId, code }, 'sync closed'))
    deps.log.info({ conn: conn.id, board: boardId, access: access.kind }, 'sync opened')
    // A revocation that ran while this connection was being admitted did not see it.
    if (access.kind === 'link' && !(await deps.auth.linkActive(access.linkId)) && conn.isOpen) {
      conn.close(CloseCode.Forbidden, 'this link was revoked')
    }
  }

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (!url.pathname.startsWith(SYNC_PATH_PREFIX)) {
      // Leave other paths to other upgrade handlers; with none, say so instead of hanging.
      if (server.listenerCount('upgrade') === 1) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      }
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // First of all: an 'error' with no listener (say, an invalid frame from a socket that is
      // being refused) would take the whole process down.
      ws.on('error', (error) => deps.log.warn({ err: error.message }, 'sync socket error'))
      // Hold incoming frames until admission (an async storage lookup) has attached the
      // connection's listeners: y-websocket sends sync step 1 the moment the socket opens.
      ws.pause()
      const ip = req.socket.remoteAddress ?? 'unknown'
      if (!connections.claimSocket(ip, limits.maxConnectionsPerIp)) {
        deps.log.warn({ ip }, 'sync refused: too many connections from one address')
        ws.resume()
        ws.close(CloseCode.TooManyRequests, `too many connections: at most ${limits.maxConnectionsPerIp} per address`)
        return
      }
      ws.once('close', () => connections.releaseSocket(ip))
      admit(ws, req, url).catch((error: Error) => {
        deps.log.error({ err: error }, 'sync admission failed')
        ws.resume()
        ws.close(CloseCode.InternalError, 'the server could not open this board')
      })
    })
  }
  server.on('upgrade', onUpgrade)

  return {
    connections,
    stopAccepting() {
      server.off('upgrade', onUpgrade)
    },
    close() {
      clearInterval(heartbeat)
      server.off('upgrade', onUpgrade)
      for (const ws of wss.clients) ws.terminate()
      wss.close()
    },
  }
}

/** True when no page opened the socket (no Origin) or a page of the host it connects to did. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin
  if (!origin) return true
  try {
    return new URL(origin).host === req.headers.host
  } catch {
    return false
  }
}
