import { describe, expect, it } from 'vitest'
import { backoffContext } from '../../test/support/backoffContext.ts'
import { ErrorClass } from '../ErrorClass.ts'
import type { BackoffBounds } from './backoffOptions.ts'
import { resolveBackoffBounds } from './backoffOptions.ts'
import { DECORRELATED_JITTER_DEFAULTS, decorrelatedJitter } from './decorrelatedJitter.ts'
import { EQUAL_JITTER_DEFAULTS, equalJitter } from './equalJitter.ts'
import { FULL_JITTER_DEFAULTS, fullJitter } from './fullJitter.ts'
import { retryAfterOr } from './retryAfterOr.ts'
import type { BackoffContext, Strategy } from './Strategy.ts'
import { TOKEN_BACKOFF_DEFAULTS, tokenBackoff } from './tokenBackoff.ts'

const FACTORIES: ReadonlyArray<readonly [string, (options?: never) => Strategy, BackoffBounds]> = [
  ['decorrelatedJitter', decorrelatedJitter, DECORRELATED_JITTER_DEFAULTS],
  ['equalJitter', equalJitter, EQUAL_JITTER_DEFAULTS],
  ['tokenBackoff', tokenBackoff, TOKEN_BACKOFF_DEFAULTS],
  ['fullJitter', fullJitter, FULL_JITTER_DEFAULTS],
]

/** A backoff context whose failure carries the server's delay `retryAfterMs`. */
function told(retryAfterMs: number): BackoffContext {
  return backoffContext(ErrorClass.RATE_LIMIT)({ classification: { errorClass: ErrorClass.RATE_LIMIT, retryAfterMs } })
}

// The factories are typed; these tests hand them what a JavaScript caller could.
function build(factory: (options?: never) => Strategy, options: unknown): Strategy {
  return factory(options as never)
}

describe.each(FACTORIES)('%s options', (name, factory, defaults) => {
  it('accepts no options, an empty object and explicit undefined fields', () => {
    expect(build(factory, undefined)).toBeTypeOf('function')
    expect(build(factory, {})).toBeTypeOf('function')
    expect(build(factory, { baseMs: undefined, maxMs: undefined })).toBeTypeOf('function')
  })

  it('returns a context-form strategy that declares exactly one parameter', () => {
    expect(build(factory, undefined).length).toBe(1)
  })

  it.each([0, -1, -0, Number.NaN, Infinity, -Infinity])('rejects baseMs %d with a RangeError naming it', (baseMs) => {
    expect(() => build(factory, { baseMs })).toThrow(RangeError)
    expect(() => build(factory, { baseMs })).toThrow(
      `${name}: options.baseMs must be a finite number of milliseconds > 0, got ${baseMs}`,
    )
  })

  it.each([0, -5, Number.NaN, Infinity])('rejects maxMs %d with a RangeError naming it', (maxMs) => {
    expect(() => build(factory, { maxMs })).toThrow(RangeError)
    expect(() => build(factory, { maxMs })).toThrow(/options\.maxMs/)
  })

  it.each(['250', null, true, 10n, {}])('rejects the non-number baseMs %s with a TypeError', (baseMs) => {
    expect(() => build(factory, { baseMs })).toThrow(TypeError)
    expect(() => build(factory, { baseMs })).toThrow(`${name}: options.baseMs must be a number of milliseconds`)
  })

  it('rejects maxMs below baseMs, naming both values', () => {
    expect(() => build(factory, { baseMs: 500, maxMs: 100 })).toThrow(
      new RangeError(`${name}: options.maxMs (100) must be >= options.baseMs (500)`),
    )
  })

  it('checks maxMs >= baseMs after defaults apply', () => {
    const baseMs = defaults.maxMs + 1
    expect(() => build(factory, { baseMs })).toThrow(
      `${name}: options.maxMs (${defaults.maxMs}) must be >= options.baseMs (${baseMs})`,
    )
  })

  it('accepts maxMs equal to baseMs', () => {
    expect(build(factory, { baseMs: 100, maxMs: 100 })).toBeTypeOf('function')
  })

  it('rejects a misspelt option instead of ignoring it', () => {
    expect(() => build(factory, { maxDelayMs: 1000 })).toThrow(
      new TypeError(`${name}: unknown option "maxDelayMs"; expected one of baseMs, maxMs`),
    )
  })

  it.each([null, 5, 'fast', [1, 2]])('rejects the options value %j with a TypeError', (options) => {
    expect(() => build(factory, options)).toThrow(TypeError)
  })
})

describe('duration options', () => {
  it('accept zero unless they must be positive', () => {
    // A jitter of 0 is taken as given (the default is 250 ms): the server's delay, exactly.
    expect(retryAfterOr(() => 1, { jitterMs: 0 })(told(700))).toBe(700)
    expect(() => decorrelatedJitter({ baseMs: 0 })).toThrow(RangeError)
  })

  it('accept Infinity only where it is allowed', () => {
    // No cap: any server delay is kept whole.
    expect(retryAfterOr(() => 1, { maxRetryAfterMs: Infinity, jitterMs: 0 })(told(1e12))).toBe(1e12)
    expect(() => retryAfterOr(() => 1, { jitterMs: Infinity })).toThrow(
      'retryAfterOr: options.jitterMs must be a finite number of milliseconds >= 0, got Infinity',
    )
    expect(() => retryAfterOr(() => 1, { maxRetryAfterMs: Number.NaN })).toThrow(
      'retryAfterOr: options.maxRetryAfterMs must be a number of milliseconds >= 0, got NaN',
    )
  })

  it('accept a null-prototype options object holding known keys', () => {
    const options = Object.assign(Object.create(null) as object, { baseMs: 10 })
    expect(resolveBackoffBounds('t', options, { baseMs: 1, maxMs: 99 })).toEqual({ baseMs: 10, maxMs: 99 })
  })
})

describe('resolveBackoffBounds', () => {
  it('applies defaults field by field', () => {
    expect(resolveBackoffBounds('t', { baseMs: 10 }, { baseMs: 1, maxMs: 99 })).toEqual({ baseMs: 10, maxMs: 99 })
    expect(resolveBackoffBounds('t', undefined, { baseMs: 1, maxMs: 99 })).toEqual({ baseMs: 1, maxMs: 99 })
  })

  it('snapshots the options, so later mutation changes nothing', () => {
    const options = { baseMs: 100, maxMs: 100 }
    const strategy = decorrelatedJitter(options)
    options.maxMs = 1_000_000
    const ctx = {
      attempt: 1,
      errorClass: 'TRANSIENT',
      classification: { errorClass: 'TRANSIENT' },
      prevSleepMs: 1_000_000,
      remainingMs: Infinity,
      cause: 'error',
      random: () => 0.999,
    } as const
    expect(strategy(ctx)).toBe(100)
  })
})
