import type { CircuitState } from '../breaker/CircuitBreakerLike.ts'
import type { EventName } from './EventName.ts'
import type { StopReason } from './StopReason.ts'

// The values are literals (each checked against `EventName` by the type), not `EventName.X`:
// a bundler counts a property read as a possible side effect and would keep these tables, and
// `EventName`, in every bundle of the shared chunk, even one that imports only `ErrorClass`.

/** The event each stop reason emits. */
export const STOP_EVENTS: Readonly<Record<StopReason, EventName>> = Object.freeze({
  MAX_ATTEMPTS_GLOBAL: 'max_attempts_exceeded',
  MAX_ATTEMPTS_PER_CLASS: 'max_attempts_exceeded',
  DEADLINE_EXCEEDED: 'deadline_exceeded',
  MAX_UNKNOWN_ATTEMPTS: 'max_unknown_attempts_exceeded',
  NON_RETRYABLE_CLASS: 'permanent_fail',
  NO_STRATEGY: 'no_strategy_configured',
  BUDGET_EXHAUSTED: 'budget_exhausted',
  SCHEDULED: 'scheduled',
  ABORTED: 'aborted',
  CIRCUIT_OPEN: 'circuit_rejected',
  THROTTLED: 'throttled',
} satisfies Record<StopReason, EventName>)

/** The event each breaker transition emits. */
export const CIRCUIT_EVENTS: Readonly<Record<CircuitState, EventName>> = Object.freeze({
  open: 'circuit_opened',
  half_open: 'circuit_half_open',
  closed: 'circuit_closed',
})
