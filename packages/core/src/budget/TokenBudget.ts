import { type ErrorClass, NON_RETRYABLE_CLASSES } from '../ErrorClass.ts'
import { numberOption, optionNames, optionsObject } from '../guard/validate.ts'
import type { RetryBudget } from './RetryBudget.ts'

const KNOWN: ReadonlySet<string> = optionNames<TokenBudgetOptions>({ maxTokens: true, tokenRatio: true })

/** Options of {@link TokenBudget}. The defaults are gRFC A6's. */
export interface TokenBudgetOptions {
  /**
   * The bucket's capacity, in tokens; it starts full. Retries stop while the bucket
   * holds `maxTokens / 2` tokens or fewer. Finite and at least 0.001 (precision is
   * thousandths of a token, as in gRFC A6).
   * @default 10
   */
  readonly maxTokens?: number | undefined
  /**
   * Tokens each successful attempt puts back. Finite and at least 0.001 (rounded to
   * thousandths).
   * @default 0.1
   */
  readonly tokenRatio?: number | undefined
}

/** What {@link TokenBudget} shows a health endpoint. Plain data, safe to serialise. */
export interface TokenBudgetView {
  /** The bucket's capacity. */
  readonly maxTokens: number
  /** Tokens a success puts back. */
  readonly tokenRatio: number
  /** Tokens in the bucket now, in [0, maxTokens]. */
  readonly tokens: number
  /** Whether `tryAcquire()` would grant a retry now. */
  readonly retriesAllowed: boolean
}

/** The defaults of {@link TokenBudgetOptions}, from gRFC A6. */
export const TOKEN_BUDGET_DEFAULTS: { readonly maxTokens: 10; readonly tokenRatio: 0.1 } = Object.freeze({
  maxTokens: 10,
  tokenRatio: 0.1,
})

/** gRFC A6 keeps token counts in thousandths so repeated 0.1 steps never drift. */
const SCALE = 1000

/**
 * Retry throttling as in gRPC (gRFC A6): a bucket of `maxTokens` that starts full;
 * each failed attempt of a retryable class costs one token, each successful attempt
 * puts back `tokenRatio`, and retries are refused while the bucket holds half its
 * capacity or less. `tryAcquire()` only looks; it takes nothing. The count always stays
 * within [0, maxTokens]. Failures of `AUTH`, `PERMISSION` and `PERMANENT` cost nothing:
 * the server answered, so they say nothing about its health.
 *
 * With the defaults, retries keep flowing while fewer than about 1 attempt in 11 fails
 * (ten successes repay one failure), and in a total outage they stop after five
 * failed attempts.
 *
 * @example
 * const budget = new TokenBudget()             // shared by every call to one upstream
 * const policy = new RetryPolicy({ budget })
 */
export class TokenBudget implements RetryBudget {
  /** The bucket's capacity, in tokens. */
  readonly maxTokens: number
  /** Tokens each success puts back. */
  readonly tokenRatio: number
  readonly #max: number
  readonly #ratio: number
  #milli: number

  constructor(options: TokenBudgetOptions = {}) {
    const o = optionsObject('TokenBudget', options, KNOWN) as TokenBudgetOptions
    const { maxTokens = TOKEN_BUDGET_DEFAULTS.maxTokens, tokenRatio = TOKEN_BUDGET_DEFAULTS.tokenRatio } = o
    this.#max = toThousandths('maxTokens', maxTokens)
    this.#ratio = toThousandths('tokenRatio', tokenRatio)
    this.maxTokens = this.#max / SCALE
    this.tokenRatio = this.#ratio / SCALE
    this.#milli = this.#max
  }

  /** Tokens in the bucket now, in [0, maxTokens]. */
  get tokens(): number {
    return this.#milli / SCALE
  }

  /** True while the bucket holds more than half its capacity. Takes nothing. */
  tryAcquire(): boolean {
    return this.#milli * 2 > this.#max
  }

  /** Puts back `tokenRatio` tokens, up to `maxTokens`. */
  recordSuccess(): void {
    this.#milli = Math.min(this.#max, this.#milli + this.#ratio)
  }

  /** Takes one token for a retryable class (down to 0); nothing for AUTH, PERMISSION, PERMANENT. */
  recordFailure(errorClass: ErrorClass): void {
    if (NON_RETRYABLE_CLASSES.has(errorClass)) return
    this.#milli = Math.max(0, this.#milli - SCALE)
  }

  /** A plain snapshot for health endpoints (also what `JSON.stringify(budget)` writes). */
  toJSON(): TokenBudgetView {
    return {
      maxTokens: this.maxTokens,
      tokenRatio: this.tokenRatio,
      tokens: this.tokens,
      retriesAllowed: this.tryAcquire(),
    }
  }
}

function toThousandths(name: string, value: unknown): number {
  numberOption('TokenBudget', name, value, { unit: 'tokens' })
  const milli = Math.round((value as number) * SCALE)
  if (milli < 1 || !Number.isSafeInteger(milli)) {
    throw new RangeError(
      `TokenBudget: ${name} must be between 0.001 and ${Number.MAX_SAFE_INTEGER / SCALE}, got ${value}`,
    )
  }
  return milli
}
