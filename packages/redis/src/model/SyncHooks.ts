/**
 * What a fleet object ({@link FleetTokenBudget}, {@link FleetCircuitBreaker}) asks of whoever
 * drives its syncs: `@redress/redis`'s timer-driven Redis driver, or a simulation's event
 * queue. Both calls are cheap signals; neither may do I/O synchronously.
 */
export interface SyncHooks {
  /** The object stopped syncing because it was idle, and has just been used again: sync soon. */
  wake(): void
  /**
   * The local view crossed a line the rest of the fleet should learn about at once (the
   * budget ran dry, the breaker opened, a probe ended, a probe is wanted): sync now rather
   * than at the next interval.
   */
  urgent(): void
}

/** Hooks that do nothing, until a driver installs its own. */
export const NO_SYNC_HOOKS: SyncHooks = Object.freeze({
  wake(): void {},
  urgent(): void {},
})
