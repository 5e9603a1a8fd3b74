import type { ResolvedPolicy } from './resolveOptions.ts'

/**
 * Schedules `fire` after the I/O already received, on real timers in Node (one `setImmediate`):
 * the event loop runs expired timers before it polls sockets, so on a busy loop a response that
 * arrived in time would otherwise lose to a timer that expired alongside it (a hedge sent for
 * nothing). Returns how to cancel it, or `undefined` when there is nothing to yield to (an
 * injected clock, or no `setImmediate`): the caller then goes on at once.
 */
export function yieldToIo(p: ResolvedPolicy, fire: () => void): (() => void) | undefined {
  if ((p.realTime || p.clock.sleep === undefined) && typeof setImmediate === 'function') {
    const immediate = setImmediate(fire)
    return () => clearImmediate(immediate)
  }
  return undefined
}
