/**
 * One board's live document while anyone uses it: the Y.Doc, the awareness of who is here, the
 * connections, and the rule that an update reaches memory and other clients only once it is on
 * disk.
 *
 * Every change to the document goes through `run`, a serial queue: append to storage, then apply
 * to the doc, whose 'update' event broadcasts. Because nothing enters the doc before it is stored,
 * whatever a client is sent (a broadcast or a sync step 2) is already durable.
 */
import * as encoding from 'lib0/encoding'
import * as random from 'lib0/random'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { MAX_TITLE_LENGTH, META_TITLE, metaMap, normalizeTitle, readTitle } from '../../shared/doc/layout.ts'
import type { BoardId } from '../../shared/ids.ts'
import { CloseCode, MESSAGE_AWARENESS, MESSAGE_SYNC } from '../../shared/sync/protocol.ts'
import { COMPACT_AFTER_UPDATES, TOUCH_BOARD_EVERY_MS } from '../config.ts'
import type { Logger } from '../log.ts'
import type { BoardStorage } from '../storage/BoardStorage.ts'
import { StorageHealth } from '../storage/StorageHealth.ts'
import { decodeUpdate, MalformedUpdate, type DecodedUpdate } from './decodedUpdate.ts'
import type { AwarenessEntry } from './awarenessCheck.ts'
import { checkDependencies, newStructs } from './updateDependencies.ts'
import { touchesOnly } from './updateScope.ts'

/** What a room needs of a connection; the socket handling lives in Connection.ts. */
export interface RoomPeer {
  readonly id: number
  send(message: Uint8Array): void
  close(code: number, reason: string): void
  /** Awareness client ids this peer has announced, removed when it leaves. */
  readonly awarenessIds: Set<number>
  /**
   * Who is behind the peer, as far as the server can tell ("workspace", or one share link): a
   * client id in use by one principal's connection cannot be taken over by another's.
   */
  readonly principal: string
}

/** What a connection may change: everything, nothing, or what lies inside one root type. */
export type WriteScope = { kind: 'all' } | { kind: 'none' } | { kind: 'inside'; root: string }
export const WRITE_ALL: WriteScope = { kind: 'all' }

/**
 *   applied    stored, applied and broadcast
 *   unchanged  nothing new for the document (most sync step 2s of clients that only read)
 *   forbidden  changes what the scope does not allow: dropped, never stored or broadcast
 *   missing    builds on changes of the `needs` clients that the document does not have
 * `writers` are the clients whose new structs a refused update carries.
 */
export type WriteResult =
  | { kind: 'applied' }
  | { kind: 'unchanged' }
  | { kind: 'forbidden'; writers: number[] }
  | { kind: 'missing'; needs: number[]; writers: number[] }

/** Who made a change to the doc; the update handler uses it to skip echoing to the sender. */
export type RoomOrigin = { kind: 'peer'; peer: RoomPeer } | { kind: 'storage' } | { kind: 'server'; reason: string }

/** The close reason (with 1011) when the board's update could not be stored. */
export const STORAGE_FAILED_REASON = 'storage failed: the board could not be saved'

type RoomState = { kind: 'open' } | { kind: 'closing'; closed: Promise<void> } | { kind: 'failed'; error: Error }

export class Room {
  readonly doc: Y.Doc
  readonly awareness: awarenessProtocol.Awareness
  private readonly peers = new Set<RoomPeer>()
  /** Who each awareness client id belongs to (see awarenessSpeech), while the room is loaded. */
  private readonly awarenessOwners = new Map<number, { principal: string; peer: RoomPeer | null }>()
  private state: RoomState = { kind: 'open' }
  private queue: Promise<unknown> = Promise.resolve()
  private lastSeq: number
  private logCount: number
  private lastTouch = 0
  private changedSinceLoad = false
  private readonly health: StorageHealth
  private readonly compactAfterUpdates: number
  /** The Yjs client id the server's own changes are written under while this room is loaded. */
  private readonly serverClientId = random.uint32()

  constructor(
    readonly id: BoardId,
    private readonly storage: BoardStorage,
    private readonly log: Logger,
    loaded: { doc: Y.Doc; lastSeq: number; logCount: number },
    options: { health?: StorageHealth; compactAfterUpdates?: number } = {},
  ) {
    this.health = options.health ?? new StorageHealth()
    this.compactAfterUpdates = options.compactAfterUpdates ?? COMPACT_AFTER_UPDATES
    this.doc = loaded.doc
    this.lastSeq = loaded.lastSeq
    this.logCount = loaded.logCount
    this.awareness = new awarenessProtocol.Awareness(this.doc)
    // The server itself is not a collaborator: no cursor, no name.
    this.awareness.setLocalState(null)
    this.doc.on('update', this.onDocUpdate)
    this.awareness.on('update', this.onAwarenessUpdate)
    metaMap(this.doc).observe(this.onMetaChange)
  }

  get peerCount(): number {
    return this.peers.size
  }

  /** Whether any update was applied since the board was loaded (the idle snapshot asks). */
  get changed(): boolean {
    return this.changedSinceLoad
  }

  get isOpen(): boolean {
    return this.state.kind === 'open'
  }

  /** Runs `task` after every task queued before it; a failed task does not stop later ones. */
  run<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.queue.then(task)
    this.queue = result.catch(() => undefined)
    return result
  }

  /** Resolves once everything queued so far is done (and so on disk). */
  flushed(): Promise<void> {
    // A room that is closing or failed refuses writes; it must not vouch for them either, or a
    // client would show "saved" for an update that was dropped.
    return this.run(() => {
      if (this.state.kind !== 'open') throw new Error(`board ${this.id} is ${this.state.kind}`)
    })
  }

  addPeer(peer: RoomPeer): void {
    this.peers.add(peer)
    peer.send(this.encodeSyncStep1())
    const states = this.awareness.getStates()
    if (states.size > 0) {
      peer.send(this.encodeAwareness([...states.keys()]))
    }
  }

  removePeer(peer: RoomPeer): void {
    if (!this.peers.delete(peer)) return
    // Its principal keeps the client ids: only the same person may announce them again.
    for (const id of peer.awarenessIds) {
      const owner = this.awarenessOwners.get(id)
      if (owner?.peer === peer) owner.peer = null
    }
    if (peer.awarenessIds.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.awarenessIds], null)
    }
  }

  /** The server's state vector: a client answers with everything the server lacks (step 2). */
  encodeSyncStep1(): Uint8Array {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    syncProtocol.writeSyncStep1(encoder, this.doc)
    return encoding.toUint8Array(encoder)
  }

  /** The reply to a client's sync step 1: everything it lacks. */
  encodeSyncStep2(stateVector: Uint8Array): Uint8Array {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2)
    encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(this.doc, stateVector))
    return encoding.toUint8Array(encoder)
  }

  /**
   * Checks, stores, then applies an update. It is decoded before it is queued, so a malformed one
   * is refused at once; what it builds on and what it changes are checked in the queue, against
   * the document as it is when the update's turn comes. Only an update that the document can
   * take whole, that changes something and that `scope` allows reaches storage, the document and
   * the other clients.
   */
  applyUpdate(
    update: Uint8Array | DecodedUpdate,
    origin: RoomOrigin,
    scope: WriteScope = WRITE_ALL,
  ): Promise<WriteResult> {
    const decoded = update instanceof Uint8Array ? decodeUpdate(update) : update
    return this.run(() => this.applyNow(decoded, origin, scope))
  }

  /** applyUpdate's work, for a task that already holds the queue. */
  private async applyNow(decoded: DecodedUpdate, origin: RoomOrigin, scope: WriteScope): Promise<WriteResult> {
    if (this.state.kind !== 'open') throw new Error(`board ${this.id} is ${this.state.kind}`)
    const check = checkDependencies(this.doc, decoded)
    if (check.kind === 'malformed') throw new MalformedUpdate(check.reason)
    if (check.kind === 'ok' && !check.changes) return { kind: 'unchanged' }
    if (scope.kind === 'none') return { kind: 'forbidden', writers: writers(this.doc, decoded) }
    if (check.kind === 'missing') return { kind: 'missing', needs: check.clients, writers: writers(this.doc, decoded) }
    if (scope.kind === 'inside' && !touchesOnly(this.doc, decoded, scope.root)) {
      return { kind: 'forbidden', writers: writers(this.doc, decoded) }
    }
    try {
      this.lastSeq = await this.storage.appendUpdate(this.id, decoded.bytes)
    } catch (error) {
      this.health.failed(this.id, error as Error)
      this.fail(error as Error, STORAGE_FAILED_REASON)
      throw error
    }
    this.health.succeeded(this.id)
    this.logCount++
    this.changedSinceLoad = true
    try {
      Y.applyUpdate(this.doc, decoded.bytes, origin)
    } catch (error) {
      // The checks above exist so this never happens; if it does, the document may hold half
      // of the update, so everyone reloads it from storage, which replays the same steps.
      this.fail(error as Error, 'the board hit an error and must be reopened')
      throw error
    }
    await this.afterWrite()
    return { kind: 'applied' }
  }

  /**
   * Changes the doc on the server's behalf (HTTP API), stored before anyone sees it. `fn` runs in
   * the room's queue on a draft of the document as it is at that turn, so it sees every write
   * before it, and two changes never build on the same state. Every server change of this room
   * writes under one Yjs client id, so API writes do not grow the document's state vector.
   * `before`, when given, runs first in the same turn on the live document as it is then (a
   * restore's backup): nothing can land between the two.
   */
  change(reason: string, fn: (doc: Y.Doc) => void, before?: (live: Y.Doc) => Promise<void>): Promise<void> {
    return this.run(async () => {
      if (this.state.kind !== 'open') throw new Error(`board ${this.id} is ${this.state.kind}`)
      await before?.(this.doc)
      const draft = new Y.Doc({ gc: false })
      try {
        Y.applyUpdate(draft, Y.encodeStateAsUpdate(this.doc))
        // Set after loading: Yjs gives a doc a fresh id when a remote update carries its own.
        draft.clientID = this.serverClientId
        const before = Y.encodeStateVector(draft)
        fn(draft)
        const update = Y.encodeStateAsUpdate(draft, before)
        const result = await this.applyNow(decodeUpdate(update), { kind: 'server', reason }, WRITE_ALL)
        if (result.kind === 'missing' || result.kind === 'forbidden') {
          throw new Error(`the server's own change was not applied (${result.kind})`)
        }
      } finally {
        draft.destroy()
      }
    })
  }

  /** Whether applying this awareness entry would change anything (y-protocols' own rule). */
  private awarenessChangedBy(entry: AwarenessEntry): boolean {
    const clock = this.awareness.meta.get(entry.clientId)?.clock ?? 0
    return (
      clock < entry.clock || (clock === entry.clock && entry.removed && this.awareness.getStates().has(entry.clientId))
    )
  }

  /**
   * The client ids of an awareness update this peer may speak for: those it would change (stock
   * y-websocket clients send back every presence change they receive, other people's included,
   * and forward removals of people they stopped hearing from) and that no other principal owns.
   * A client id belongs to the principal whose connection first announced it, for as long as the
   * room is loaded, so nobody else can take it over — not even after its owner's socket is gone.
   */
  awarenessSpeech(entries: AwarenessEntry[], peer: RoomPeer): { own: AwarenessEntry[]; others: number } {
    const own: AwarenessEntry[] = []
    let others = 0
    for (const entry of entries) {
      if (!this.awarenessChangedBy(entry)) continue
      const owner = this.awarenessOwners.get(entry.clientId)
      if (owner && owner.principal !== peer.principal) others++
      else own.push(entry)
    }
    return { own, others }
  }

  /**
   * Applies the entries a peer may speak for (see awarenessSpeech), and makes that peer the
   * connection behind each: when it leaves, their presence goes with it.
   */
  applyAwareness(entries: AwarenessEntry[], peer: RoomPeer): void {
    if (entries.length === 0) return
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, entries.length)
    for (const entry of entries) {
      encoding.writeVarUint(encoder, entry.clientId)
      encoding.writeVarUint(encoder, entry.clock)
      encoding.writeVarString(encoder, entry.json)
    }
    for (const entry of entries) {
      const previous = this.awarenessOwners.get(entry.clientId)?.peer
      if (previous && previous !== peer) previous.awarenessIds.delete(entry.clientId)
      this.awarenessOwners.set(entry.clientId, { principal: peer.principal, peer: entry.removed ? null : peer })
      if (entry.removed) peer.awarenessIds.delete(entry.clientId)
      else peer.awarenessIds.add(entry.clientId)
    }
    awarenessProtocol.applyAwarenessUpdate(this.awareness, encoding.toUint8Array(encoder), peer)
  }

  encodeAwarenessStates(): Uint8Array {
    return this.encodeAwareness([...this.awareness.getStates().keys()])
  }

  /** Compacts the log, closes every connection with `code`, and frees the doc. */
  close(code: number, reason: string): Promise<void> {
    if (this.state.kind === 'closing') return this.state.closed
    const wasOpen = this.state.kind === 'open'
    const closed = (async () => {
      await this.queue
      if (wasOpen && this.logCount > 1)
        await this.compact().catch((error) =>
          this.log.error({ board: this.id, err: error }, 'compaction on close failed'),
        )
      for (const peer of this.peers) peer.close(code, reason)
      this.peers.clear()
      this.doc.off('update', this.onDocUpdate)
      this.awareness.destroy()
      this.doc.destroy()
    })()
    this.state = { kind: 'closing', closed }
    return closed
  }

  /**
   * Bookkeeping after a stored update. Its failures are logged, not thrown: the update itself is
   * stored and sent, so its sender must not be refused, and a failed compaction leaves the log as
   * it was (one transaction); the next one tries again.
   */
  private async afterWrite(): Promise<void> {
    const now = Date.now()
    try {
      if (now - this.lastTouch >= TOUCH_BOARD_EVERY_MS) {
        this.lastTouch = now
        await this.storage.touchBoard(this.id, new Date(now))
      }
      if (this.logCount >= this.compactAfterUpdates) await this.compact()
    } catch (error) {
      this.log.error({ board: this.id, err: error }, 'storage failed after a write (board touch or compaction)')
    }
  }

  /** Replaces the log with one state. Runs inside the queue, so no append can interleave. */
  private async compact(): Promise<void> {
    const state = Y.encodeStateAsUpdate(this.doc)
    await this.storage.compact(this.id, state, this.lastSeq)
    this.logCount = 1
    this.log.debug({ board: this.id, bytes: state.byteLength }, 'compacted')
  }

  private fail(error: Error, reason: string): void {
    if (this.state.kind !== 'open') return
    this.state = { kind: 'failed', error }
    this.log.error({ board: this.id, err: error }, `${reason}; board closed`)
    for (const peer of this.peers) peer.close(CloseCode.InternalError, reason)
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    syncProtocol.writeUpdate(encoder, update)
    const message = encoding.toUint8Array(encoder)
    const sender = (origin as RoomOrigin | null)?.kind === 'peer' ? (origin as { peer: RoomPeer }).peer : null
    for (const peer of this.peers) {
      if (peer !== sender) peer.send(message)
    }
  }

  private readonly onAwarenessUpdate = (
    changes: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = [...changes.added, ...changes.updated, ...changes.removed]
    if (changed.length === 0) return
    void origin
    const message = this.encodeAwareness(changed)
    for (const p of this.peers) p.send(message)
  }

  private readonly onMetaChange = (event: Y.YMapEvent<unknown>): void => {
    if (!event.keysChanged.has(META_TITLE)) return
    const title = normalizeTitle(readTitle(this.doc)?.slice(0, MAX_TITLE_LENGTH))
    if (title === null) return
    this.run(() => this.storage.setTitle(this.id, title)).catch((error) =>
      this.log.error({ board: this.id, err: error }, 'could not mirror the title'),
    )
  }

  private encodeAwareness(clientIds: number[]): Uint8Array {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, clientIds))
    return encoding.toUint8Array(encoder)
  }
}

/** The clients whose new structs an update carries. */
function writers(doc: Y.Doc, update: DecodedUpdate): number[] {
  return [...new Set(newStructs(doc, update).map((struct) => struct.id.client))]
}
