/**
 * The instruments `@redress/otel` creates. Durations are in seconds, as OpenTelemetry's
 * semantic conventions ask of every duration metric.
 */
export const OTEL_METRICS: {
  /** Counter of `retry` events (unit `{retry}`). */
  readonly RETRIES: 'redress.retries'
  /** Histogram of attempts per finished run, recorded at its terminal event (unit `{attempt}`). */
  readonly ATTEMPTS: 'redress.attempts'
  /** Histogram of the sleep before each retry (unit `s`). */
  readonly RETRY_SLEEP: 'redress.retry.sleep'
  /** Counter of runs that stopped without success, by `redress.stop_reason` (unit `{run}`). */
  readonly GIVE_UPS: 'redress.give_ups'
  /** Counter of circuit breaker transitions, by `redress.circuit.state` (unit `{transition}`). */
  readonly CIRCUIT_STATE_CHANGES: 'redress.circuit.state_changes'
  /** Counter of `hedge` events: extra attempts started alongside one in flight (unit `{hedge}`). */
  readonly HEDGES: 'redress.hedges'
} = Object.freeze({
  RETRIES: 'redress.retries',
  ATTEMPTS: 'redress.attempts',
  RETRY_SLEEP: 'redress.retry.sleep',
  GIVE_UPS: 'redress.give_ups',
  CIRCUIT_STATE_CHANGES: 'redress.circuit.state_changes',
  HEDGES: 'redress.hedges',
} as const)
