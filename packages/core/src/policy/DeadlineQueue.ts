/** An attempt waiting in a {@link DeadlineQueue}. */
export interface DeadlineEntry {
  /** `performance.now()` time at which the attempt overruns, in ms. Set by the queue. */
  expiresAtMs: number | undefined
  /** True until the attempt settles; the queue skips entries that are no longer pending. */
  readonly pending: boolean
  /** Called once, when the entry is still pending at its expiry. */
  expire(): void
}

// setTimeout clamps a delay above 2^31-1 ms to 1 ms.
const MAX_TIMER_MS = 2_147_483_647

/**
 * One real timer for every attempt of one duration (a policy's first-attempt timeout: the
 * deadline, or `attemptTimeoutMs` when shorter), instead of a timer per attempt.
 *
 * Entries of one duration expire in the order they were added, so the queue is a FIFO: the
 * timer is armed for the oldest pending entry only, and when it fires it expires what is due
 * and re-arms for the next one. Settled entries are dropped lazily (and compacted when they
 * outnumber the pending ones, so a slow attempt at the head cannot pin the memory of the fast
 * ones behind it). The timer is unref'ed whenever nothing is pending, so an idle queue never
 * keeps the process alive and leaves nothing behind; a pending attempt keeps the process alive
 * until its deadline, as its own timer would.
 *
 * Only for the system clock: an injected clock with `sleep` drives attempt timeouts itself.
 */
export class DeadlineQueue {
  readonly durationMs: number
  #entries: DeadlineEntry[] = []
  #head = 0
  #pending = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  #timerAtMs = Infinity
  #refed = false

  /** @param durationMs how long each entry may stay pending, in ms (finite, > 0) */
  constructor(durationMs: number) {
    this.durationMs = durationMs
  }

  /** How many entries have not settled yet (for tests and diagnostics). */
  get pending(): number {
    return this.#pending
  }

  /** Queues `entry` to expire `durationMs` from `nowMs` (a `performance.now()` time). */
  add(entry: DeadlineEntry, nowMs: number): void {
    const expiresAtMs = nowMs + this.durationMs
    entry.expiresAtMs = expiresAtMs
    this.#entries.push(entry)
    this.#pending++
    if (this.#timer === undefined) this.#arm(expiresAtMs, nowMs)
    else if (!this.#refed) this.#ref(true)
  }

  /** Tells the queue that `entry` (already marked not pending) settled before its expiry. */
  settled(): void {
    this.#pending--
    if (this.#pending === 0) {
      if (this.#refed) this.#ref(false)
      // Nothing pending: everything queued is garbage, forget it now.
      this.#entries = []
      this.#head = 0
    } else if (this.#entries.length - this.#head > 64 && this.#entries.length - this.#head > 4 * this.#pending) {
      this.#entries = this.#entries.slice(this.#head).filter((e) => e.pending)
      this.#head = 0
    }
  }

  #arm(atMs: number, nowMs: number): void {
    // Less a microsecond: `(now + d) - now` is not always `d` in floating point, and a delay
    // rounded up to d + 1 would cut an attempt a millisecond late (or never, under fake timers
    // advanced by exactly d).
    const delay = Math.max(1, Math.ceil(atMs - nowMs - 0.001))
    this.#timerAtMs = atMs
    if (delay > MAX_TIMER_MS) return
    this.#timer = setTimeout(() => this.#fire(), delay)
    this.#refed = true
    if (this.#pending === 0) this.#ref(false)
  }

  #ref(on: boolean): void {
    this.#refed = on
    const timer = this.#timer as { ref?: () => void; unref?: () => void } | undefined
    if (on) timer?.ref?.()
    else timer?.unref?.()
  }

  #fire(): void {
    // The timer fired, so its due time has come, whatever performance.now() says: Node may fire
    // up to a millisecond early by that clock, and fake timers (a test's) move setTimeout's time
    // but not always performance.now's.
    const now = Math.max(performance.now() + 1, this.#timerAtMs)
    this.#timer = undefined
    this.#timerAtMs = Infinity
    const entries = this.#entries
    let i = this.#head
    while (i < entries.length) {
      const entry = entries[i] as DeadlineEntry
      if (entry.pending) {
        if ((entry.expiresAtMs ?? 0) > now) break
        this.#pending--
        try {
          entry.expire()
        } catch {
          // an attempt's own failure to settle must not stop the others from expiring
        }
      }
      i++
    }
    // An expiring attempt's listeners may have settled others meanwhile (which can replace
    // the array): only advance the head of the array this loop walked.
    if (this.#entries === entries) {
      if (i >= entries.length) {
        this.#entries = []
        this.#head = 0
      } else {
        this.#head = i
      }
    }
    const next = this.#entries[this.#head]
    if (next !== undefined && this.#pending > 0) this.#arm(next.expiresAtMs ?? now, now - 1)
  }

  /** Entries held, settled ones not yet dropped included (for tests: it stays bounded). */
  get size(): number {
    return this.#entries.length - this.#head
  }
}
