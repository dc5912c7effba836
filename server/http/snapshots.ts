/**
 * A board's history over HTTP: take a named snapshot (`POST /api/boards/:id/snapshots`), list them
 * (`GET`), read one's document (`GET …/snapshots/:snapshotId/state`, the encoded Yjs state the
 * board page opens read-only), restore one (`POST …/snapshots/:snapshotId/restore`) and delete one
 * (`DELETE …/snapshots/:snapshotId`). A snapshot is the live document's whole state; a restore
 * first snapshots the board as it is ("before-restore"), then
 * goes through the room like any edit (restoreRecords.ts), so it is stored before anyone sees it,
 * every client gets it at once, and nothing done since the snapshot leaves the history.
 */
import { Hono } from 'hono'
import * as Y from 'yjs'
import { newSnapshotId, parseSnapshotId, type BoardId } from '../../shared/ids.ts'
import { foldSnapshotName, MAX_SNAPSHOT_NAME_LENGTH } from '../../shared/history/snapshotName.ts'
import { createScopeboardSchema } from '../../shared/scope/schema.ts'
import { docFromState, restoreRecords } from '../history/restoreRecords.ts'
import { isNewerSchema, prepareDocForWrite } from '../scope/prepareDoc.ts'
import { META_RESTORED, META_SCHEMA, metaMap, type RestoreNote } from '../../shared/doc/layout.ts'
import type { Room } from '../rooms/Room.ts'
import type { Snapshot, SnapshotKind, SnapshotMeta } from '../storage/SnapshotStorage.ts'
import type { AppDeps, AppEnv } from './env.ts'
import { httpError } from './errors.ts'
import { readJsonObject } from './json.ts'
import { requireBoard } from './scope.ts'

/** What the API shows of a snapshot: never its state. */
export interface SnapshotView {
  id: string
  name: string
  kind: SnapshotKind
  createdAt: string
}

export function snapshotView({ id, name, kind, createdAt }: SnapshotMeta): SnapshotView {
  return { id, name, kind, createdAt }
}

/** A snapshot name: whitespace runs folded to one space, trimmed, 1 to MAX_SNAPSHOT_NAME_LENGTH. */
export function parseSnapshotName(value: unknown): { ok: true; name: string } | { ok: false; message: string } {
  if (typeof value !== 'string') return { ok: false, message: '"name" must be a string, e.g. "Sprint planning"' }
  const name = foldSnapshotName(value)
  if (!name) return { ok: false, message: '"name" must not be empty' }
  if (name.length > MAX_SNAPSHOT_NAME_LENGTH) {
    return { ok: false, message: `"name" must be at most ${MAX_SNAPSHOT_NAME_LENGTH} characters` }
  }
  return { ok: true, name }
}

/** The board's snapshot named by a path or query parameter: 400 malformed, 404 none on this board. */
export async function requireSnapshot(deps: AppDeps, boardId: BoardId, value: string | undefined): Promise<Snapshot> {
  const id = parseSnapshotId(value)
  if (!id) throw httpError(400, 'snapshot id must be 1–64 letters, digits, "-" or "_"')
  const snapshot = await deps.snapshots.getSnapshot(boardId, id)
  if (!snapshot) throw httpError(404, 'this board has no snapshot with this id')
  return snapshot
}

/** Snapshots a board's live document as it is; it only ever holds stored updates. */
function takeSnapshot(
  deps: AppDeps,
  room: Room,
  name: string,
  kind: SnapshotKind,
  doc = room.doc,
): Promise<SnapshotMeta> {
  return deps.snapshots.createSnapshot({
    id: newSnapshotId(),
    boardId: room.id,
    name,
    kind,
    state: Y.encodeStateAsUpdate(doc),
  })
}

function backupName(restored: SnapshotMeta): string {
  const name = `Before restoring "${restored.name}"`
  return name.length <= MAX_SNAPSHOT_NAME_LENGTH ? name : `${name.slice(0, MAX_SNAPSHOT_NAME_LENGTH - 2)}…"`
}

export function snapshotRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const schema = createScopeboardSchema()

  const newerMessage = (which: string) =>
    `this ${which} was saved by a newer Scopeboard; update the server before restoring it`

  /** Reads only: a live board a newer Scopeboard wrote is refused before anything is written. */
  function refuseNewer(doc: Y.Doc, which: 'snapshot' | 'board') {
    if (isNewerSchema(schema.serialize(), metaMap(doc).get(META_SCHEMA))) throw httpError(409, newerMessage(which))
  }

  /**
   * Brings a doc that is about to be written (the snapshot's copy, the live board's draft) to
   * today's record format, the way a browser opening it would: a snapshot taken before an upgrade
   * of the canvas is migrated, so old records never land under the live board's newer schema label.
   */
  function prepare(doc: Y.Doc, which: 'snapshot' | 'board') {
    const prepared = doc.transact(() => prepareDocForWrite(doc, schema))
    if (prepared.ok) return
    // prepareDocForWrite speaks of "this board"; say which side of the restore it was.
    throw httpError(
      409,
      prepared.reason === 'newer' ? newerMessage(which) : prepared.message.replace(/^this board/, `this ${which}`),
    )
  }

  app.post('/:id/snapshots', async function createSnapshot(c) {
    const board = await requireBoard(deps, c.req.param('id'))
    const parsed = parseSnapshotName((await readJsonObject(c)).name)
    if (!parsed.ok) throw httpError(400, parsed.message)
    const snapshot = await deps.rooms.use(board.id, (room) => takeSnapshot(deps, room, parsed.name, 'named'))
    deps.log.info({ board: board.id, snapshot: snapshot.id }, 'snapshot taken')
    return c.json(snapshotView(snapshot), 201)
  })

  app.get('/:id/snapshots', async function listSnapshots(c) {
    const board = await requireBoard(deps, c.req.param('id'))
    const snapshots = await deps.snapshots.listSnapshots(board.id)
    c.header('Cache-Control', 'no-store')
    return c.json(snapshots.map(snapshotView))
  })

  app.get('/:id/snapshots/:snapshotId/state', async function snapshotState(c) {
    const board = await requireBoard(deps, c.req.param('id'))
    const snapshot = await requireSnapshot(deps, board.id, c.req.param('snapshotId'))
    c.header('Cache-Control', 'no-store')
    c.header('Content-Type', 'application/octet-stream')
    return c.body(new Uint8Array(snapshot.state), 200)
  })

  app.delete('/:id/snapshots/:snapshotId', async function deleteSnapshot(c) {
    const board = await requireBoard(deps, c.req.param('id'))
    const snapshot = await requireSnapshot(deps, board.id, c.req.param('snapshotId'))
    // The safety net stays: anyone with an edit link could otherwise wipe the board and then its
    // way back. Automatic snapshots are thinned by the server itself (history/retention.ts).
    if (snapshot.kind !== 'named') {
      throw httpError(409, 'automatic snapshots and restore backups cannot be deleted; only named ones can')
    }
    await deps.snapshots.deleteSnapshots(board.id, [snapshot.id])
    deps.log.info({ board: board.id, snapshot: snapshot.id, kind: snapshot.kind }, 'snapshot deleted')
    return c.body(null, 204)
  })

  app.post('/:id/snapshots/:snapshotId/restore', async function restoreSnapshot(c) {
    const board = await requireBoard(deps, c.req.param('id'))
    const snapshot = await requireSnapshot(deps, board.id, c.req.param('snapshotId'))
    const source = docFromState(snapshot.state)
    try {
      prepare(source, 'snapshot')
      // The backup and the restore take one turn of the board's queue: every edit before them is in
      // the backup, none can land between them. A board a newer Scopeboard wrote is refused before
      // the backup, so that refusal leaves no trace in the history.
      const { backup, changes } = await deps.rooms.use(board.id, async (room) => {
        let backup: SnapshotMeta | null = null
        let changes = { set: 0, deleted: 0 }
        await room.change(
          `restore snapshot ${snapshot.id}`,
          (draft) => {
            prepare(draft, 'board')
            changes = restoreRecords(draft, source)
            const restored: RestoreNote = {
              snapshotId: snapshot.id,
              name: snapshot.name,
              createdAt: snapshot.createdAt,
              backupId: backup!.id,
              at: new Date().toISOString(),
            }
            metaMap(draft).set(META_RESTORED, restored)
          },
          async (live) => {
            refuseNewer(live, 'board')
            backup = await takeSnapshot(deps, room, backupName(snapshot), 'before-restore', live)
          },
        )
        return { backup: backup!, changes }
      })
      deps.log.info({ board: board.id, snapshot: snapshot.id, backup: backup.id, ...changes }, 'snapshot restored')
      return c.json({ restoredFrom: snapshotView(snapshot), backup: snapshotView(backup) })
    } finally {
      source.destroy()
    }
  })

  return app
}
