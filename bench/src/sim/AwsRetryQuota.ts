import type { ErrorClass, RetryBudget } from '@redress/core'

/** Options of {@link AwsRetryQuota}. The defaults are the AWS SDKs' "standard" retry mode. */
export interface AwsRetryQuotaOptions {
  /**
   * Tokens in the pool; it starts full and never holds more.
   * @default 500
   */
  readonly capacity?: number | undefined
  /**
   * Tokens a retry takes.
   * @default 5
   */
  readonly retryCost?: number | undefined
  /**
   * Tokens a retry after a `TRANSIENT` failure takes (timeouts and connection errors:
   * redress's class for what the SDKs call a timeout).
   * @default 10
   */
  readonly timeoutRetryCost?: number | undefined
  /**
   * Tokens a call that succeeded without any retry puts back.
   * @default 1
   */
  readonly noRetryIncrement?: number | undefined
}

/** The defaults of {@link AwsRetryQuotaOptions}. */
export const AWS_RETRY_QUOTA_DEFAULTS: {
  readonly capacity: 500
  readonly retryCost: 5
  readonly timeoutRetryCost: 10
  readonly noRetryIncrement: 1
} = Object.freeze({ capacity: 500, retryCost: 5, timeoutRetryCost: 10, noRetryIncrement: 1 } as const)

/**
 * The AWS SDKs' client-side retry quota (botocore `StandardRetryConditions`, SDK v2/v3
 * "standard" mode), written against redress's public `RetryBudget` interface: one pool
 * per client; each retry takes `retryCost` tokens (`timeoutRetryCost` after a timeout)
 * and is refused when the pool holds fewer; when a call finally succeeds, it puts back
 * what its last retry took, or `noRetryIncrement` if it never retried.
 *
 * Because the refund belongs to a call, the engine is handed a per-call view:
 * `policy.start({ budget: quota.forCall() })`.
 */
export class AwsRetryQuota {
  /** The pool's capacity, in tokens. */
  readonly capacity: number
  /** Tokens a retry takes. */
  readonly retryCost: number
  /** Tokens a retry after a TRANSIENT failure takes. */
  readonly timeoutRetryCost: number
  /** Tokens a success without retries puts back. */
  readonly noRetryIncrement: number
  #available: number

  constructor(options: AwsRetryQuotaOptions = {}) {
    const d = AWS_RETRY_QUOTA_DEFAULTS
    this.capacity = tokens('capacity', options.capacity ?? d.capacity)
    this.retryCost = tokens('retryCost', options.retryCost ?? d.retryCost)
    this.timeoutRetryCost = tokens('timeoutRetryCost', options.timeoutRetryCost ?? d.timeoutRetryCost)
    this.noRetryIncrement = tokens('noRetryIncrement', options.noRetryIncrement ?? d.noRetryIncrement)
    this.#available = this.capacity
  }

  /** Tokens in the pool now. */
  get available(): number {
    return this.#available
  }

  /** The budget one call hands the engine. */
  forCall(): RetryBudget {
    return new AwsQuotaCall(this)
  }

  /** Takes `cost` tokens when the pool holds that many. @internal */
  take(cost: number): boolean {
    if (this.#available < cost) return false
    this.#available -= cost
    return true
  }

  /** Puts `amount` tokens back, up to `capacity`. @internal */
  release(amount: number): void {
    this.#available = Math.min(this.capacity, this.#available + amount)
  }
}

/** One call's view of the pool: it remembers what its last retry took, to refund it on success. */
class AwsQuotaCall implements RetryBudget {
  readonly #quota: AwsRetryQuota
  #lastClass: ErrorClass | undefined
  #lastCost: number | undefined

  constructor(quota: AwsRetryQuota) {
    this.#quota = quota
  }

  tryAcquire(): boolean {
    const q = this.#quota
    const cost = this.#lastClass === 'TRANSIENT' ? q.timeoutRetryCost : q.retryCost
    if (!q.take(cost)) return false
    this.#lastCost = cost
    return true
  }

  recordSuccess(): void {
    this.#quota.release(this.#lastCost ?? this.#quota.noRetryIncrement)
  }

  recordFailure(errorClass: ErrorClass): void {
    this.#lastClass = errorClass
  }
}

function tokens(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`AwsRetryQuota: ${name} must be a finite number of tokens >= 0, got ${String(value)}`)
  }
  return value
}
