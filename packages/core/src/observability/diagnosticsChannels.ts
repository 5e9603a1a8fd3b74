import type { EventName } from '../events/EventName.ts'
import type { EventTags } from '../policy/RetryOptions.ts'

/**
 * The `node:diagnostics_channel` name of each event: `redress:<event>`, one channel per
 * `EventName` value. The names are stable: tools may subscribe to them without importing
 * redress.
 *
 * @example
 * import diagnostics_channel from 'node:diagnostics_channel'
 * diagnostics_channel.subscribe('redress:retry', (message) => console.log(message))
 */
export const DIAGNOSTICS_CHANNELS: {
  readonly success: 'redress:success'
  readonly retry: 'redress:retry'
  readonly permanent_fail: 'redress:permanent_fail'
  readonly deadline_exceeded: 'redress:deadline_exceeded'
  readonly max_attempts_exceeded: 'redress:max_attempts_exceeded'
  readonly max_unknown_attempts_exceeded: 'redress:max_unknown_attempts_exceeded'
  readonly no_strategy_configured: 'redress:no_strategy_configured'
  readonly budget_exhausted: 'redress:budget_exhausted'
  readonly scheduled: 'redress:scheduled'
  readonly aborted: 'redress:aborted'
  readonly circuit_opened: 'redress:circuit_opened'
  readonly circuit_half_open: 'redress:circuit_half_open'
  readonly circuit_closed: 'redress:circuit_closed'
  readonly circuit_rejected: 'redress:circuit_rejected'
  readonly throttled: 'redress:throttled'
  readonly hedge: 'redress:hedge'
} = Object.freeze({
  success: 'redress:success',
  retry: 'redress:retry',
  permanent_fail: 'redress:permanent_fail',
  deadline_exceeded: 'redress:deadline_exceeded',
  max_attempts_exceeded: 'redress:max_attempts_exceeded',
  max_unknown_attempts_exceeded: 'redress:max_unknown_attempts_exceeded',
  no_strategy_configured: 'redress:no_strategy_configured',
  budget_exhausted: 'redress:budget_exhausted',
  scheduled: 'redress:scheduled',
  aborted: 'redress:aborted',
  circuit_opened: 'redress:circuit_opened',
  circuit_half_open: 'redress:circuit_half_open',
  circuit_closed: 'redress:circuit_closed',
  circuit_rejected: 'redress:circuit_rejected',
  throttled: 'redress:throttled',
  hedge: 'redress:hedge',
} as const satisfies Record<EventName, `redress:${EventName}`>)

/**
 * What a subscriber of a redress diagnostics channel receives: exactly what the hooks
 * see. `event`, `attempt`, `sleepMs` and `tags` are `onMetric`'s arguments; `fields` is
 * the object `onLog` receives (the tags, the event's details, `attempt` and `sleep_ms`).
 * The message and both records are frozen, because every subscriber shares them.
 */
export interface DiagnosticsMessage {
  /** The event name (see `EventName`); also the channel's suffix. */
  readonly event: EventName
  /** The 1-based attempt the event is about (0 before any attempt). */
  readonly attempt: number
  /** The sleep before the next attempt, in ms (0 unless `retry`/`scheduled`/a stop with a next sleep). */
  readonly sleepMs: number
  /** The event's low-cardinality tags, as `onMetric` sees them. */
  readonly tags: EventTags
  /** The event's structured fields, as `onLog` sees them. */
  readonly fields: Readonly<Record<string, unknown>>
}
