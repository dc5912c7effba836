/** A snapshot's document fetched from the server into a Y.Doc of its own, never connected to anything. */
import * as Y from 'yjs'
import { api, type SnapshotInfo } from '../api.ts'

export async function loadSnapshotDoc(boardId: string, snapshot: SnapshotInfo): Promise<Y.Doc> {
  const state = await api.snapshotState(boardId, snapshot.id)
  const doc = new Y.Doc()
  try {
    Y.applyUpdate(doc, state)
  } catch (error) {
    doc.destroy()
    throw new Error(`This snapshot could not be read (${(error as Error).message}).`, { cause: error })
  }
  return doc
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
export const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' })

/** When a snapshot was taken, as people read dates here. */
export function snapshotDate(snapshot: Pick<SnapshotInfo, 'createdAt'>): string {
  return dateFormat.format(new Date(snapshot.createdAt))
}

export const KIND_TEXT: Record<SnapshotInfo['kind'], string> = {
  named: 'Saved',
  auto: 'Automatic',
  'before-restore': 'Before a restore',
}
