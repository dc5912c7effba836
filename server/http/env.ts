import type { LinkId } from '../auth/links.ts'
import type { Access, Authenticator } from '../auth/tokens.ts'
import type { Logger } from '../log.ts'
import type { RoomRegistry } from '../rooms/RoomRegistry.ts'
import type { BoardStorage } from '../storage/BoardStorage.ts'
import type { FocusStorage } from '../storage/FocusStorage.ts'
import type { SnapshotStorage } from '../storage/SnapshotStorage.ts'

/** What the HTTP side needs of the live sync connections. */
export interface LiveLinks {
  /** Closes every sync connection opened with this link; returns how many there were. */
  closeLink(linkId: LinkId, code: number, reason: string): number
}

/** Everything the routes use, passed in rather than kept in module singletons. */
export interface AppDeps {
  storage: BoardStorage
  /** Sprint focuses and which board links to which. */
  focuses: FocusStorage
  /** Board snapshots (history). */
  snapshots: SnapshotStorage
  rooms: RoomRegistry
  auth: Authenticator
  liveLinks: LiveLinks
  log: Logger
  clientDir: string | null
  tldrawLicenseKey: string | null
}

/** `authorized`: a row of routeAccess.ts's table let this request through. */
export type AppEnv = { Variables: { access: Access; authorized: boolean } }
