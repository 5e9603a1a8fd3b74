import { describe, expect, it } from 'vitest'
import { backoffContext } from '../../test/support/backoffContext.ts'
import type { Classification } from '../Classification.ts'
import { ErrorClass } from '../ErrorClass.ts'
import { retryAfterOr } from './retryAfterOr.ts'
import type { BackoffContext } from './Strategy.ts'

const context = backoffContext(ErrorClass.RATE_LIMIT)

/** A rate-limit context on a result whose classification carries `retryAfterMs` as it is, `random` 0. */
function ctxWith(retryAfterMs: unknown): BackoffContext {
  const classification = { errorClass: ErrorClass.RATE_LIMIT, retryAfterMs } as unknown as Classification
  return context({ classification, cause: 'result', random: () => 0 })
}

describe('retryAfterOr: a server delay that is not a number', () => {
  it.each([['5000'], [null], [true], [[5]]])('leaves %j to the fallback', (retryAfterMs) => {
    expect(retryAfterOr(() => 123)(ctxWith(retryAfterMs))).toBe(123)
  })

  it('honours a delay of 0 and adds the jitter to it', () => {
    const strategy = retryAfterOr(() => 123, { jitterMs: 100 })
    expect(strategy(ctxWith(0))).toBe(0)
    expect(strategy({ ...ctxWith(0), random: () => 0.5 })).toBe(50)
  })
})
