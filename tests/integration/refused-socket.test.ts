/**
 * A socket the server is turning away (no token, bad token…) may still send garbage before it is
 * closed; that must never take the server down.
 */
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/server.ts'

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** A hand-made WebSocket upgrade, so the test can send frames no WebSocket library would. */
function rawUpgrade(port: number, path: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      )
    })
    socket.once('data', (chunk) =>
      chunk.toString().startsWith('HTTP/1.1 101') ? resolve(socket) : reject(new Error(chunk.toString())),
    )
    socket.once('error', reject)
  })
}

describe('refused sockets', () => {
  it.each([
    ['no token', '/sync/some-board'],
    ['a wrong token', '/sync/some-board?token=wrong'],
  ])('an invalid frame from a socket with %s does not crash the server', async (_label, path) => {
    server = await startTestServer()
    const socket = await rawUpgrade(server.port, path)
    // Opcode 3 is reserved: ws raises an error while reading it.
    socket.write(Buffer.from([0x83, 0x00]))
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve())
      socket.once('end', () => resolve())
    })
    socket.destroy()
    const health = await fetch(`${server.url}/healthz`)
    expect(health.status).toBe(200)
  })
})
