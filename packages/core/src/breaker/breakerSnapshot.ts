import { describeValue } from '../describeValue.ts'
import { type ErrorClass, isErrorClass } from '../ErrorClass.ts'
import type { CircuitState } from './CircuitBreakerLike.ts'

/** One failure counted by a closed breaker, as persisted. */
export interface CircuitBreakerSnapshotFailure {
  /** The failure's class. */
  readonly errorClass: ErrorClass
  /** How long before `savedAt` the failure was recorded, in milliseconds. */
  readonly ageMs: number
}

/**
 * A breaker's state as plain JSON data, for processes that restart often
 * (serverless). Times are ages relative to the moment of the snapshot plus a wall-clock
 * `savedAt`, because the monotonic clock of the process that restores it is unrelated.
 * A probe in flight is not persisted: a restored half-open breaker hands the probe to
 * its next `admit()`.
 */
export interface CircuitBreakerSnapshot {
  /** The format version. */
  readonly version: 1
  /** The state at the moment of the snapshot. */
  readonly state: CircuitState
  /** Failures counted within the window, oldest first (empty unless closed). */
  readonly failures: readonly CircuitBreakerSnapshotFailure[]
  /** When open: milliseconds since the breaker opened. */
  readonly openedAgoMs?: number | undefined
  /** Wall-clock time of the snapshot (`Date.now()`), in milliseconds since the epoch. */
  readonly savedAt: number
}

const STATES: ReadonlySet<string> = new Set<CircuitState>(['closed', 'open', 'half_open'])

/** Checks a snapshot read back (typically from JSON); throws a TypeError naming the first bad field. */
export function parseSnapshot(value: unknown): CircuitBreakerSnapshot {
  const where = 'CircuitBreaker.restore: snapshot'
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${where} must be an object from breaker.snapshot(), got ${describeValue(value)}`)
  }
  const { version, state, failures, openedAgoMs, savedAt } = value as Record<string, unknown>
  if (version !== 1) throw new TypeError(`${where}.version must be 1, got ${describeValue(version)}`)
  if (typeof state !== 'string' || !STATES.has(state)) {
    throw new TypeError(`${where}.state must be 'closed', 'open' or 'half_open', got ${describeValue(state)}`)
  }
  if (typeof savedAt !== 'number' || !Number.isFinite(savedAt)) {
    throw new TypeError(`${where}.savedAt must be a finite number (Date.now()), got ${describeValue(savedAt)}`)
  }
  if (!Array.isArray(failures))
    throw new TypeError(`${where}.failures must be an array, got ${describeValue(failures)}`)
  const parsed = failures.map((f: unknown, i): CircuitBreakerSnapshotFailure => {
    if (typeof f !== 'object' || f === null) {
      throw new TypeError(`${where}.failures[${i}] must be an object, got ${describeValue(f)}`)
    }
    const { errorClass, ageMs } = f as Record<string, unknown>
    if (!isErrorClass(errorClass)) {
      throw new TypeError(`${where}.failures[${i}].errorClass is not an error class: ${describeValue(errorClass)}`)
    }
    if (!isDuration(ageMs)) {
      throw new TypeError(`${where}.failures[${i}].ageMs must be a finite number >= 0, got ${describeValue(ageMs)}`)
    }
    return { errorClass, ageMs }
  })
  if (state === 'open') {
    if (!isDuration(openedAgoMs)) {
      throw new TypeError(
        `${where}.openedAgoMs must be a finite number >= 0 when open, got ${describeValue(openedAgoMs)}`,
      )
    }
    return { version, state, failures: parsed, openedAgoMs, savedAt }
  }
  if (openedAgoMs !== undefined) {
    throw new TypeError(
      `${where}.openedAgoMs must be absent unless the state is 'open', got ${describeValue(openedAgoMs)}`,
    )
  }
  return { version, state: state as CircuitState, failures: parsed, savedAt }
}

function isDuration(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}
