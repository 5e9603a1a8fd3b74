import { type Clock, systemClock } from '../Clock.ts'
import { describeValue } from '../describeValue.ts'
import { ErrorClass, isErrorClass } from '../ErrorClass.ts'
import {
  clockOption,
  msOption,
  NON_NEGATIVE,
  numberOption,
  objectOption,
  optionNames,
  optionsObject,
} from '../guard/validate.ts'

/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /**
   * Failures of trip classes within `windowMs` that open the breaker. An integer ≥ 1.
   * @default 5
   */
  readonly failureThreshold?: number | undefined
  /**
   * How far back failures are counted, in milliseconds. Finite and > 0.
   * @default 60_000
   */
  readonly windowMs?: number | undefined
  /**
   * How long the breaker stays open before it lets one probe through, in
   * milliseconds. Finite and ≥ 0.
   * @default 30_000
   */
  readonly recoveryTimeoutMs?: number | undefined
  /**
   * The error classes whose failures count towards `failureThreshold` and re-open the
   * breaker from half-open. Other failures mean the server answered (a 404 is an
   * answer), so they count as neither.
   * @default [ErrorClass.TRANSIENT, ErrorClass.SERVER_ERROR]
   */
  readonly tripOn?: readonly ErrorClass[] | undefined
  /**
   * Per-class thresholds (integers ≥ 1): the breaker also opens when failures of that
   * one class within `windowMs` reach its threshold. A class listed here is a trip
   * class, so it also counts towards `failureThreshold`; a threshold above
   * `failureThreshold` therefore never fires on its own.
   * @default {}
   * @example { [ErrorClass.RATE_LIMIT]: 2 }
   */
  readonly classThresholds?: Partial<Record<ErrorClass, number>> | undefined
  /**
   * Where time is read from (only `now()` is used).
   * @default systemClock
   */
  readonly clock?: Clock | undefined
}

/** The defaults of {@link CircuitBreakerOptions}. */
export const CIRCUIT_BREAKER_DEFAULTS: {
  readonly failureThreshold: 5
  readonly windowMs: 60_000
  readonly recoveryTimeoutMs: 30_000
  readonly tripOn: readonly ErrorClass[]
} = Object.freeze({
  failureThreshold: 5,
  windowMs: 60_000,
  recoveryTimeoutMs: 30_000,
  tripOn: Object.freeze([ErrorClass.TRANSIENT, ErrorClass.SERVER_ERROR]),
})

const OWNER = 'CircuitBreaker'
const KNOWN: ReadonlySet<string> = optionNames<CircuitBreakerOptions>({
  failureThreshold: true,
  windowMs: true,
  recoveryTimeoutMs: true,
  tripOn: true,
  classThresholds: true,
  clock: true,
})

/** {@link CircuitBreakerOptions} validated and defaulted. Internal. */
export interface ResolvedBreakerOptions {
  readonly failureThreshold: number
  readonly windowMs: number
  readonly recoveryTimeoutMs: number
  readonly tripOn: ReadonlySet<ErrorClass>
  readonly classThresholds: Readonly<Partial<Record<ErrorClass, number>>>
  readonly clock: Clock
}

/** Validates and defaults breaker options; throws a TypeError/RangeError naming the option. */
export function resolveBreakerOptions(options: CircuitBreakerOptions | undefined): ResolvedBreakerOptions {
  const o = optionsObject(OWNER, options, KNOWN) as CircuitBreakerOptions
  const failureThreshold = whole(o.failureThreshold, 'failureThreshold') ?? CIRCUIT_BREAKER_DEFAULTS.failureThreshold
  const windowMs = msOption(OWNER, 'windowMs', o.windowMs) ?? CIRCUIT_BREAKER_DEFAULTS.windowMs
  const recoveryTimeoutMs =
    msOption(OWNER, 'recoveryTimeoutMs', o.recoveryTimeoutMs, NON_NEGATIVE) ??
    CIRCUIT_BREAKER_DEFAULTS.recoveryTimeoutMs
  const tripOn = o.tripOn ?? CIRCUIT_BREAKER_DEFAULTS.tripOn
  if (!Array.isArray(tripOn)) {
    throw new TypeError(`${OWNER}: tripOn must be an array of error classes, got ${describeValue(tripOn)}`)
  }
  const trip = new Set<ErrorClass>()
  tripOn.forEach((c: unknown, i) => {
    if (!isErrorClass(c)) throw new TypeError(`${OWNER}: tripOn[${i}] is not an error class: ${describeValue(c)}`)
    trip.add(c)
  })
  const given = objectOption<Record<string, unknown>>(OWNER, 'classThresholds', o.classThresholds) ?? {}
  if (Array.isArray(given)) {
    throw new TypeError(`${OWNER}: classThresholds must be an object of error class → threshold, got an array`)
  }
  const classThresholds: Partial<Record<ErrorClass, number>> = {}
  for (const [key, value] of Object.entries(given)) {
    if (!isErrorClass(key)) {
      throw new TypeError(`${OWNER}: classThresholds has a key that is not an error class: ${describeValue(key)}`)
    }
    const threshold = whole(value, `classThresholds.${key}`)
    if (threshold === undefined) continue
    classThresholds[key] = threshold
    trip.add(key)
  }
  const clock = clockOption(OWNER, o.clock) ?? systemClock
  return {
    failureThreshold,
    windowMs,
    recoveryTimeoutMs,
    tripOn: trip,
    classThresholds: Object.freeze(classThresholds),
    clock,
  }
}

/** A whole number >= 1 (finite: `attemptsOption` would let Infinity through). */
function whole(value: unknown, name: string): number | undefined {
  return numberOption(OWNER, name, value, { min: 1, integer: true })
}
