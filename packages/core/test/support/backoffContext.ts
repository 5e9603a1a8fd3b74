import type { ErrorClass } from '../../src/ErrorClass.ts'
import type { BackoffContext } from '../../src/strategies/Strategy.ts'

/** Builds a BackoffContext from overrides. */
export type BackoffContextFactory = (overrides?: Partial<BackoffContext>) => BackoffContext

/**
 * A factory of backoff contexts for a failure of `errorClass`: attempt 1, no previous sleep, no
 * deadline, `random` fixed at 0.5, unless the overrides say otherwise.
 */
export function backoffContext(errorClass: ErrorClass): BackoffContextFactory {
  return (overrides = {}) => ({
    attempt: 1,
    errorClass,
    classification: { errorClass },
    prevSleepMs: undefined,
    remainingMs: Infinity,
    cause: 'error',
    random: () => 0.5,
    ...overrides,
  })
}
