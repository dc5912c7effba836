/**
 * Waiting in tests: poll for a condition with a deadline instead of sleeping (STYLE habit 10).
 */

export interface WaitOptions {
  /** Give up after this long; the default suits loopback tests. */
  timeoutMs?: number
  /** Says what was awaited, so a timeout reads as a failed expectation. */
  message?: string
  intervalMs?: number
}

export const DEFAULT_WAIT_TIMEOUT_MS = 5_000
const DEFAULT_POLL_INTERVAL_MS = 5

/**
 * Resolves with the condition's first truthy value; rejects once the deadline has passed. A
 * condition that throws counts as not yet true, and its last error is attached to the timeout.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  {
    timeoutMs = DEFAULT_WAIT_TIMEOUT_MS,
    message = 'condition',
    intervalMs = DEFAULT_POLL_INTERVAL_MS,
  }: WaitOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  for (;;) {
    try {
      const value = await condition()
      if (value) return value as NonNullable<T>
      lastError = null
    } catch (error) {
      lastError = error
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : ''
      throw new Error(`timed out after ${timeoutMs} ms waiting for: ${message}${detail}`)
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

/** A promise that settles only when the test says so, e.g. to hold a storage call. */
export interface Gate {
  readonly promise: Promise<void>
  readonly released: boolean
  release(): void
}

export function createGate(): Gate {
  let release!: () => void
  let released = false
  const promise = new Promise<void>((resolve) => {
    release = resolve
  })
  return {
    promise,
    get released() {
      return released
    },
    release() {
      released = true
      release()
    },
  }
}

/** Rejects after `ms` with `message`: races a promise so no await in a test can hang. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for: ${message}`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
