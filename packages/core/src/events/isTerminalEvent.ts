import { EventName } from './EventName.ts'

/** The circuit breaker's transitions: state changes, which never end a run. */
export const CIRCUIT_TRANSITION_EVENTS: ReadonlySet<EventName> = new Set<EventName>([
  EventName.CIRCUIT_OPENED,
  EventName.CIRCUIT_HALF_OPEN,
  EventName.CIRCUIT_CLOSED,
])

/**
 * True for the events that end a run — `success` and every stop event
 * (`circuit_rejected`, `throttled`, `budget_exhausted`, `scheduled`, `aborted` …) — and false for
 * `retry`, `hedge` and the circuit transitions. Observers close spans and record attempts-per-run
 * on these. Defined by the few events that do NOT end a run, so a stop event added later
 * ends runs by default.
 */
export function isTerminalEvent(event: EventName): boolean {
  return event !== EventName.RETRY && event !== EventName.HEDGE && !CIRCUIT_TRANSITION_EVENTS.has(event)
}
