import type { ErrorClass } from './ErrorClass.ts'

/**
 * What a classifier says about one failure.
 */
export interface Classification {
  /** The class the failure belongs to. */
  readonly errorClass: ErrorClass
  /**
   * The server's requested delay before the next attempt, in milliseconds
   * (from `Retry-After` or a `RateLimitError`). `retryAfterOr` honours it; a value past
   * the deadline (or past the policy's `maxRetryAfterMs`) ends the run at once.
   */
  readonly retryAfterMs?: number | undefined
  /**
   * `false` forbids a retry of this failure even when its class is retryable, e.g. a
   * POST whose body may have reached the server. The run stops with
   * `NON_RETRYABLE_CLASS` and the `permanent_fail` event, keeping the true class in the tags.
   * @default true for retryable classes
   */
  readonly retryable?: boolean | undefined
  /** Free-form facts for logs (e.g. `{ status: 503 }`); never read by the engine. */
  readonly details?: Readonly<Record<string, unknown>> | undefined
}

/**
 * Sorts a thrown value into an error class. Must never throw; the engine treats a
 * classifier that throws as answering `UNKNOWN`.
 */
export type Classifier = (error: unknown) => ErrorClass | Classification

/**
 * Looks at a successful value: `undefined` means success, a class (or a
 * classification) means "treat this value as a failure of that class".
 */
export type ResultClassifier = (value: unknown) => ErrorClass | Classification | undefined
