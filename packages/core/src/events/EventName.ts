// The engine writes event names as literals (`'retry'`, checked by the `EventName` type), not
// `EventName.RETRY`: a bundle then carries this table only when the application imports it.
/**
 * The events passed to `onMetric` and `onLog`. The strings are stable: dashboards
 * and alerts may depend on them.
 */
export const EventName: {
  /** An attempt succeeded; the run ends with its value. */
  readonly SUCCESS: 'success'
  /** An attempt failed and another one will follow after `sleepMs`. */
  readonly RETRY: 'retry'
  /** The failure's class is never retried. */
  readonly PERMANENT_FAIL: 'permanent_fail'
  /** The deadline passed, or the next wait would reach it. */
  readonly DEADLINE_EXCEEDED: 'deadline_exceeded'
  /** The global or a per-class attempt cap was reached. */
  readonly MAX_ATTEMPTS_EXCEEDED: 'max_attempts_exceeded'
  /** The cap on `UNKNOWN` failures was reached. */
  readonly MAX_UNKNOWN_ATTEMPTS_EXCEEDED: 'max_unknown_attempts_exceeded'
  /** No strategy covers the failure's class. */
  readonly NO_STRATEGY_CONFIGURED: 'no_strategy_configured'
  /** The retry budget refused a retry. */
  readonly BUDGET_EXHAUSTED: 'budget_exhausted'
  /** The `sleep` handler deferred the retry (`'defer'`). */
  readonly SCHEDULED: 'scheduled'
  /** The run was aborted. */
  readonly ABORTED: 'aborted'
  /** The circuit breaker opened. */
  readonly CIRCUIT_OPENED: 'circuit_opened'
  /** The circuit breaker let one probe through after its recovery timeout. */
  readonly CIRCUIT_HALF_OPEN: 'circuit_half_open'
  /** The circuit breaker closed after a successful probe. */
  readonly CIRCUIT_CLOSED: 'circuit_closed'
  /** The open circuit breaker rejected a call. */
  readonly CIRCUIT_REJECTED: 'circuit_rejected'
  /** The client-side throttle refused a call before its first attempt: it was never sent. */
  readonly THROTTLED: 'throttled'
  /**
   * A hedge started: another attempt of the call, alongside the one(s) still in flight (see the
   * `hedge` option). `attempt` is the hedge's own number. Does not end the run.
   */
  readonly HEDGE: 'hedge'
} = Object.freeze({
  SUCCESS: 'success',
  RETRY: 'retry',
  PERMANENT_FAIL: 'permanent_fail',
  DEADLINE_EXCEEDED: 'deadline_exceeded',
  MAX_ATTEMPTS_EXCEEDED: 'max_attempts_exceeded',
  MAX_UNKNOWN_ATTEMPTS_EXCEEDED: 'max_unknown_attempts_exceeded',
  NO_STRATEGY_CONFIGURED: 'no_strategy_configured',
  BUDGET_EXHAUSTED: 'budget_exhausted',
  SCHEDULED: 'scheduled',
  ABORTED: 'aborted',
  CIRCUIT_OPENED: 'circuit_opened',
  CIRCUIT_HALF_OPEN: 'circuit_half_open',
  CIRCUIT_CLOSED: 'circuit_closed',
  CIRCUIT_REJECTED: 'circuit_rejected',
  THROTTLED: 'throttled',
  HEDGE: 'hedge',
} as const)

/** One of the values of {@link EventName}. */
export type EventName = (typeof EventName)[keyof typeof EventName]
