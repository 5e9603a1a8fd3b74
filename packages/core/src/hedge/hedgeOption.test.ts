import { describe, expect, it } from 'vitest'
import { HEDGE_DEFAULTS } from './HedgeOptions.ts'
import { hedgeOption, hedgeRequested, resolveHedge } from './hedgeOption.ts'

describe('hedgeOption', () => {
  it('accepts an options object, false, null and undefined', () => {
    expect(hedgeOption('X', { afterMs: 5, quantile: 0.9, maxHedges: 2, latencyKey: 'k' })).toEqual({
      afterMs: 5,
      quantile: 0.9,
      maxHedges: 2,
      latencyKey: 'k',
    })
    for (const v of [false, null, undefined]) expect(hedgeOption('X', v)).toBe(v)
  })

  it.each([
    [{ afterMs: 0 }, RangeError, /X: hedge\.afterMs must be .* > 0, got 0/],
    [{ afterMs: Number.NaN }, RangeError, /hedge\.afterMs/],
    [{ afterMs: '5' }, TypeError, /hedge\.afterMs must be a number of milliseconds/],
    [{ quantile: 1 }, RangeError, /hedge\.quantile must be a number < 1/],
    [{ quantile: 0 }, RangeError, /hedge\.quantile/],
    [{ quantile: 2 }, RangeError, /hedge\.quantile/],
    [{ maxHedges: 0 }, RangeError, /hedge\.maxHedges/],
    [{ maxHedges: 2.5 }, RangeError, /hedge\.maxHedges/],
    [{ latencyKey: 3 }, TypeError, /hedge\.latencyKey must be a string/],
    [{ delay: 3 }, TypeError, /unknown option "delay"/],
    [true, TypeError, /X: hedge must be an object/],
    [[], TypeError, /X: hedge must be an object/],
  ])('rejects %o', (value, kind, message) => {
    expect(() => hedgeOption('X', value)).toThrow(kind)
    expect(() => hedgeOption('X', value)).toThrow(message)
  })
})

describe('resolveHedge', () => {
  const policy = { afterMs: 50, quantile: 0.9, maxHedges: 2, latencyKey: undefined }

  it('is the policy’s hedging when the call says nothing, and off with false or null', () => {
    expect(resolveHedge(policy, undefined)).toBe(policy)
    expect(resolveHedge(policy, false)).toBeUndefined()
    expect(resolveHedge(policy, null)).toBeUndefined()
    expect(resolveHedge(undefined, undefined)).toBeUndefined()
  })

  it('merges the call’s fields over the policy’s, and defaults the rest', () => {
    expect(resolveHedge(policy, { maxHedges: 1, latencyKey: 'o' })).toEqual({
      ...policy,
      maxHedges: 1,
      latencyKey: 'o',
    })
    expect(resolveHedge(undefined, {})).toEqual({
      afterMs: undefined,
      quantile: HEDGE_DEFAULTS.quantile,
      maxHedges: HEDGE_DEFAULTS.maxHedges,
      latencyKey: undefined,
    })
  })

  it('tells whether a call may hedge before building anything', () => {
    expect(hedgeRequested(policy, undefined)).toBe(true)
    expect(hedgeRequested(undefined, undefined)).toBe(false)
    expect(hedgeRequested(policy, false)).toBe(false)
    expect(hedgeRequested(undefined, {})).toBe(true)
  })
})
