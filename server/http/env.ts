import type { Authenticator, Access } from '../auth/tokens.ts'
import type { Logger } from '../log.ts'
import type { RoomRegistry } from '../rooms/RoomRegistry.ts'
import type { BoardStorage } from '../storage/BoardStorage.ts'

/** Everything the routes use, passed in rather than kept in module singletons. */
export interface AppDeps {
  storage: BoardStorage
  rooms: RoomRegistry
  auth: Authenticator
  log: Logger
  clientDir: string | null
  tldrawLicenseKey: string | null
}

export type AppEnv = { Variables: { access: Access } }
