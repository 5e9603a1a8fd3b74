import type { CircuitState } from '@redress/core'

/** What {@link FleetCircuitBreaker} shows a health endpoint. */
export interface FleetCircuitBreakerView {
  /** The state this process acts on. */
  readonly state: CircuitState
  /** The fleet breaker's generation at the last sync. */
  readonly generation: number
  /** Fleet-wide failures in the window at the last sync (closed only). */
  readonly failures: number
  /** `true` once the last sync succeeded; `false` while this process decides on local state alone. */
  readonly fleet: boolean
}
