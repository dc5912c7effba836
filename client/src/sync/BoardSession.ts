/**
 * Everything that keeps one open board in sync: the Y.Doc, its offline copy in IndexedDB, the
 * y-websocket connection to the server, the tldraw store bound to the doc, presence, and the
 * save tracker. React reads it through `subscribe` / `getSnapshot`.
 *
 * Local-first: a board this browser has opened before is shown from IndexedDB at once, whether or
 * not the server answers; edits made offline are kept there and merge when the socket returns.
 */
import { atom, computed, react, type Signal } from '@tldraw/state'
import {
  createPresenceStateDerivation,
  InstancePresenceRecordType,
  type TLInstancePresence,
  type TLRecord,
  type TLStore,
  type TLUser,
} from '@tldraw/tlschema'
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { META_TITLE, metaMap, readTitle, recordsMap } from '../../../shared/doc/layout.ts'
import type { BoardId } from '../../../shared/ids.ts'
import * as decoding from 'lib0/decoding'
import { encodeFlushed, MESSAGE_AUTH, MESSAGE_FLUSHED, readFlushed } from '../../../shared/sync/protocol.ts'
import { profile, type Discipline } from '../user/profile.ts'
import { BINDING_ORIGIN, bindStoreToDoc, type StoreDocBinding } from './bindStoreToDoc.ts'
import { SaveTracker, type SaveState } from './saveTracker.ts'
import { accessFor, type BoardRole } from './useBoardAccess.ts'

/** Origin of edits made outside the canvas (the title), so they count as local edits to save. */
export const LOCAL_EDIT_ORIGIN = { source: 'scopeboard-ui' } as const

/** How long to wait for IndexedDB before treating the browser as having no copy. */
export const INDEXEDDB_WAIT_MS = 3_000

export type BoardPhase =
  | { kind: 'opening' }
  | { kind: 'waiting-for-server' }
  | { kind: 'ready'; store: TLStore }
  | { kind: 'failed'; message: string }

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'syncing' }
  | { kind: 'online' }
  | { kind: 'offline' }
  | { kind: 'refused'; code: number; reason: string }

export interface Collaborator {
  clientId: number
  /** tldraw's user id of this person, for follow mode. */
  userId: string | null
  name: string
  color: string
  discipline: Discipline
}

export interface SessionSnapshot {
  phase: BoardPhase
  connection: ConnectionState
  save: SaveState
  title: string | null
  collaborators: Collaborator[]
  /** True once this browser holds a copy of the board (IndexedDB). */
  hasLocalCopy: boolean
  /** What this browser may do here; known before the canvas opens. */
  role: BoardRole | null
  /** The server's reason when it refused a change from this browser (y-protocols "permission denied"). */
  writeRefused: string | null
}

/** How every board starts, before IndexedDB, the server or the role have answered. */
export const INITIAL_SNAPSHOT: SessionSnapshot = {
  phase: { kind: 'opening' },
  connection: { kind: 'connecting' },
  save: 'saving',
  title: null,
  collaborators: [],
  hasLocalCopy: false,
  role: null,
  writeRefused: null,
}

type AwarenessUser = { id: string; name: string; color: string; discipline: Discipline }

export class BoardSession {
  readonly doc = new Y.Doc()
  readonly provider: WebsocketProvider
  private readonly idb: IndexeddbPersistence
  private readonly saveTracker: SaveTracker
  private readonly listeners = new Set<() => void>()
  private readonly cleanups: Array<() => void> = []
  private binding: StoreDocBinding | null = null
  private snapshot: SessionSnapshot
  private destroyed = false
  /** tldraw shows its own offline badge and presence from this. */
  private readonly collaborationStatus = atom<'online' | 'offline'>('collaboration status', 'offline')

  constructor(
    readonly boardId: BoardId,
    private readonly createStore: (collaboration: {
      status: Signal<'online' | 'offline'>
      mode: Signal<'readonly' | 'readwrite'>
    }) => TLStore,
    private readonly resolveRole: () => Promise<BoardRole>,
  ) {
    this.snapshot = INITIAL_SNAPSHOT
    this.idb = new IndexeddbPersistence(`scopeboard:board:${boardId}`, this.doc)
    const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`
    this.provider = new WebsocketProvider(wsUrl, boardId, this.doc, { connect: true })
    this.saveTracker = new SaveTracker(
      (seq) => {
        const ws = this.provider.ws
        if (!this.provider.wsconnected || !ws || ws.readyState !== WebSocket.OPEN) return false
        ws.send(encodeFlushed(seq))
        return true
      },
      () => this.update({ save: this.saveTracker.state }),
    )
    this.provider.messageHandlers[MESSAGE_FLUSHED] = (_encoder, decoder) => {
      this.saveTracker.noteFlushed(readFlushed(decoder))
    }
    // The server drops writes a link's role does not allow and says so; show it rather than
    // leaving only a console warning.
    this.provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
      decoding.readVarUint(decoder)
      this.update({ writeRefused: decoding.readVarString(decoder) || 'the server did not accept a change' })
    }
    this.watchConnection()
    this.watchDoc()
    this.watchAwareness()
    void this.open()
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  getSnapshot = (): SessionSnapshot => this.snapshot

  setTitle(title: string): void {
    this.doc.transact(() => metaMap(this.doc).set(META_TITLE, title), LOCAL_EDIT_ORIGIN)
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.binding?.dispose()
    for (const cleanup of this.cleanups.splice(0)) cleanup()
    this.provider.awareness.setLocalState(null)
    this.provider.destroy()
    void this.idb.destroy()
    this.doc.destroy()
    this.listeners.clear()
  }

  private update(change: Partial<SessionSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change }
    for (const listener of this.listeners) listener()
  }

  private async open(): Promise<void> {
    const [idbLoaded, role] = await Promise.all([
      Promise.race([
        this.idb.whenSynced.then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), INDEXEDDB_WAIT_MS)),
      ]),
      this.resolveRole(),
    ])
    if (this.destroyed) return
    this.update({ role })
    if (idbLoaded && recordsMap(this.doc).size > 0) {
      this.update({ hasLocalCopy: true })
      this.bind()
      return
    }
    this.update({ phase: { kind: 'waiting-for-server' } })
    if (this.provider.synced) {
      this.bind()
      return
    }
    const onSync = (synced: boolean) => {
      if (!synced) return
      this.provider.off('sync', onSync)
      if (!this.destroyed) this.bind()
    }
    this.provider.on('sync', onSync)
  }

  private bind(): void {
    if (this.binding || this.destroyed) return
    const readOnly = this.snapshot.role !== null && !accessFor(this.snapshot.role).canEdit
    const store = this.createStore({
      status: this.collaborationStatus,
      mode: atom('collaboration mode', readOnly ? 'readonly' : 'readwrite'),
    })
    this.binding = bindStoreToDoc(store, this.doc, {
      readOnly,
      onRefused: (message) => this.update({ phase: { kind: 'failed', message } }),
      onInvalidRecord: (id, error) => console.warn(`Scopeboard: skipped an invalid record ${id}`, error),
    })
    if (this.binding.status.kind !== 'bound') return
    this.watchPresence(store)
    this.update({ phase: { kind: 'ready', store }, hasLocalCopy: true })
  }

  private watchConnection(): void {
    const onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
      if (this.snapshot.connection.kind === 'refused') return
      if (status === 'connected') {
        this.update({ connection: { kind: this.provider.synced ? 'online' : 'syncing' } })
      } else {
        this.collaborationStatus.set('offline')
        this.saveTracker.noteDisconnected()
        // The first attempt is "connecting"; once we have been online, losing it is "offline".
        const wasUp = this.snapshot.connection.kind !== 'connecting'
        this.update({ connection: { kind: wasUp || status === 'disconnected' ? 'offline' : 'connecting' } })
      }
    }
    const onSync = (synced: boolean) => {
      if (!synced || this.snapshot.connection.kind === 'refused') return
      this.collaborationStatus.set('online')
      this.update({ connection: { kind: 'online' } })
      this.saveTracker.noteSynced()
    }
    const onClose = (event: CloseEvent | null) => {
      if (!event || event.code < 4400 || event.code >= 4500) return
      // y-websocket does not retry 44xx: the server refused on purpose and says why.
      this.collaborationStatus.set('offline')
      this.update({
        connection: { kind: 'refused', code: event.code, reason: event.reason || 'refused by the server' },
      })
      if (this.snapshot.phase.kind !== 'ready') {
        this.update({ phase: { kind: 'failed', message: refusalMessage(event.code, event.reason) } })
      }
    }
    this.provider.on('status', onStatus)
    this.provider.on('sync', onSync)
    this.provider.on('connection-close', onClose)
    this.cleanups.push(() => {
      this.provider.off('status', onStatus)
      this.provider.off('sync', onSync)
      this.provider.off('connection-close', onClose)
    })
  }

  private watchDoc(): void {
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin === BINDING_ORIGIN || origin === LOCAL_EDIT_ORIGIN) this.saveTracker.noteLocalChange()
    }
    const meta = metaMap(this.doc)
    const onMeta = () => {
      const title = readTitle(this.doc)
      if (title !== this.snapshot.title) this.update({ title })
    }
    this.doc.on('update', onUpdate)
    meta.observe(onMeta)
    this.cleanups.push(() => {
      this.doc.off('update', onUpdate)
      meta.unobserve(onMeta)
    })
  }

  private watchAwareness(): void {
    const awareness = this.provider.awareness
    const publishUser = () => {
      const { id, name, color, discipline } = profile.get()
      awareness.setLocalStateField('user', { id, name, color, discipline } satisfies AwarenessUser)
    }
    publishUser()
    this.cleanups.push(react('publish profile', publishUser))

    const onChange = () => {
      const collaborators: Collaborator[] = []
      for (const [clientId, state] of awareness.getStates()) {
        if (clientId === this.doc.clientID) continue
        const user = (state as { user?: Partial<AwarenessUser> }).user
        if (!user || typeof user.name !== 'string') continue
        collaborators.push({
          clientId,
          userId: typeof user.id === 'string' ? presenceUserId(user.id) : null,
          name: user.name.slice(0, 60),
          color: typeof user.color === 'string' ? user.color : '#868e96',
          discipline: user.discipline ?? 'engineering',
        })
      }
      collaborators.sort((a, b) => a.name.localeCompare(b.name) || a.clientId - b.clientId)
      this.update({ collaborators })
    }
    awareness.on('change', onChange)
    this.cleanups.push(() => awareness.off('change', onChange))
  }

  /** Cursors and selections: our presence out through awareness, theirs into the store. */
  private watchPresence(store: TLStore): void {
    const awareness = this.provider.awareness
    const ownPresenceId = InstancePresenceRecordType.createId(String(this.doc.clientID))
    const user = computed<TLUser>('presence user', () => {
      const p = profile.get()
      return {
        id: presenceUserId(p.id),
        typeName: 'user',
        name: p.name,
        color: p.color,
        imageUrl: '',
        meta: {},
      } as TLUser
    })
    const presence = createPresenceStateDerivation(user, { instanceId: ownPresenceId })(store)

    // Pointer moves change presence many times a frame; send at most once per frame.
    let frame = 0
    this.cleanups.push(
      react('send presence', () => {
        const state = presence.get()
        cancelAnimationFrame(frame)
        frame = requestAnimationFrame(() => awareness.setLocalStateField('presence', state ?? null))
      }),
      () => cancelAnimationFrame(frame),
    )

    const onChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
      const states = awareness.getStates()
      const toPut: TLInstancePresence[] = []
      const toRemove: TLRecord['id'][] = []
      for (const clientId of [...added, ...updated]) {
        if (clientId === this.doc.clientID) continue
        const state = states.get(clientId) as { presence?: TLInstancePresence | null } | undefined
        if (state?.presence && state.presence.id === InstancePresenceRecordType.createId(String(clientId))) {
          toPut.push(state.presence)
        } else {
          toRemove.push(InstancePresenceRecordType.createId(String(clientId)))
        }
      }
      for (const clientId of removed) toRemove.push(InstancePresenceRecordType.createId(String(clientId)))
      store.mergeRemoteChanges(() => {
        const present = toRemove.filter((id) => store.has(id))
        if (present.length) store.remove(present)
        for (const record of toPut) {
          try {
            store.put([record])
          } catch {
            // A malformed presence from another client is ignored, not fatal.
          }
        }
      })
    }
    awareness.on('change', onChange)
    this.cleanups.push(() => awareness.off('change', onChange))
  }
}

/** The user id tldraw's presence records carry for a profile, which follow mode looks up. */
export function presenceUserId(profileId: string): string {
  return `user:${profileId}`
}

function refusalMessage(code: number, reason: string): string {
  switch (code) {
    case 4401:
      return 'You are not signed in to this Scopeboard. Open the sign-in link the server printed when it started.'
    case 4403:
      return 'Your link does not give access to this board.'
    case 4404:
      return 'There is no board here. It may have been deleted, or the link is wrong.'
    default:
      return `The server refused this board: ${reason || `code ${code}`}.`
  }
}
