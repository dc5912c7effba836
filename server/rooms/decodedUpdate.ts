/**
 * A Yjs update decoded once (`Y.decodeUpdate`) and indexed by client, so the checks that run
 * before an update may touch a live document (updateDependencies.ts, updateScope.ts) can look up
 * any id it names, in the document or in the update itself, without decoding twice.
 *
 * Decoding reads every struct and its content, so an update that decodes is well formed down to
 * the byte; what decoding cannot see (what the update builds on) is the dependency check's job.
 */
import * as Y from 'yjs'

export type UpdateStruct = Y.Item | Y.GC | Y.Skip
export type DocStruct = Y.Item | Y.GC

export interface DecodedUpdate {
  readonly bytes: Uint8Array
  /** Each client's structs in clock order, contiguous (Skip structs stand for the gaps). */
  readonly byClient: ReadonlyMap<number, readonly UpdateStruct[]>
  /** Client → deleted ranges, as Yjs reads them. */
  readonly deletes: ReadonlyMap<number, ReadonlyArray<{ clock: number; len: number }>>
}

/** Thrown for bytes that are not an update Scopeboard will apply, with a reason for the close. */
export class MalformedUpdate extends Error {}

/**
 * Records the client of every struct list it reads: the struct lists of an update are where Yjs
 * reads a client id through `readClient` (ids inside structs and the delete set are read
 * directly), so this sees a client listed twice, which the decoded structs alone cannot show.
 */
let sections: number[] = []
class SectionDecoder extends Y.UpdateDecoderV1 {
  override readClient(): number {
    const client = super.readClient()
    sections.push(client)
    return client
  }
}

/**
 * Decodes and checks the shape Yjs assumes but does not verify: each client listed once (when
 * applying, Yjs keeps only the last list of a client named twice, and the structs of the others
 * become "pending"), its structs contiguous, no empty structs (they corrupt the struct store's
 * search), no empty deleted ranges, clocks that stay exact integers, no subdocuments.
 */
export function decodeUpdate(bytes: Uint8Array): DecodedUpdate {
  let decoded: ReturnType<typeof Y.decodeUpdate>
  let clients: number[]
  try {
    sections = []
    decoded = Y.decodeUpdateV2(bytes, SectionDecoder)
    clients = sections
  } catch (error) {
    throw new MalformedUpdate(`broken update: ${error instanceof Error ? error.message : String(error)}`)
  } finally {
    sections = []
  }
  if (new Set(clients).size !== clients.length) throw new MalformedUpdate('broken update: a client is listed twice')
  const byClient = new Map<number, UpdateStruct[]>()
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id
    const end = clock + struct.length
    if (!Number.isSafeInteger(end)) throw new MalformedUpdate('broken update: a clock beyond 2^53')
    let list = byClient.get(client)
    if (!list) {
      list = []
      byClient.set(client, list)
    }
    const previous = list[list.length - 1]
    if (previous && previous.id.clock + previous.length !== clock) {
      throw new MalformedUpdate('broken update: structs out of order')
    }
    if (struct.length === 0 && !(struct instanceof Y.Skip)) {
      throw new MalformedUpdate('broken update: an empty struct')
    }
    if (struct instanceof Y.Item && struct.content instanceof Y.ContentDoc) {
      throw new MalformedUpdate('subdocuments are not part of a board')
    }
    list.push(struct)
  }
  const deletes = new Map<number, Array<{ clock: number; len: number }>>()
  for (const [client, ranges] of decoded.ds.clients) {
    for (const { clock, len } of ranges) {
      if (!Number.isSafeInteger(clock + len)) throw new MalformedUpdate('broken update: a deletion beyond 2^53')
      // Yjs cannot re-encode an empty range it keeps for later: it throws after applying the structs.
      if (len === 0) throw new MalformedUpdate('broken update: an empty deleted range')
    }
    deletes.set(
      client,
      ranges.map(({ clock, len }) => ({ clock, len })),
    )
  }
  return { bytes, byClient, deletes }
}

/** How far the document has each client's changes: the clock of its next struct. */
export function docState(doc: Y.Doc, client: number): number {
  return Y.getState(doc.store, client)
}

/** The document's struct holding `id`; the caller has checked that the document has it. */
export function docStruct(doc: Y.Doc, id: Y.ID): DocStruct {
  const structs = doc.store.clients.get(id.client)!
  return structs[Y.findIndexSS(structs, id.clock)]
}

/** The update's struct holding `id`, or null when the update does not cover it. */
export function updateStruct(update: DecodedUpdate, id: Y.ID): UpdateStruct | null {
  const list = update.byClient.get(id.client)
  if (!list || list.length === 0) return null
  let low = 0
  let high = list.length - 1
  while (low <= high) {
    const mid = (low + high) >>> 1
    const struct = list[mid]
    if (id.clock < struct.id.clock) high = mid - 1
    else if (id.clock >= struct.id.clock + struct.length) low = mid + 1
    else return struct
  }
  return null
}

/**
 * Where Yjs will find `id` when it integrates the update: in the document if the document already
 * has that clock (the update's copy is skipped), else in the update.
 */
export function resolveStruct(doc: Y.Doc, update: DecodedUpdate, id: Y.ID): UpdateStruct | null {
  return id.clock < docState(doc, id.client) ? docStruct(doc, id) : updateStruct(update, id)
}

/** True when the update adds nothing to this struct's range (the document has all of it). */
export function isKnown(doc: Y.Doc, struct: UpdateStruct): boolean {
  return struct.id.clock + struct.length <= docState(doc, struct.id.client)
}
