import { EventName } from './EventName.ts'

/** The circuit breaker's transitions: state changes, which never end a run. */
// Literals (checked by the type), not `EventName.X`: a property read would keep the table in every bundle.
export const CIRCUIT_TRANSITION_EVENTS: ReadonlySet<EventName> = new Set<EventName>([
  'circuit_opened',
  'circuit_half_open',
  'circuit_closed',
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
