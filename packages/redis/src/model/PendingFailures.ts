import type { ErrorClass } from '@redress/core'
import type { BreakerClassThreshold, BreakerSyncFailure } from './BreakerSync.ts'

/** One failure of a trip class, at this process's clock. */
interface PendingFailure {
  readonly atMs: number
  readonly errorClass: ErrorClass
}

/**
 * The failures of trip classes a `FleetCircuitBreaker` recorded that the fleet count of its last
 * sync does not include yet: those waiting for the next sync — at most as many as the highest
 * threshold (the most recent), numbered in the order they are sent so the store counts each
 * once — and those the sync in flight carries, until its answer (which counts them) arrives.
 */
export class PendingFailures {
  readonly #failureThreshold: number
  readonly #windowMs: number
  readonly #classList: readonly BreakerClassThreshold[]
  readonly #cap: number
  readonly #minThreshold: number
  #failures: PendingFailure[] = []
  /** Taken by the sync in flight: the store has them, or will, but the last answer did not count them. */
  #sent: PendingFailure[] = []
  #seq = 0

  /**
   * @param failureThreshold failures within `windowMs` that open the breaker
   * @param windowMs the failure-counting window, in ms
   * @param classList the per-class thresholds
   */
  constructor(failureThreshold: number, windowMs: number, classList: readonly BreakerClassThreshold[]) {
    this.#failureThreshold = failureThreshold
    this.#windowMs = windowMs
    this.#classList = classList
    const thresholds = [failureThreshold, ...classList.map((c) => c.threshold)]
    this.#cap = Math.max(...thresholds)
    this.#minThreshold = Math.min(...thresholds)
  }

  /** How many wait for the next sync. */
  get size(): number {
    return this.#failures.length
  }

  /** The sequence number the next sync's first failure gets. */
  get seq(): number {
    return this.#seq
  }

  /** Queues a failure that happened at `nowMs`. */
  add(nowMs: number, errorClass: ErrorClass): void {
    const failures = this.#failures
    failures.push({ atMs: nowMs, errorClass })
    // More than the highest threshold says nothing more: keep the most recent ones.
    if (failures.length > this.#cap) failures.splice(0, failures.length - this.#cap)
  }

  /** Forgets them all, sent ones included (the breaker closed). */
  clear(): void {
    this.#failures = []
    this.#sent = []
  }

  /**
   * Takes them all for a sync at `nowMs`: those still within the window, with their ages. They
   * count as sent until the sync is answered (`settle`), put back (`putBack`) or given up
   * (`recent`, then `settle`).
   */
  take(nowMs: number): BreakerSyncFailure[] {
    const failures: BreakerSyncFailure[] = []
    const sent: PendingFailure[] = []
    for (const f of this.#failures) {
      const ageMs = nowMs - f.atMs
      if (ageMs < this.#windowMs) {
        failures.push({ errorClass: f.errorClass, ageMs: Math.max(ageMs, 0) })
        sent.push(f)
      }
    }
    this.#failures = []
    this.#sent = sent
    this.#seq += failures.length
    return failures
  }

  /** The sync that took the sent ones ended: its answer counts them, or they are given up. */
  settle(): void {
    this.#sent = []
  }

  /** Puts back, before any recorded since, the failures of a sync that never left. */
  putBack(unsent: readonly BreakerSyncFailure[], nowMs: number): void {
    const again = unsent.map((f) => ({ atMs: nowMs - f.ageMs, errorClass: f.errorClass }))
    this.#failures = again.concat(this.#failures)
    this.#sent = []
  }

  /**
   * Those still within the window at `nowMs`, sent ones included, with their ages, as
   * `CircuitBreaker.restore` takes them.
   */
  recent(nowMs: number): BreakerSyncFailure[] {
    const cutoff = nowMs - this.#windowMs
    return this.#sent
      .concat(this.#failures)
      .filter((f) => f.atMs > cutoff)
      .map((f) => ({ errorClass: f.errorClass, ageMs: nowMs - f.atMs }))
  }

  /**
   * Whether the fleet's count at the last sync plus this process's failures it did not count
   * (sent since, or waiting) reach the threshold (or its own failures reach a class threshold):
   * then the store will open the breaker when they arrive, and this process need not wait for
   * that round trip to stop calling.
   */
  reachThreshold(fleetFailures: number, nowMs: number): boolean {
    if (fleetFailures + this.#sent.length + this.#failures.length < this.#minThreshold) return false
    const cutoff = nowMs - this.#windowMs
    let total = 0
    const byClass = new Map<ErrorClass, number>()
    for (const list of [this.#sent, this.#failures]) {
      for (const f of list) {
        if (f.atMs <= cutoff) continue
        total++
        byClass.set(f.errorClass, (byClass.get(f.errorClass) ?? 0) + 1)
      }
    }
    if (fleetFailures + total >= this.#failureThreshold) return true
    return this.#classList.some((c) => (byClass.get(c.errorClass) ?? 0) >= c.threshold)
  }
}
