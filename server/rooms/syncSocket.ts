/**
 * The sync endpoint, `/sync/:boardId`, on the Node server's `upgrade` event. Only that path is
 * taken over, so other upgrade handlers (Vite's HMR socket in dev) keep working.
 *
 * Refusals accept the upgrade and then close with 4401/4403/4404 and a reason: a plain HTTP error
 * at the upgrade reaches a browser as 1006 and y-websocket would retry forever, while it stops on
 * 4400–4499 and the UI can say why.
 */
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { parseBoardId } from '../../shared/ids.ts'
import { CloseCode } from '../../shared/sync/protocol.ts'
import { type Authenticator, findToken } from '../auth/tokens.ts'
import { MAX_WS_MESSAGE_BYTES, PING_INTERVAL_MS } from '../config.ts'
import type { Logger } from '../log.ts'
import type { BoardStorage } from '../storage/BoardStorage.ts'
import { Connection } from './Connection.ts'
import type { RoomRegistry } from './RoomRegistry.ts'

export const SYNC_PATH_PREFIX = '/sync/'

export interface SyncDeps {
  auth: Authenticator
  rooms: RoomRegistry
  storage: BoardStorage
  log: Logger
}

export interface SyncEndpoint {
  readonly connections: ReadonlySet<Connection>
  close(): void
}

export function attachSync(server: Server, deps: SyncDeps): SyncEndpoint {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES })
  const connections = new Set<Connection>()

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
    const boardId = parseBoardId(safeDecode(url.pathname.slice(SYNC_PATH_PREFIX.length)))
    if (!boardId) return refuse(CloseCode.BadMessage, 'board id must be 1–64 letters, digits, "-" or "_"')
    const token = findToken({
      authorization: req.headers.authorization,
      query: url.searchParams.get('token'),
      cookieHeader: req.headers.cookie,
    })
    if (!token) return refuse(CloseCode.Unauthorized, 'no token: sign in first')
    if (!deps.auth.check(token)) return refuse(CloseCode.Unauthorized, 'this token is not valid here')
    if (!(await deps.storage.getBoard(boardId))) return refuse(CloseCode.NotFound, 'no board with this id')
    if (ws.readyState !== ws.OPEN) return
    const conn = new Connection(ws, boardId, deps.rooms, deps.log)
    ws.resume()
    connections.add(conn)
    ws.on('close', (code) => {
      connections.delete(conn)
      deps.log.info({ conn: conn.id, board: boardId, code }, 'sync closed')
    })
    deps.log.info({ conn: conn.id, board: boardId }, 'sync opened')
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
      // Hold incoming frames until admission (an async storage lookup) has attached the
      // connection's listeners: y-websocket sends sync step 1 the moment the socket opens.
      ws.pause()
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
    close() {
      clearInterval(heartbeat)
      server.off('upgrade', onUpgrade)
      for (const ws of wss.clients) ws.terminate()
      wss.close()
    },
  }
}

function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value)
  } catch {
    return null
  }
}
