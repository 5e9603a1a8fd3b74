import { FakeClock } from '@redress/core/testing'

/**
 * A `FakeClock` a test can wait on: {@link WatchedClock.until} resolves once a check holds,
 * checked now and each time a sleep starts or ends. For "the engine is sleeping now" (after a
 * response that came over a real socket) without polling on real time.
 */
export class WatchedClock extends FakeClock {
  #waiters: Array<{ readonly check: () => boolean; readonly resolve: () => void }> = []

  /** As `FakeClock.sleep`; the waiters of `until` are told when the sleep starts and when it ends. */
  override sleep(ms: number, signal?: AbortSignal): Promise<void> {
    const slept = super.sleep(ms, signal)
    this.#changed()
    // Both handlers: a sleep aborted by its signal rejects, and this copy must not go unhandled.
    slept.then(
      () => this.#changed(),
      () => this.#changed(),
    )
    return slept
  }

  /**
   * Resolves once `check()` holds (e.g. `() => clock.pendingCount === 1`): no time limit of its
   * own, the test's timeout bounds it.
   */
  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve()
    return new Promise((resolve) => this.#waiters.push({ check, resolve }))
  }

  #changed(): void {
    if (this.#waiters.length === 0) return
    this.#waiters = this.#waiters.filter((waiter) => {
      if (!waiter.check()) return true
      waiter.resolve()
      return false
    })
  }
}
