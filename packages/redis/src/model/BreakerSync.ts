import type { CircuitState, ErrorClass } from '@redress/core'

/**
 * What a process says about the half-open probe in a sync: nothing; that it wants the probe;
 * that its probe is still in flight (renewing the lease); how its probe ended (`success`
 * closes the breaker, `failure` re-opens it); or that it gives an unused probe back.
 */
export type ProbeMessage = 'none' | 'want' | 'hold' | 'success' | 'failure' | 'release'

/** One failure a process reports in a sync. */
export interface BreakerSyncFailure {
  /** The failure's class (a trip class). */
  readonly errorClass: ErrorClass
  /** How long before the sync it happened, in ms (by the process's clock). */
  readonly ageMs: number
}

/** A per-class threshold, as sent to the store. */
export interface BreakerClassThreshold {
  /** The class. */
  readonly errorClass: ErrorClass
  /** Failures of that class within the window that open the breaker. */
  readonly threshold: number
}

/** One sync of a fleet breaker: what a process sends. */
export interface BreakerSyncRequest {
  /** This process's breaker's unique id (elects the prober). */
  readonly owner: string
  /** Failures within `windowMs` that open the breaker. */
  readonly failureThreshold: number
  /** The failure-counting window, in ms. */
  readonly windowMs: number
  /** How long the breaker stays open before a probe, in ms. */
  readonly recoveryTimeoutMs: number
  /** The probe lease, in ms. */
  readonly probeLeaseMs: number
  /** Per-class thresholds. */
  readonly classThresholds: readonly BreakerClassThreshold[]
  /** Failures of trip classes since the last sync. */
  readonly failures: readonly BreakerSyncFailure[]
  /** A sequence number for the first of `failures` (with `owner`, it makes each one unique). */
  readonly failureSeq: number
  /** What this process says about the probe. */
  readonly probe: ProbeMessage
  /** The generation the probe message refers to (for `hold`, `success`, `failure`, `release`). */
  readonly probeGeneration: number
}

/** What the store answers to a {@link BreakerSyncRequest}. */
export interface BreakerSyncReply {
  /** The fleet's breaker state after the sync. */
  readonly state: CircuitState
  /** Counts the fleet breaker's transitions; a probe message names the generation it belongs to. */
  readonly generation: number
  /** When open: how long ago it opened, in ms, by the store's clock; else 0. */
  readonly openedAgoMs: number
  /** True when this process holds the half-open probe. */
  readonly probeMine: boolean
  /** True when some process holds a live probe lease. */
  readonly proberPresent: boolean
  /** Failures counted in the window (closed only). */
  readonly failures: number
}
