/**
 * What an update builds on, checked against the live document before the update may touch it.
 *
 * `Y.applyUpdate` does not refuse an update whose dependencies are missing: it keeps the parts it
 * cannot place as "pending structs" (and a "pending delete set"), which are then part of every
 * state the document encodes — stored, and sent to every client. And a struct that names itself,
 * or a later struct of its own client, as a neighbour makes Yjs throw halfway through applying.
 * So an update is applied only when every struct it adds can be integrated at once:
 *
 *   - each client's new structs start at or below the clock the document has for that client
 *     (what `Y.parseUpdateMeta(update).from` says, read from the same decode);
 *   - every id a new struct refers to (origin, right origin, parent) is in the document, or is
 *     added by the update before it (another client's structs may be integrated first, as Yjs
 *     does; a struct may not refer to its own clock or later);
 *   - every deleted range lies within what the document has once the update is integrated.
 *
 * It also says whether the update changes anything at all: y-websocket sends its whole delete set
 * with every sync step 2, so most updates from clients that only read change nothing.
 */
import * as Y from 'yjs'
import { docState, isKnown, type DecodedUpdate, type UpdateStruct } from './decodedUpdate.ts'

export type DependencyCheck =
  | { kind: 'ok'; changes: boolean }
  /** Needs changes from these clients that the document does not have (yet). */
  | { kind: 'missing'; clients: number[] }
  | { kind: 'malformed'; reason: string }

export function checkDependencies(doc: Y.Doc, update: DecodedUpdate): DependencyCheck {
  // How far each client is integrated, as the update is walked in an order Yjs could take.
  const integrated = new Map<number, number>()
  const at = (client: number) => integrated.get(client) ?? docState(doc, client)
  const next = new Map<number, number>()
  let adds = false

  type Step = { kind: 'done' } | { kind: 'needs'; client: number } | DependencyCheck
  /** Integrates the client's structs as far as their references allow. */
  const advance = (client: number): Step => {
    const list = update.byClient.get(client)!
    let i = next.get(client) ?? 0
    try {
      for (; i < list.length; i++) {
        const struct = list[i]
        // A skip stands for changes the update does not carry; what follows it cannot be placed.
        if (struct instanceof Y.Skip) continue
        if (struct.id.clock > at(client)) return { kind: 'missing', clients: [client] }
        // Yjs looks up the references of every struct, even one it already has and will skip.
        if (struct instanceof Y.Item) {
          for (const ref of references(struct)) {
            if (ref.clock < at(ref.client)) continue
            if (ref.client === client) return { kind: 'malformed', reason: 'broken update: a struct refers to itself' }
            return { kind: 'needs', client: ref.client }
          }
        }
        if (struct.id.clock + struct.length <= at(client)) continue
        integrated.set(client, struct.id.clock + struct.length)
        adds = true
      }
      return { kind: 'done' }
    } finally {
      next.set(client, i)
    }
  }

  for (const start of update.byClient.keys()) {
    const stack = [start]
    const onStack = new Set(stack)
    while (stack.length > 0) {
      const client = stack[stack.length - 1]
      const step = advance(client)
      if (step.kind === 'done') {
        stack.pop()
        onStack.delete(client)
        continue
      }
      if (step.kind !== 'needs') return step
      const needed = step.client
      const pending = update.byClient.get(needed)
      // Another client's structs in the update may provide it: integrate those first, as Yjs
      // would. A cycle, or a client with nothing left to give, means it is missing.
      if (!pending || onStack.has(needed) || (next.get(needed) ?? 0) >= pending.length) {
        return { kind: 'missing', clients: [needed] }
      }
      stack.push(needed)
      onStack.add(needed)
    }
  }

  let deletes = false
  for (const [client, ranges] of update.deletes) {
    for (const { clock, len } of ranges) {
      if (clock + len > at(client)) return { kind: 'missing', clients: [client] }
      if (!deletes) deletes = deletesSomething(doc, client, clock, len)
    }
  }
  return { kind: 'ok', changes: adds || deletes }
}

/** The ids an item needs to be integrated: its neighbours when it was made, and its parent. */
export function references(item: Y.Item): Y.ID[] {
  const refs: Y.ID[] = []
  if (item.origin) refs.push(item.origin)
  if (item.rightOrigin) refs.push(item.rightOrigin)
  if (item.parent instanceof Y.ID) refs.push(item.parent)
  return refs
}

/**
 * True when the range covers something not deleted yet: in the document, or new in the update
 * (which the structs already count as a change).
 */
function deletesSomething(doc: Y.Doc, client: number, clock: number, len: number): boolean {
  const end = clock + len
  const known = docState(doc, client)
  if (end > known) return true
  const structs = doc.store.clients.get(client)!
  for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i].id.clock < end; i++) {
    const struct = structs[i]
    if (struct instanceof Y.Item && !struct.deleted) return true
  }
  return false
}

/** New structs of the update, for saying which clients a dropped update wrote as. */
export function newStructs(doc: Y.Doc, update: DecodedUpdate): UpdateStruct[] {
  const out: UpdateStruct[] = []
  for (const list of update.byClient.values()) {
    for (const struct of list) if (!isKnown(doc, struct) && !(struct instanceof Y.Skip)) out.push(struct)
  }
  return out
}
