import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { classificationOf } from '../classify/safeClassify.ts'
import { ErrorClass } from '../ErrorClass.ts'
import { FakeClock } from '../testing/FakeClock.ts'
import { ADAPTIVE_DEFAULTS, type AdaptiveOptions, adaptive } from './adaptive.ts'
import { type BackoffContext, isOutcomeObserver, normalizeStrategy } from './Strategy.ts'

const ctx: BackoffContext = {
  attempt: 1,
  errorClass: ErrorClass.TRANSIENT,
  classification: classificationOf(ErrorClass.TRANSIENT),
  prevSleepMs: undefined,
  remainingMs: Number.POSITIVE_INFINITY,
  cause: 'error',
  random: () => 0.5,
}
const hundred = (_ctx: BackoffContext): number => 100

function setup(options: AdaptiveOptions = {}): { clock: FakeClock; strategy: ReturnType<typeof adaptive> } {
  const clock = new FakeClock()
  return { clock, strategy: adaptive(hundred, { clock, ...options }) }
}

function feed(strategy: ReturnType<typeof adaptive>, successes: number, failures: number): void {
  for (let i = 0; i < successes; i++) strategy.recordSuccess()
  for (let i = 0; i < failures; i++) strategy.recordFailure(ErrorClass.SERVER_ERROR)
}

describe('adaptive', () => {
  it('returns the fallback unchanged before any outcome is seen', () => {
    expect(setup().strategy(ctx)).toBe(100)
  })

  it.each([
    ['at the target failure rate', 9, 1, 100],
    ['below the target failure rate', 99, 1, 100],
    ['at a failure rate of 1', 0, 4, 500],
    ['halfway between target and 1 (55 %)', 9, 11, 300],
  ])('scales the fallback %s', (_name, successes, failures, expected) => {
    const { strategy } = setup()
    feed(strategy, successes, failures)
    expect(strategy(ctx)).toBeCloseTo(expected, 9)
  })

  it('counts first-try successes, so one failure among many successes does not lengthen backoff', () => {
    const { strategy } = setup()
    feed(strategy, 20, 1) // e.g. 20 calls that succeeded at once, then one that failed
    expect(strategy(ctx)).toBe(100)
  })

  it('forgets outcomes once they leave the window', async () => {
    const { clock, strategy } = setup({ windowMs: 1_000 })
    feed(strategy, 0, 5)
    expect(strategy(ctx)).toBe(500)
    await clock.advance(1_000)
    expect(strategy(ctx)).toBe(100)
  })

  it('keeps outcomes for the window, to within one of its 20 steps', async () => {
    const { clock, strategy } = setup({ windowMs: 1_000 })
    feed(strategy, 0, 1)
    await clock.advance(949)
    expect(strategy(ctx)).toBe(500)
    await clock.advance(51)
    expect(strategy(ctx)).toBe(100)
  })

  it('lets old failures age out while new successes stay', async () => {
    const { clock, strategy } = setup({ windowMs: 1_000 })
    feed(strategy, 0, 10)
    await clock.advance(500)
    feed(strategy, 10, 0)
    expect(strategy(ctx)).toBeGreaterThan(100)
    await clock.advance(500)
    expect(strategy(ctx)).toBe(100)
  })

  it.each([ErrorClass.AUTH, ErrorClass.PERMISSION, ErrorClass.PERMANENT])(
    'does not count %s failures',
    (errorClass) => {
      const { strategy } = setup()
      for (let i = 0; i < 10; i++) strategy.recordFailure(errorClass)
      expect(strategy(ctx)).toBe(100)
    },
  )

  it('uses the configured multipliers and target', () => {
    const { strategy } = setup({ targetSuccess: 0.5, minMultiplier: 2, maxMultiplier: 4 })
    feed(strategy, 1, 1)
    expect(strategy(ctx)).toBe(200)
    strategy.recordFailure(ErrorClass.RATE_LIMIT)
    strategy.recordFailure(ErrorClass.RATE_LIMIT) // 1 success, 3 failures: 75 %, halfway from 50 % to 100 %
    expect(strategy(ctx)).toBe(300)
  })

  it('never lengthens backoff with targetSuccess 0', () => {
    const { strategy } = setup({ targetSuccess: 0 })
    feed(strategy, 0, 10)
    expect(strategy(ctx)).toBe(100)
  })

  it('accepts the three-parameter legacy fallback', () => {
    const clock = new FakeClock()
    const strategy = adaptive((attempt: number, _c: ErrorClass, _prev: number | undefined) => attempt * 10, { clock })
    strategy.recordFailure(ErrorClass.TRANSIENT)
    expect(strategy({ ...ctx, attempt: 3 })).toBe(150)
  })

  it('passes the context through to the fallback', () => {
    const seen: BackoffContext[] = []
    const strategy = adaptive(
      (c: BackoffContext) => {
        seen.push(c)
        return 1
      },
      { clock: new FakeClock() },
    )
    strategy(ctx)
    expect(seen).toEqual([ctx])
  })

  it('is a context-form strategy and an outcome observer', () => {
    const strategy = setup().strategy
    expect(strategy.length).toBe(1)
    expect(normalizeStrategy(strategy, 'strategy')).toBe(strategy)
    expect(isOutcomeObserver(strategy)).toBe(true)
  })

  it('survives a clock that steps backwards', async () => {
    let now = 10_000
    const strategy = adaptive(hundred, { windowMs: 1_000, clock: { now: () => now } })
    feed(strategy, 0, 2)
    now = 5_000
    feed(strategy, 2, 0) // counted as if at 10 000 ms: a failure rate of 50 %, never negative counts
    expect(strategy(ctx)).toBeCloseTo(100 * (1 + (4 * 0.4) / 0.9), 9)
  })

  it('documents the defaults it uses', () => {
    const source = readFileSync(new URL('./adaptive.ts', import.meta.url), 'utf8')
    const documented = Object.fromEntries(
      [...source.matchAll(/@default ([\d_.]+)\n\s*\*\/\n\s*readonly (\w+)\?/g)].map((m) => [
        m[2],
        Number(m[1]?.replaceAll('_', '')),
      ]),
    )
    expect(documented).toEqual({ ...ADAPTIVE_DEFAULTS })
  })

  it.each([
    ['fallback not a function', 5, {}, TypeError, /adaptive: fallback/],
    ['a two-parameter fallback', (_a: number, _b: number) => 1, {}, TypeError, /adaptive: fallback.*2/],
    ['options null', hundred, null, TypeError, /options/],
    ['windowMs 0', hundred, { windowMs: 0 }, RangeError, /windowMs.*0/],
    ['targetSuccess above 1', hundred, { targetSuccess: 1.5 }, RangeError, /targetSuccess.*1\.5/],
    ['targetSuccess NaN', hundred, { targetSuccess: Number.NaN }, RangeError, /targetSuccess.*NaN/],
    ['minMultiplier negative', hundred, { minMultiplier: -1 }, RangeError, /minMultiplier.*-1/],
    [
      'maxMultiplier below minMultiplier',
      hundred,
      { minMultiplier: 3, maxMultiplier: 2 },
      RangeError,
      /maxMultiplier.*2/,
    ],
    ['maxMultiplier infinite', hundred, { maxMultiplier: Number.POSITIVE_INFINITY }, RangeError, /maxMultiplier/],
    ['clock without now', hundred, { clock: {} }, TypeError, /clock/],
  ])('rejects %s at construction', (_name, fallback, options, ErrorType, message) => {
    expect(() => adaptive(fallback as never, options as never)).toThrow(ErrorType)
    expect(() => adaptive(fallback as never, options as never)).toThrow(message)
  })

  it('stays between fallback × minMultiplier and fallback × maxMultiplier, matching the failure rate in the window', async () => {
    const event = fc.oneof(
      fc.constant({ kind: 'success' as const }),
      fc.constantFrom(...Object.values(ErrorClass)).map((errorClass) => ({ kind: 'failure' as const, errorClass })),
      fc.integer({ min: 0, max: 120 }).map((ms) => ({ kind: 'advance' as const, ms })),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.array(event, { minLength: 1, maxLength: 100 }),
        async (targetSuccess, min, extra, events) => {
          const clock = new FakeClock()
          const strategy = adaptive(hundred, {
            windowMs: 1_000,
            targetSuccess,
            minMultiplier: min,
            maxMultiplier: min + extra,
            clock,
          })
          for (const e of events) {
            if (e.kind === 'success') strategy.recordSuccess()
            else if (e.kind === 'failure') strategy.recordFailure(e.errorClass)
            else await clock.advance(e.ms)
            const sleep = strategy(ctx)
            expect(sleep).toBeGreaterThanOrEqual(100 * min - 1e-9)
            expect(sleep).toBeLessThanOrEqual(100 * (min + extra) + 1e-9)
          }
        },
      ),
      { numRuns: 150 },
    )
  })
})

describe('isOutcomeObserver', () => {
  it.each<[string, unknown, boolean]>([
    ['an object with both methods', { recordSuccess() {}, recordFailure() {} }, true],
    ['a function with both methods', Object.assign(() => 0, { recordSuccess() {}, recordFailure() {} }), true],
    ['a plain strategy', () => 0, false],
    ['an object missing recordFailure', { recordSuccess() {} }, false],
    ['methods that are not functions', { recordSuccess: 1, recordFailure: 2 }, false],
    ['null', null, false],
    ['a string', 'recordSuccess', false],
  ])('answers %s → %s', (_name, value, expected) => {
    expect(isOutcomeObserver(value)).toBe(expected)
  })

  it('answers false, without throwing, for an object whose getter throws', () => {
    const hostile = {
      get recordSuccess(): never {
        throw new Error('boom')
      },
    }
    expect(isOutcomeObserver(hostile)).toBe(false)
    expect(
      isOutcomeObserver(
        new Proxy(
          {},
          {
            get: () => {
              throw new Error('trap')
            },
          },
        ),
      ),
    ).toBe(false)
  })
})
