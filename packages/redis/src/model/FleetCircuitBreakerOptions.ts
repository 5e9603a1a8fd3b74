import { CircuitBreaker, type CircuitBreakerOptions, type ErrorClass } from '@redress/core'
import { describeValue } from '@redress/core/adapter'
import type { BreakerClassThreshold } from './BreakerSync.ts'
import { positiveMs } from './positiveMs.ts'

/** Options of `FleetCircuitBreaker`: `CircuitBreaker`'s, plus the probe lease and idling. */
export interface FleetCircuitBreakerOptions extends CircuitBreakerOptions {
  /**
   * How long the process elected to send the half-open probe holds that right without
   * renewing it, in milliseconds. The prober renews it at every sync while its probe is in
   * flight; a prober that crashes loses it after this long, and another process gets the probe.
   * Finite and > 0.
   * @default 5_000
   */
  readonly probeLeaseMs?: number | undefined
  /**
   * After this many milliseconds without a call (and nothing left to report), the object stops
   * syncing until it is used again. Finite and > 0.
   * @default 60_000
   */
  readonly idleAfterMs?: number | undefined
}

/** The defaults {@link FleetCircuitBreakerOptions} adds to `CIRCUIT_BREAKER_DEFAULTS`. */
export const FLEET_CIRCUIT_BREAKER_DEFAULTS: {
  /** How long the prober holds the probe without renewing it, in ms. */
  readonly probeLeaseMs: 5_000
  /** Idle time after which syncing stops, in ms. */
  readonly idleAfterMs: 60_000
} = Object.freeze({ probeLeaseMs: 5_000, idleAfterMs: 60_000 } as const)

/** {@link FleetCircuitBreakerOptions}, checked and resolved. */
export interface ResolvedFleetBreakerOptions {
  /** The local breaker the process decides with until a sync succeeds, built from `core`. */
  readonly local: CircuitBreaker
  /** Only `CircuitBreaker`'s own options, as given (a local breaker is resumed with them). */
  readonly core: CircuitBreakerOptions
  /** The per-class thresholds, as every sync sends them to the store. */
  readonly classList: readonly BreakerClassThreshold[]
  /** The probe lease, in ms. */
  readonly probeLeaseMs: number
  /** Idle time after which syncing stops, in ms. */
  readonly idleAfterMs: number
}

/**
 * Checks `options` (`CircuitBreaker`'s first, by building the local breaker) and fills in the
 * defaults. @throws TypeError/RangeError naming `owner` and the option.
 */
export function resolveFleetBreakerOptions(
  options: FleetCircuitBreakerOptions,
  owner: string,
): ResolvedFleetBreakerOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${owner}: options must be an object, got ${describeValue(options)}`)
  }
  const { probeLeaseMs, idleAfterMs, failureThreshold, windowMs, recoveryTimeoutMs, tripOn, classThresholds, clock } =
    options
  // Only CircuitBreaker's own options: it rejects any other name (client, key, sync options …).
  const core: CircuitBreakerOptions = {
    failureThreshold,
    windowMs,
    recoveryTimeoutMs,
    tripOn,
    classThresholds,
    clock,
  }
  for (const name of Object.keys(core) as (keyof CircuitBreakerOptions)[]) {
    if (core[name] === undefined) delete core[name]
  }
  let local: CircuitBreaker
  try {
    local = new CircuitBreaker(core)
  } catch (error) {
    throw renamed(error, owner)
  }
  const classList = Object.freeze(
    Object.entries(local.classThresholds).map(([errorClass, threshold]) =>
      Object.freeze({ errorClass: errorClass as ErrorClass, threshold: threshold as number }),
    ),
  )
  const d = FLEET_CIRCUIT_BREAKER_DEFAULTS
  return {
    local,
    core,
    classList,
    probeLeaseMs: positiveMs(owner, 'probeLeaseMs', probeLeaseMs ?? d.probeLeaseMs),
    idleAfterMs: positiveMs(owner, 'idleAfterMs', idleAfterMs ?? d.idleAfterMs),
  }
}

/** `CircuitBreaker`'s option error, named after `owner` instead. */
function renamed(error: unknown, owner: string): unknown {
  if (error instanceof Error && error.message.startsWith('CircuitBreaker:')) {
    const Ctor = error instanceof RangeError ? RangeError : TypeError
    return new Ctor(`${owner}:${error.message.slice('CircuitBreaker:'.length)}`)
  }
  return error
}
