/**
 * Whether an update changes only what lies inside one root type of the document — how a `comment`
 * connection is held to the comments (the root map 'comments').
 *
 * Yjs places an item by its neighbours and parent, so where an item lands is decided the way Yjs
 * decides it when integrating: a parent given by name is a root type; a parent given by id is the
 * type that item holds; no parent means the parent of its left (else right) neighbour; and a
 * neighbour or parent that is garbage-collected turns the item into garbage too (it changes
 * nothing). Ids resolve against the live document, or against the update itself for what it adds.
 *
 * An update passes when
 *   - every struct it adds lands inside the root type, or is garbage; and no struct, even one
 *     the document has, names another root type (Yjs would create that type);
 *   - every client it adds structs for has written nothing outside the root type so far: structs
 *     may carry any client id, and taking the next clocks of someone who edits the canvas would
 *     make the server skip that person's real edits later;
 *   - every deletion that removes something the document still has removes it inside the root.
 *
 * Call it on an update whose dependencies are met (updateDependencies.ts); an id it cannot
 * resolve counts as outside.
 */
import * as Y from 'yjs'
import {
  decodeUpdate,
  docState,
  docStruct,
  isKnown,
  updateStruct,
  type DecodedUpdate,
  type DocStruct,
  type UpdateStruct,
} from './decodedUpdate.ts'

type Place = 'inside' | 'outside' | 'garbage'

/** A Yjs shared type as far as this needs it: the item that holds it (null for a root type). */
type SharedType = { _item: Y.Item | null }

type Resolved = { in: 'doc'; struct: DocStruct } | { in: 'update'; struct: UpdateStruct } | null

export function touchesOnly(doc: Y.Doc, update: Uint8Array | DecodedUpdate, rootName: string): boolean {
  const decoded = update instanceof Uint8Array ? decodeUpdate(update) : update
  return new ScopeCheck(doc, decoded, rootName).run()
}

class ScopeCheck {
  /** Compared by identity only. */
  private readonly root: unknown
  private readonly places = new Map<UpdateStruct, Place>()

  constructor(
    private readonly doc: Y.Doc,
    private readonly update: DecodedUpdate,
    private readonly rootName: string,
  ) {
    this.root = doc.share.get(rootName) ?? null
  }

  run(): boolean {
    for (const [client, list] of this.update.byClient) {
      let adds = false
      for (const struct of list) {
        // Yjs creates the root type an item names even when it skips the item as known.
        if (struct instanceof Y.Item && typeof struct.parent === 'string' && struct.parent !== this.rootName) {
          return false
        }
        if (struct instanceof Y.Skip || isKnown(this.doc, struct)) continue
        adds = true
        if (this.placeOfUpdateStruct(struct) === 'outside') return false
      }
      if (adds && this.clientWroteOutside(client)) return false
    }
    for (const [client, ranges] of this.update.deletes) {
      const known = docState(this.doc, client)
      for (const { clock, len } of ranges) {
        const end = Math.min(clock + len, known)
        if (clock >= end) continue
        const structs = this.doc.store.clients.get(client)!
        for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i].id.clock < end; i++) {
          const struct = structs[i]
          if (struct instanceof Y.Item && !struct.deleted && this.placeOfDocItem(struct) !== 'inside') return false
        }
      }
    }
    return true
  }

  private clientWroteOutside(client: number): boolean {
    for (const struct of this.doc.store.clients.get(client) ?? []) {
      if (struct instanceof Y.Item && this.placeOfDocItem(struct) === 'outside') return true
    }
    return false
  }

  /** Walks up the document's parent chain to a root type. */
  private placeOfDocItem(item: Y.Item): Place {
    let type = item.parent as SharedType | null
    for (;;) {
      if (!type) return 'outside'
      if (type === this.root) return 'inside'
      const holder = type._item
      if (!holder) return 'outside'
      type = holder.parent as SharedType | null
    }
  }

  private resolve(id: Y.ID): Resolved {
    if (id.clock < docState(this.doc, id.client)) return { in: 'doc', struct: docStruct(this.doc, id) }
    const struct = updateStruct(this.update, id)
    return struct ? { in: 'update', struct } : null
  }

  /**
   * The place of a struct the update adds. Items depend on the items they name, so this walks
   * that graph depth first with an explicit stack (a long chain of neighbours must not overflow
   * the call stack), remembering every answer.
   */
  private placeOfUpdateStruct(start: UpdateStruct): Place {
    const stack: UpdateStruct[] = [start]
    const expanded = new Set<UpdateStruct>()
    while (stack.length > 0) {
      const struct = stack[stack.length - 1]
      if (this.places.has(struct)) {
        stack.pop()
        continue
      }
      const waiting = this.unplacedDependencies(struct)
      if (waiting.length === 0 || expanded.has(struct)) {
        // Expanded before and still waiting: a cycle, which Yjs could not integrate either.
        this.places.set(struct, waiting.length === 0 ? this.place(struct) : 'outside')
        stack.pop()
        continue
      }
      expanded.add(struct)
      stack.push(...waiting)
    }
    return this.places.get(start)!
  }

  /** Structs of the update this one's place depends on and that have no place yet. */
  private unplacedDependencies(struct: UpdateStruct): UpdateStruct[] {
    if (!(struct instanceof Y.Item)) return []
    const out: UpdateStruct[] = []
    for (const id of [struct.origin, struct.rightOrigin, struct.parent instanceof Y.ID ? struct.parent : null]) {
      if (!id) continue
      const found = this.resolve(id)
      if (found?.in === 'update' && !this.places.has(found.struct)) out.push(found.struct)
    }
    return out
  }

  /** The place of a resolved struct; for the update's own, once its dependencies are placed. */
  private placeOf(found: Resolved): Place {
    if (!found) return 'outside'
    if (found.in === 'update') return this.places.get(found.struct) ?? 'outside'
    return found.struct instanceof Y.GC ? 'garbage' : this.placeOfDocItem(found.struct)
  }

  private place(struct: UpdateStruct): Place {
    if (struct instanceof Y.GC) return 'garbage'
    if (!(struct instanceof Y.Item)) return 'outside'
    const left = struct.origin ? this.resolve(struct.origin) : null
    const right = struct.rightOrigin ? this.resolve(struct.rightOrigin) : null
    if ((struct.origin && !left) || (struct.rightOrigin && !right)) return 'outside'
    const leftPlace = left ? this.placeOf(left) : null
    const rightPlace = right ? this.placeOf(right) : null
    if (leftPlace === 'garbage' || rightPlace === 'garbage') return 'garbage'
    const parent = struct.parent as Y.ID | string | null
    if (parent === null) return leftPlace ?? rightPlace ?? 'outside'
    if (typeof parent === 'string') return parent === this.rootName ? 'inside' : 'outside'
    const holder = this.resolve(parent)
    if (!holder) return 'outside'
    const holderPlace = this.placeOf(holder)
    if (holderPlace === 'garbage') return 'garbage'
    // Yjs takes the type the parent item holds; an item that holds none makes this one garbage.
    const content = holder.struct instanceof Y.Item ? holder.struct.content : null
    if (!(content instanceof Y.ContentType)) return 'garbage'
    return holderPlace
  }
}
