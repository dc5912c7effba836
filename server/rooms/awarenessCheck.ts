/**
 * Checks an awareness update before y-protocols applies it: bounded in size, and each entry's
 * state a JSON object (or null, which removes that client). Stock clients only ever send objects;
 * anything else would reach every other client's presence code.
 */
import * as decoding from 'lib0/decoding'
import { CloseCode } from '../../shared/sync/protocol.ts'
import { ProtocolError } from './ProtocolError.ts'

/** One client's entry in an awareness update. */
export interface AwarenessEntry {
  clientId: number
  clock: number
  /** A null state: the client is gone. */
  removed: boolean
  /** The state as sent (JSON), to pass on unchanged. */
  json: string
}

/** Returns the update's entries; throws ProtocolError (4400) when it is too large or malformed. */
export function checkAwarenessUpdate(update: Uint8Array, maxBytes: number): AwarenessEntry[] {
  if (update.byteLength > maxBytes) {
    throw new ProtocolError(CloseCode.BadMessage, `awareness update larger than ${maxBytes} bytes`)
  }
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  const entries: AwarenessEntry[] = []
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    const json = decoding.readVarString(decoder)
    let state: unknown
    try {
      state = JSON.parse(json)
    } catch {
      throw new ProtocolError(CloseCode.BadMessage, 'awareness state is not JSON')
    }
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
      throw new ProtocolError(CloseCode.BadMessage, 'awareness state must be an object')
    }
    entries.push({ clientId, clock, removed: state === null, json })
  }
  return entries
}
