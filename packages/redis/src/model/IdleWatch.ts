import type { SyncHooks } from './SyncHooks.ts'

/**
 * When a fleet object (`FleetTokenBudget`, `FleetCircuitBreaker`) stops syncing for want of use,
 * and when it starts again: a sync finds it idle once `idleAfterMs` have passed without a call
 * and with nothing left to send; it then sleeps — its driver schedules nothing — until its next
 * call wakes the driver (`SyncHooks.wake`).
 */
export class IdleWatch {
  readonly #idleAfterMs: number
  #used = false
  #asleep = false
  #lastUseMs: number

  /**
   * @param idleAfterMs idle time after which syncing stops, in ms
   * @param nowMs the object's clock when it is made (its first use)
   */
  constructor(idleAfterMs: number, nowMs: number) {
    this.#idleAfterMs = idleAfterMs
    this.#lastUseMs = nowMs
  }

  /** The object was called: a sleeping object wakes its driver. */
  use(hooks: SyncHooks): void {
    this.#used = true
    if (this.#asleep) {
      this.#asleep = false
      hooks.wake()
    }
  }

  /**
   * At a sync at `nowMs`: true when there has been no call for `idleAfterMs` and nothing is left to
   * send (`busy` is false), so the object sleeps from now on instead of syncing.
   */
  sleeps(nowMs: number, busy: boolean): boolean {
    if (this.#used) {
      this.#used = false
      this.#lastUseMs = nowMs
      return false
    }
    if (busy || nowMs - this.#lastUseMs < this.#idleAfterMs) return false
    this.#asleep = true
    return true
  }
}
