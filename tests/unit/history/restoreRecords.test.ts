import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { recordsMap } from '../../../shared/doc/layout.ts'
import { docFromState, restoreRecords } from '../../../server/history/restoreRecords.ts'

function put(doc: Y.Doc, id: string, props: Record<string, unknown>) {
  recordsMap(doc).set(id, { id, typeName: 'shape', props } as never)
}

describe('restoreRecords', () => {
  it('makes the records equal to the snapshot as one change on top, leaving comments and title', () => {
    const live = new Y.Doc()
    put(live, 'shape:a', { title: 'A' })
    put(live, 'shape:b', { title: 'B', tags: ['x'] })
    const snapshot = docFromState(Y.encodeStateAsUpdate(live))

    put(live, 'shape:a', { title: 'A changed' })
    put(live, 'shape:c', { title: 'C' })
    recordsMap(live).delete('shape:b')
    live.getMap('comments').set('t1', 'a thread')
    live.getMap('meta').set('title', 'Renamed')

    const before = Y.encodeStateVector(live)
    let updates = 0
    live.on('update', () => updates++)
    expect(restoreRecords(live, snapshot)).toEqual({ set: 2, deleted: 1 })
    expect(updates).toBe(1)
    expect(recordsMap(live).toJSON()).toEqual(recordsMap(snapshot).toJSON())
    expect(live.getMap('comments').get('t1')).toBe('a thread')
    expect(live.getMap('meta').get('title')).toBe('Renamed')
    // Built on top: the change only adds to what the doc had.
    expect(Y.encodeStateAsUpdate(live, before).byteLength).toBeGreaterThan(0)

    // Restoring the same snapshot again changes nothing.
    expect(restoreRecords(live, snapshot)).toEqual({ set: 0, deleted: 0 })
    expect(updates).toBe(1)
  })
})
