/**
 * Hand-made Yjs updates (V1 encoding), for the shapes no Yjs API writes: a struct that names
 * itself, a client listed twice, a gap. Items are written by Yjs's own `Item.write`.
 */
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

export interface CraftedItem {
  origin?: [client: number, clock: number]
  rightOrigin?: [client: number, clock: number]
  /** A root type's name, or the id of the item holding the type. */
  parent?: string | [client: number, clock: number]
  parentSub?: string
  /** Defaults to one JSON value. */
  content?: Y.ContentAny | Y.ContentType | Y.ContentString | Y.ContentDeleted
}

export interface CraftedSection {
  client: number
  clock: number
  items: CraftedItem[]
}

export function craftUpdate(
  sections: CraftedSection[],
  deletes: Array<[client: number, clock: number, len: number]> = [],
): Uint8Array {
  const encoder = new Y.UpdateEncoderV1()
  encoding.writeVarUint(encoder.restEncoder, sections.length)
  for (const section of sections) {
    encoding.writeVarUint(encoder.restEncoder, section.items.length)
    encoder.writeClient(section.client)
    encoding.writeVarUint(encoder.restEncoder, section.clock)
    let clock = section.clock
    for (const spec of section.items) {
      const id = (pair?: [number, number]) => (pair ? Y.createID(pair[0], pair[1]) : null)
      const content = spec.content ?? new Y.ContentAny([clock])
      const parent = typeof spec.parent === 'string' ? spec.parent : id(spec.parent)
      const item = new Y.Item(
        Y.createID(section.client, clock),
        null,
        id(spec.origin),
        null,
        id(spec.rightOrigin),
        parent as never,
        spec.parentSub ?? null,
        content,
      )
      item.write(encoder, 0)
      clock += item.length
    }
  }
  const byClient = new Map<number, Array<[number, number]>>()
  for (const [client, clock, len] of deletes) {
    const list = byClient.get(client) ?? []
    list.push([clock, len])
    byClient.set(client, list)
  }
  encoding.writeVarUint(encoder.restEncoder, byClient.size)
  for (const [client, ranges] of byClient) {
    encoder.resetDsCurVal()
    encoding.writeVarUint(encoder.restEncoder, client)
    encoding.writeVarUint(encoder.restEncoder, ranges.length)
    for (const [clock, len] of ranges) {
      encoder.writeDsClock(clock)
      encoder.writeDsLen(len)
    }
  }
  return encoder.toUint8Array()
}

/** A copy of a document's whole state, with its own client id. */
export function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}

/** Runs `change` on a copy of `doc` and returns what it added, as that copy would send it. */
export function updateFrom(doc: Y.Doc, change: (copy: Y.Doc) => void, clientID?: number): Uint8Array {
  const copy = new Y.Doc()
  if (clientID !== undefined) copy.clientID = clientID
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  const before = Y.encodeStateVector(copy)
  change(copy)
  const update = Y.encodeStateAsUpdate(copy, before)
  copy.destroy()
  return update
}

/** True when applying left the document waiting for something: pending structs or deletes. */
export function hasPending(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null
}
