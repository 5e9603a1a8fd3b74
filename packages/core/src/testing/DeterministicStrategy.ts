import { describeValue } from '../describeValue.ts'
import type { BackoffContext, Strategy } from '../strategies/Strategy.ts'

/** A strategy that plays back a script of sleeps and remembers what it was asked. */
export type DeterministicStrategy = Strategy & {
  /** Every context the strategy was called with, in order. */
  readonly calls: readonly BackoffContext[]
}

/**
 * A strategy returning `sleeps` in order, then repeating the last one. Its `calls`
 * array records every {@link BackoffContext} it was asked about, so a test can check
 * which attempts and classes reached the strategy. Values are returned as given
 * (negatives and `NaN` included), so tests can also check how the engine sanitises them.
 *
 * A factory, not a class (a strategy must be callable); the capitalised name is the
 * public contract.
 *
 * @param sleeps the sleeps in milliseconds; at least one.
 * @example
 * const strategy = DeterministicStrategy([100, 200, 400])
 * await policy.call(fn)  // policy built with { strategy, clock: fakeClock }
 * expect(strategy.calls.map((c) => c.attempt)).toEqual([1, 2])
 */
export function DeterministicStrategy(sleeps: readonly number[]): DeterministicStrategy {
  if (!Array.isArray(sleeps) || sleeps.length === 0) {
    throw new TypeError(
      `DeterministicStrategy: sleeps must be a non-empty array of numbers, got ${describeValue(sleeps)}`,
    )
  }
  const script: number[] = sleeps.map((ms: unknown, i) => {
    if (typeof ms !== 'number') {
      throw new TypeError(
        `DeterministicStrategy: sleeps[${i}] must be a number of milliseconds, got ${describeValue(ms)}`,
      )
    }
    return ms
  })
  const last = script[script.length - 1] ?? 0
  const calls: BackoffContext[] = []
  const strategy = (ctx: BackoffContext): number => {
    const sleep = script[calls.length] ?? last
    calls.push(ctx)
    return sleep
  }
  return Object.assign(strategy, { calls })
}
