/**
 * Knows whether the server has every local edit, so the header can say "saved" truthfully.
 *
 * Each local edit bumps `localSeq`. While connected and synced, the tracker sends the
 * Scopeboard-only "flushed" message carrying `localSeq`; the server echoes it once everything sent
 * before it is stored. One request is in flight at a time, so a stream of edits (a drag) costs one
 * small round trip per server round trip, not one per edit.
 */
export type SaveState = 'saved' | 'saving'

export class SaveTracker {
  private localSeq = 0
  private ackedSeq = 0
  private inFlight: number | null = null
  private ready = false
  /** Set on every (re)sync: the handshake may have carried offline edits the server must confirm. */
  private handshakeUnconfirmed = false

  constructor(
    private readonly sendFlush: (seq: number) => boolean,
    private readonly onChange: () => void,
  ) {}

  get state(): SaveState {
    return this.ready && !this.handshakeUnconfirmed && this.ackedSeq >= this.localSeq ? 'saved' : 'saving'
  }

  /** A local edit happened. */
  noteLocalChange(): void {
    this.localSeq++
    this.request()
    this.onChange()
  }

  /** The provider finished its handshake: edits made offline went out in it; confirm them. */
  noteSynced(): void {
    this.ready = true
    this.handshakeUnconfirmed = true
    this.inFlight = null
    this.request()
    this.onChange()
  }

  noteDisconnected(): void {
    this.ready = false
    this.inFlight = null
    this.onChange()
  }

  noteFlushed(seq: number): void {
    if (this.inFlight !== seq) return
    this.inFlight = null
    this.handshakeUnconfirmed = false
    this.ackedSeq = Math.max(this.ackedSeq, seq)
    this.request()
    this.onChange()
  }

  private request(): void {
    if (!this.ready || this.inFlight !== null) return
    if (!this.handshakeUnconfirmed && this.ackedSeq >= this.localSeq) return
    const seq = this.localSeq
    if (this.sendFlush(seq)) this.inFlight = seq
  }
}
