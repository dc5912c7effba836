/**
 * Seeded material for fuzzing the update checks: a board-like document (records, meta, a list, a
 * text, comment threads, one deleted; two writers), valid updates made on copies of it, and
 * mutations of those (truncation, random bytes, bit flips, off-by-one, inserted bytes, splices of
 * another update).
 */
import * as Y from 'yjs'
import { createThread, reply, type CommentAuthor } from '../../../shared/comments/model.ts'
import { seeded } from '../../helpers/random.ts'
import { copyOf, updateFrom } from './craft.ts'

export { seeded }

export const AUTHOR: CommentAuthor = { id: 'ada', name: 'Ada', color: '#1971c2', discipline: 'engineering' }

export function fuzzBoard(): { doc: Y.Doc; threadId: string } {
  const doc = new Y.Doc()
  doc.clientID = 1
  const records = doc.getMap('records')
  for (let i = 0; i < 5; i++) records.set(`shape:${i}`, { id: `shape:${i}`, x: i })
  records.delete('shape:0')
  doc.getMap('meta').set('title', 'Board')
  const threadId = createThread(doc, { anchor: { kind: 'shape', shapeId: 'shape:1' }, body: 'Hello', author: AUTHOR })
  const gone = createThread(doc, { anchor: { kind: 'shape', shapeId: 'shape:2' }, body: 'Bye', author: AUTHOR })
  doc.getMap('comments').delete(gone)
  const other = copyOf(doc)
  other.clientID = 2
  other.getMap('records').set('shape:other', { x: 9 })
  other.getArray('list').insert(0, ['a', 'b'])
  other.getText('text').insert(0, 'hello world')
  other.getText('text').delete(2, 3)
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(other))
  other.destroy()
  return { doc, threadId }
}

export function validUpdates(base: Y.Doc, threadId: string, random: () => number, count: number): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let i = 0; i < count; i++) {
    out.push(
      updateFrom(
        base,
        (copy) => {
          switch (Math.floor(random() * 7)) {
            case 0:
              return copy.getMap('records').set(`shape:f${i}`, { x: i })
            case 1:
              return copy.getArray('list').insert(Math.floor(random() * 3), [`item ${i}`, i])
            case 2:
              return copy.getMap('records').delete(`shape:${1 + (i % 4)}`)
            case 3:
              return copy.getText('text').insert(Math.floor(random() * 6), `text ${i}`)
            case 4:
              return void reply(copy, threadId, { body: `reply ${i}`, author: AUTHOR })
            case 5:
              return void createThread(copy, {
                anchor: { kind: 'shape', shapeId: 'shape:3' },
                body: 'x',
                author: AUTHOR,
              })
            default:
              copy.getText('text').delete(0, 2)
              copy.getArray('list').delete(0, 1)
          }
        },
        100 + i,
      ),
    )
  }
  return out
}

export function mutate(update: Uint8Array, random: () => number, pool: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(update)
  const at = Math.floor(random() * bytes.length)
  switch (Math.floor(random() * 6)) {
    case 0:
      return bytes.slice(0, at)
    case 1: {
      const out = new Uint8Array(bytes.length + 1)
      out.set(bytes.subarray(0, at))
      out[at] = Math.floor(random() * 256)
      out.set(bytes.subarray(at), at + 1)
      return out
    }
    case 2: {
      const other = pool[Math.floor(random() * pool.length)]
      const from = Math.floor(random() * other.length)
      const piece = other.subarray(from, from + 1 + Math.floor(random() * 8)).subarray(0, bytes.length - at)
      bytes.set(piece, at)
      return bytes
    }
    default: {
      const kind = Math.floor(random() * 3)
      for (let f = 1 + Math.floor(random() * 3); f > 0; f--) {
        const i = Math.floor(random() * bytes.length)
        if (kind === 0) bytes[i] = Math.floor(random() * 256)
        else if (kind === 1) bytes[i] ^= 1 << Math.floor(random() * 8)
        else bytes[i] = (bytes[i] + (random() < 0.5 ? 1 : -1)) & 0xff
      }
      return bytes
    }
  }
}
