/**
 * A token bucket: `capacity` tokens to start with, refilled at `ratePerSecond`. Each message takes
 * one, so a connection may burst up to the capacity and keep up the rate for as long as it likes.
 */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = capacity
    this.last = now()
  }

  take(count = 1): boolean {
    const now = this.now()
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond)
    this.last = now
    if (this.tokens < count) return false
    this.tokens -= count
    return true
  }
}
