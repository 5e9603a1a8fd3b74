/**
 * The coarse error classes every failure is sorted into. Each class gets its own
 * backoff and caps; `AUTH`, `PERMISSION` and `PERMANENT` are never retried.
 *
 * @example
 * ErrorClass.RATE_LIMIT === 'RATE_LIMIT' // true
 */
export const ErrorClass: {
  /** Credentials missing or rejected (HTTP 401). Never retried. */
  readonly AUTH: 'AUTH'
  /** Authenticated but not allowed (HTTP 403). Never retried. */
  readonly PERMISSION: 'PERMISSION'
  /** The request itself is wrong (HTTP 400, 404, 422 …). Never retried. */
  readonly PERMANENT: 'PERMANENT'
  /** A conflict that may clear on its own (HTTP 409, deadlocks). */
  readonly CONCURRENCY: 'CONCURRENCY'
  /** The server asked us to slow down (HTTP 429). */
  readonly RATE_LIMIT: 'RATE_LIMIT'
  /** The server failed (HTTP 5xx). */
  readonly SERVER_ERROR: 'SERVER_ERROR'
  /** The network or a timeout failed (ECONNRESET, TimeoutError …). */
  readonly TRANSIENT: 'TRANSIENT'
  /** Nothing else matched; retried at most `maxUnknownAttempts` times. */
  readonly UNKNOWN: 'UNKNOWN'
} = Object.freeze({
  AUTH: 'AUTH',
  PERMISSION: 'PERMISSION',
  PERMANENT: 'PERMANENT',
  CONCURRENCY: 'CONCURRENCY',
  RATE_LIMIT: 'RATE_LIMIT',
  SERVER_ERROR: 'SERVER_ERROR',
  TRANSIENT: 'TRANSIENT',
  UNKNOWN: 'UNKNOWN',
} as const)

/** One of the values of {@link ErrorClass}. */
export type ErrorClass = (typeof ErrorClass)[keyof typeof ErrorClass]

/** Every error class, in declaration order. */
export const ERROR_CLASSES: readonly ErrorClass[] = Object.freeze(Object.values(ErrorClass))

/** The classes that are never retried, whatever the policy says. */
// Literals, not `ErrorClass.AUTH`: a bundler counts a property read as a possible side effect and
// would keep this table (and `ErrorClass`) in every bundle of the chunk. The type checks them.
export const NON_RETRYABLE_CLASSES: ReadonlySet<ErrorClass> = new Set<ErrorClass>(['AUTH', 'PERMISSION', 'PERMANENT'])

/** True when `value` is the name of an error class. */
export function isErrorClass(value: unknown): value is ErrorClass {
  return typeof value === 'string' && Object.hasOwn(ErrorClass, value)
}
