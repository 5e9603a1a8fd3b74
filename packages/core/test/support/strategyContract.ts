import fc from 'fast-check'
import { expect, it } from 'vitest'
import type { BackoffContext, Strategy } from '../../src/strategies/Strategy.ts'
import type { BackoffContextFactory } from './backoffContext.ts'

/** The options every bounded backoff strategy takes, in milliseconds. */
export interface BoundedBackoffOptions {
  readonly baseMs?: number
  readonly maxMs?: number
}

/** One exact draw: the strategy built with `options` sleeps `ms` for `context`. */
export interface StrategyExample {
  readonly options?: BoundedBackoffOptions
  readonly context: Partial<BackoffContext>
  readonly ms: number
}

/** What a bounded backoff strategy promises, checked by {@link testStrategyContract}. */
export interface StrategyContract {
  readonly make: (options?: BoundedBackoffOptions) => Strategy
  readonly context: BackoffContextFactory
  /** Test name → the exact draws it checks. */
  readonly examples: Readonly<Record<string, readonly StrategyExample[]>>
  /** The property: every sleep is finite and within `range(baseMs, maxMs, attempt)`, inclusive. */
  readonly bounds: {
    readonly name: string
    readonly range: (baseMs: number, maxMs: number, attempt: number) => readonly [low: number, high: number]
    /** The previous sleeps to try. @default undefined or any double */
    readonly prevSleepMs?: fc.Arbitrary<number | undefined>
  }
}

/** Registers one test per example group and one fast-check property over any options, attempt and draw. */
export function testStrategyContract(contract: StrategyContract): void {
  const { make, context, examples, bounds } = contract
  for (const [name, rows] of Object.entries(examples)) {
    it(name, () => {
      for (const row of rows) expect(make(row.options)(context(row.context))).toBe(row.ms)
    })
  }
  it(bounds.name, () => {
    fc.assert(
      fc.property(
        fc.double({ min: Number.MIN_VALUE, max: 1e300, noNaN: true }),
        fc.double({ min: 0, max: 1e300, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        bounds.prevSleepMs ?? fc.oneof(fc.constant(undefined), fc.double()),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (baseMs, extraMs, attempt, prevSleepMs, r) => {
          const maxMs = baseMs + extraMs
          const [low, high] = bounds.range(baseMs, maxMs, attempt)
          const ms = make({ baseMs, maxMs })(context({ attempt, prevSleepMs, random: () => r }))
          return Number.isFinite(ms) && ms >= low && ms <= high
        },
      ),
      { numRuns: 3000 },
    )
  })
}
