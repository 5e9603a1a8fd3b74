import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ErrorClass } from '../ErrorClass.ts'
import { TOKEN_BUDGET_DEFAULTS, TokenBudget } from './TokenBudget.ts'

const RETRYABLE = [
  ErrorClass.TRANSIENT,
  ErrorClass.SERVER_ERROR,
  ErrorClass.RATE_LIMIT,
  ErrorClass.CONCURRENCY,
  ErrorClass.UNKNOWN,
] as const
const NON_RETRYABLE = [ErrorClass.AUTH, ErrorClass.PERMISSION, ErrorClass.PERMANENT] as const

describe('TokenBudget', () => {
  it('starts full with the gRFC A6 defaults and allows retries', () => {
    const budget = new TokenBudget()
    expect(budget.maxTokens).toBe(10)
    expect(budget.tokenRatio).toBe(0.1)
    expect(budget.tokens).toBe(10)
    expect(budget.tryAcquire()).toBe(true)
  })

  it('does not consume a token when it grants a retry', () => {
    const budget = new TokenBudget()
    for (let i = 0; i < 100; i++) expect(budget.tryAcquire()).toBe(true)
    expect(budget.tokens).toBe(10)
  })

  it('stops retries in a total outage once tokens fall to half the capacity', () => {
    const budget = new TokenBudget()
    for (let i = 0; i < 4; i++) budget.recordFailure(ErrorClass.SERVER_ERROR)
    expect(budget.tokens).toBe(6)
    expect(budget.tryAcquire()).toBe(true)
    budget.recordFailure(ErrorClass.SERVER_ERROR)
    expect(budget.tokens).toBe(5)
    expect(budget.tryAcquire()).toBe(false) // 5 is not more than 10 / 2
  })

  it.each(RETRYABLE)('takes one token for a %s failure', (errorClass) => {
    const budget = new TokenBudget()
    budget.recordFailure(errorClass)
    expect(budget.tokens).toBe(9)
  })

  it.each(NON_RETRYABLE)('takes nothing for a %s failure (the server answered)', (errorClass) => {
    const budget = new TokenBudget()
    budget.recordFailure(errorClass)
    expect(budget.tokens).toBe(10)
  })

  it('lets ten successes repay one failure exactly, without floating-point drift', () => {
    const budget = new TokenBudget()
    for (let i = 0; i < 7; i++) budget.recordFailure(ErrorClass.TRANSIENT)
    expect(budget.tokens).toBe(3)
    for (let i = 0; i < 30; i++) budget.recordSuccess()
    // Adding 0.1 thirty times to 3 in floating point gives 5.999999999999994.
    expect(budget.tokens).toBe(6)
    expect(budget.tryAcquire()).toBe(true)
  })

  it('reopens retries only when tokens rise above half', () => {
    const budget = new TokenBudget()
    for (let i = 0; i < 5; i++) budget.recordFailure(ErrorClass.TRANSIENT)
    budget.recordSuccess()
    expect(budget.tokens).toBe(5.1)
    expect(budget.tryAcquire()).toBe(true)
  })

  it('never goes above maxTokens or below 0', () => {
    const budget = new TokenBudget({ maxTokens: 2, tokenRatio: 0.5 })
    budget.recordSuccess()
    expect(budget.tokens).toBe(2)
    for (let i = 0; i < 5; i++) budget.recordFailure(ErrorClass.UNKNOWN)
    expect(budget.tokens).toBe(0)
    budget.recordSuccess()
    expect(budget.tokens).toBe(0.5)
  })

  it('keeps thousandths of a token, rounding finer values', () => {
    expect(new TokenBudget({ tokenRatio: 0.3333 }).tokenRatio).toBe(0.333)
    expect(new TokenBudget({ maxTokens: 0.001 }).maxTokens).toBe(0.001)
  })

  it('shows a plain view for health endpoints', () => {
    const budget = new TokenBudget({ maxTokens: 4 })
    budget.recordFailure(ErrorClass.RATE_LIMIT)
    budget.recordFailure(ErrorClass.RATE_LIMIT)
    expect(JSON.parse(JSON.stringify(budget))).toEqual({
      maxTokens: 4,
      tokenRatio: 0.1,
      tokens: 2,
      retriesAllowed: false,
    })
  })

  it.each([
    ['options null', null, TypeError, /options/],
    ['maxTokens 0', { maxTokens: 0 }, RangeError, /maxTokens.*0/],
    ['maxTokens negative', { maxTokens: -5 }, RangeError, /maxTokens.*-5/],
    ['maxTokens NaN', { maxTokens: Number.NaN }, RangeError, /maxTokens.*NaN/],
    ['maxTokens infinite', { maxTokens: Number.POSITIVE_INFINITY }, RangeError, /maxTokens.*Infinity/],
    ['maxTokens a string', { maxTokens: '10' }, TypeError, /maxTokens.*"10"/],
    ['tokenRatio below a thousandth', { tokenRatio: 0.0004 }, RangeError, /tokenRatio.*0\.0004/],
    ['tokenRatio negative', { tokenRatio: -0.1 }, RangeError, /tokenRatio.*-0\.1/],
  ])('rejects %s at construction', (_name, options, ErrorType, message) => {
    expect(() => new TokenBudget(options as never)).toThrow(ErrorType)
    expect(() => new TokenBudget(options as never)).toThrow(message)
  })

  it('documents the defaults it uses', () => {
    const source = readFileSync(new URL('./TokenBudget.ts', import.meta.url), 'utf8')
    const documented = Object.fromEntries(
      [...source.matchAll(/@default (\S+)\n\s*\*\/\n\s*readonly (\w+)\?/g)].map((m) => [m[2], Number(m[1])]),
    )
    expect(documented).toEqual({ ...TOKEN_BUDGET_DEFAULTS })
  })

  it('stays within [0, maxTokens] and matches an exact model under any interleaving', () => {
    const op = fc.oneof(
      fc.constant({ kind: 'acquire' as const }),
      fc.constant({ kind: 'success' as const }),
      fc.constantFrom(...Object.values(ErrorClass)).map((errorClass) => ({ kind: 'failure' as const, errorClass })),
    )
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.array(op, { maxLength: 300 }),
        (maxMilli, ratioMilli, ops) => {
          const budget = new TokenBudget({ maxTokens: maxMilli / 1000, tokenRatio: ratioMilli / 1000 })
          let model = maxMilli
          for (const o of ops) {
            if (o.kind === 'acquire') expect(budget.tryAcquire()).toBe(model * 2 > maxMilli)
            else if (o.kind === 'success') {
              budget.recordSuccess()
              model = Math.min(maxMilli, model + ratioMilli)
            } else {
              budget.recordFailure(o.errorClass)
              if (!(NON_RETRYABLE as readonly string[]).includes(o.errorClass)) model = Math.max(0, model - 1000)
            }
            expect(budget.tokens).toBeGreaterThanOrEqual(0)
            expect(budget.tokens).toBeLessThanOrEqual(budget.maxTokens)
            expect(budget.tokens).toBe(model / 1000)
          }
        },
      ),
      { numRuns: 300 },
    )
  })
})
