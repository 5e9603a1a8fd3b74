import { EventName } from '@redress/core'

/** The circuit breaker's transitions: counted as state changes, never the end of a run. */
export const CIRCUIT_TRANSITIONS: ReadonlySet<string> = new Set<string>([
  EventName.CIRCUIT_OPENED,
  EventName.CIRCUIT_HALF_OPEN,
  EventName.CIRCUIT_CLOSED,
])

// Everything else ends a run: success and every stop event. Listing the few
// non-terminal events means a future stop event closes spans by default.
const NON_TERMINAL: ReadonlySet<string> = new Set<string>([EventName.RETRY, ...CIRCUIT_TRANSITIONS])

/** True for the events that end a run: `success` and every stop event (incl. `circuit_rejected`). */
export function isTerminalEvent(event: EventName): boolean {
  return !NON_TERMINAL.has(event)
}
