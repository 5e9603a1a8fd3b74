import type { CircuitState } from '../breaker/CircuitBreakerLike.ts'
import { EventName } from './EventName.ts'
import type { StopReason } from './StopReason.ts'

/** The event each stop reason emits. */
export const STOP_EVENTS: Readonly<Record<StopReason, EventName>> = Object.freeze({
  MAX_ATTEMPTS_GLOBAL: EventName.MAX_ATTEMPTS_EXCEEDED,
  MAX_ATTEMPTS_PER_CLASS: EventName.MAX_ATTEMPTS_EXCEEDED,
  DEADLINE_EXCEEDED: EventName.DEADLINE_EXCEEDED,
  MAX_UNKNOWN_ATTEMPTS: EventName.MAX_UNKNOWN_ATTEMPTS_EXCEEDED,
  NON_RETRYABLE_CLASS: EventName.PERMANENT_FAIL,
  NO_STRATEGY: EventName.NO_STRATEGY_CONFIGURED,
  BUDGET_EXHAUSTED: EventName.BUDGET_EXHAUSTED,
  SCHEDULED: EventName.SCHEDULED,
  ABORTED: EventName.ABORTED,
  CIRCUIT_OPEN: EventName.CIRCUIT_REJECTED,
  THROTTLED: EventName.THROTTLED,
} satisfies Record<StopReason, EventName>)

/** The event each breaker transition emits. */
export const CIRCUIT_EVENTS: Readonly<Record<CircuitState, EventName>> = Object.freeze({
  open: EventName.CIRCUIT_OPENED,
  half_open: EventName.CIRCUIT_HALF_OPEN,
  closed: EventName.CIRCUIT_CLOSED,
})
