/**
 * The one source of time the engine reads. `now` is monotonic milliseconds. When
 * `sleep` is present, **all** waiting goes through it (backoff sleeps, attempt
 * timeouts, the deadline), so a fake clock drives a whole run without real time.
 */
export interface Clock {
  /** Monotonic time in milliseconds. */
  now(): number
  /**
   * Resolves after `ms` milliseconds; rejects with `signal.reason` as soon as `signal`
   * aborts (and leaves no timer behind). Optional: without it, real timers are used.
   */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>
}

/**
 * Replaces only the backoff sleep. Must reject with `signal.reason` when `signal` aborts.
 */
export type Sleeper = (ms: number, signal: AbortSignal) => Promise<void>

/** A random source returning numbers in [0, 1). */
export type RandomSource = () => number

/**
 * Waits `ms` milliseconds on a real timer. Rejects with `signal.reason` at once when
 * `signal` aborts, clearing the timer. `ms` of `Infinity` waits until the signal aborts.
 */
export function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason)
      return
    }
    let timer: ReturnType<typeof setTimeout> | undefined
    const onAbort = (): void => {
      if (timer !== undefined) clearTimeout(timer)
      reject(signal?.reason)
    }
    // setTimeout clamps anything over 2^31-1 ms to 1 ms; treat such waits as "until aborted".
    if (Number.isFinite(ms) && ms <= 2_147_483_647) {
      timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
        Math.max(0, ms),
      )
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * The default clock: `performance.now()` for time and real timers for waiting. The
 * globals are read lazily, so fake timers installed after import still apply.
 */
export const systemClock: Clock = Object.freeze({
  now: (): number => performance.now(),
  sleep: (ms: number, signal?: AbortSignal): Promise<void> => realSleep(ms, signal),
})
