/**
 * Sync end to end with stock y-websocket providers on real loopback sockets: convergence,
 * durability across a restart on the same DATA_DIR, reconnection by itself, and the loading rules
 * (never answered from an empty document, one storage load per board).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createBoard, startTestServer, type TestServer } from '../helpers/server.ts'
import { InstrumentedStorage } from '../helpers/storage.ts'
import { Cleanup, connectClient, openRawSocket, snapshot, syncUrl, type SyncClient } from '../helpers/sync.ts'
import { createGate, waitFor } from '../helpers/wait.ts'

const cleanup = new Cleanup()
afterEach(() => cleanup.run())

async function server(options?: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const s = await startTestServer(options)
  cleanup.add(() => s.close())
  return s
}

function synced(client: SyncClient, label: string) {
  return waitFor(() => client.provider.synced, { message: `${label} to sync` })
}

function shape(id: string, x: number) {
  return { id, typeName: 'shape', x, y: 0 }
}

describe('sync', () => {
  it('two clients on one board converge on each other’s edits', async () => {
    const s = await server()
    const board = await createBoard(s, 'Converge')
    const a = connectClient(s, board.id, cleanup)
    const b = connectClient(s, board.id, cleanup)
    await synced(a, 'client a')
    await synced(b, 'client b')
    expect(a.doc.getMap('meta').get('title')).toBe('Converge')

    a.doc.getMap('records').set('shape:a', shape('shape:a', 1))
    a.doc.getArray('list').push(['from a'])
    b.doc.getMap('records').set('shape:b', shape('shape:b', 2))
    b.doc.getArray('list').push(['from b'])

    for (const [client, label] of [
      [a, 'a'],
      [b, 'b'],
    ] as const) {
      await waitFor(() => client.doc.getMap('records').size === 2 && client.doc.getArray('list').length === 2, {
        message: `client ${label} to hold both edits`,
      })
    }
    expect(snapshot(a.doc)).toEqual(snapshot(b.doc))
    expect(snapshot(a.doc).records).toEqual({ 'shape:a': shape('shape:a', 1), 'shape:b': shape('shape:b', 2) })
    expect([...snapshot(a.doc).list].sort()).toEqual(['from a', 'from b'])
  })

  it('keeps a board across a restart on the same DATA_DIR', async () => {
    const s = await server()
    const board = await createBoard(s, 'Durable')
    const writer = connectClient(s, board.id, cleanup)
    const reader = connectClient(s, board.id, cleanup)
    await synced(writer, 'writer')
    await synced(reader, 'reader')
    writer.doc.getMap('records').set('shape:kept', shape('shape:kept', 7))
    writer.doc.getArray('list').push(['kept'])
    // The server broadcasts only what it has stored, so once the reader has it, it is on disk.
    await waitFor(() => reader.doc.getArray('list').length === 1, { message: 'the reader to receive the edit' })
    const before = snapshot(writer.doc)
    writer.destroy()
    reader.destroy()

    await s.restart()

    const late = connectClient(s, board.id, cleanup)
    await synced(late, 'client after restart')
    expect(snapshot(late.doc)).toEqual(before)
    expect(snapshot(late.doc).meta.title).toBe('Durable')
  })

  it('a provider left open reconnects by itself and its offline edits merge', async () => {
    const s = await server()
    const board = await createBoard(s, 'Offline')
    const stays = connectClient(s, board.id, cleanup)
    const other = connectClient(s, board.id, cleanup)
    await synced(stays, 'the staying client')
    await synced(other, 'the other client')
    stays.doc.getMap('records').set('shape:online', shape('shape:online', 1))
    await waitFor(() => other.doc.getMap('records').has('shape:online'), { message: 'the online edit to arrive' })
    other.destroy()

    await s.stop()
    await waitFor(() => !stays.provider.wsconnected && !stays.provider.synced, {
      message: 'the provider to notice the server is gone',
    })
    stays.doc.getMap('records').set('shape:offline', shape('shape:offline', 2))
    stays.doc.getArray('list').push(['written offline'])
    await s.start()

    await waitFor(() => stays.provider.synced, { message: 'the provider to reconnect and sync by itself' })
    expect(stays.statuses.filter((st) => st === 'connected').length).toBeGreaterThanOrEqual(2)
    const fresh = connectClient(s, board.id, cleanup)
    await synced(fresh, 'a fresh client')
    await waitFor(() => fresh.doc.getMap('records').has('shape:offline'), {
      message: 'the offline edit to reach the server',
    })
    expect(snapshot(fresh.doc)).toEqual(snapshot(stays.doc))
    expect(snapshot(fresh.doc).records).toEqual({
      'shape:online': shape('shape:online', 1),
      'shape:offline': shape('shape:offline', 2),
    })
    expect(snapshot(fresh.doc).list).toEqual(['written offline'])
  })

  it('never answers a board from an empty document while it is still loading', async () => {
    const s = await server()
    const board = await createBoard(s, 'Slow load')
    const writer = connectClient(s, board.id, cleanup)
    await synced(writer, 'writer')
    writer.doc.getMap('records').set('shape:loaded', shape('shape:loaded', 3))
    const reader = connectClient(s, board.id, cleanup)
    await synced(reader, 'reader')
    await waitFor(() => reader.doc.getMap('records').has('shape:loaded'), { message: 'the edit to be stored' })
    const expected = snapshot(writer.doc)
    writer.destroy()
    reader.destroy()

    // Restart so the board is loaded from storage again, this time through a load we hold.
    const gate = createGate()
    let storage: InstrumentedStorage | null = null
    await s.restart({
      storage: (sqlite) => {
        storage = new InstrumentedStorage(sqlite)
        storage.loadGate = gate.promise
        return storage
      },
    })
    // Cleanup runs newest first, so a held load is released before the server waits for it.
    cleanup.add(() => gate.release())
    const held = storage as InstrumentedStorage | null
    if (!held) throw new Error('the restart did not build the instrumented storage')

    const client = connectClient(s, board.id, cleanup)
    const raw = openRawSocket(syncUrl(s, board.id, s.token), cleanup)
    await waitFor(() => client.provider.wsconnected, { message: 'the provider’s socket to open' })
    await raw.opened
    await waitFor(() => held.loadCalls.length === 1, { message: 'the board load to start' })
    // Round trips through the server: anything it would answer early has been sent by now.
    for (let i = 0; i < 3; i++) expect((await fetch(`${s.url}/healthz`)).status).toBe(200)

    expect(client.provider.synced).toBe(false)
    expect(client.doc.getMap('records').size).toBe(0)
    expect(client.doc.getMap('meta').get('title')).toBeUndefined()
    expect(raw.messages).toHaveLength(0)

    gate.release()
    await synced(client, 'the client once the load is released')
    expect(snapshot(client.doc)).toEqual(expected)
    await waitFor(() => raw.messages.length > 0, { message: 'the raw socket to get the server’s sync step 1' })
    expect(held.loadCalls).toEqual([board.id])
  })

  it('loads a board from storage once when two clients connect at the same moment', async () => {
    const gate = createGate()
    let storage: InstrumentedStorage | null = null
    const s = await server({
      storage: (sqlite) => {
        storage = new InstrumentedStorage(sqlite)
        storage.loadGate = gate.promise
        return storage
      },
    })
    cleanup.add(() => gate.release())
    const held = storage as InstrumentedStorage | null
    if (!held) throw new Error('the server did not build the instrumented storage')
    const board = await createBoard(s, 'Once')
    expect(held.loadCalls).toHaveLength(0)

    const a = connectClient(s, board.id, cleanup)
    const b = connectClient(s, board.id, cleanup)
    await waitFor(() => a.provider.wsconnected && b.provider.wsconnected, { message: 'both sockets to open' })
    await waitFor(() => held.loadCalls.length >= 1, { message: 'the load to start' })
    expect(s.server.rooms.loadedCount).toBe(1)
    gate.release()

    await synced(a, 'client a')
    await synced(b, 'client b')
    expect(held.loadCalls).toEqual([board.id])
    expect(a.doc.getMap('meta').get('title')).toBe('Once')
    expect(b.doc.getMap('meta').get('title')).toBe('Once')
  })

  // BoardStorage is asynchronous so that a networked engine can sit behind it. A lookup that takes
  // a real event-loop turn must not make the server lose the client's first frames.
  it('syncs a client even when the board lookup at admission is slow (networked storage)', async () => {
    const s = await server({
      storage: (sqlite) => {
        const storage = new InstrumentedStorage(sqlite)
        storage.getBoardDelayMs = 25
        return storage
      },
    })
    const board = await createBoard(s, 'Slow lookup')
    const client = connectClient(s, board.id, cleanup)
    await waitFor(() => client.provider.synced, {
      message: 'the client to sync (its sync step 1 was sent while the server was still admitting it)',
    })
    expect(client.doc.getMap('meta').get('title')).toBe('Slow lookup')
  })
})
