import {
  type AnyStrategy,
  type CircuitBreakerLike,
  type Classifier,
  type Clock,
  type ErrorClass,
  type EventTags,
  type MetricHook,
  type RandomSource,
  type ResultClassifier,
  type RetryBudget,
  type RetryHooks,
  type RetryOptions,
  RetryPolicy,
  type Sleeper,
  type SleepHandler,
} from '@redress/core'
import { type HttpPolicyOptions, httpPolicy } from '@redress/core/http'
import { describe, expectTypeOf, it } from 'vitest'

describe('RetryOptions types', () => {
  it('types every limit as a number of attempts or milliseconds, each optional and explicitly undefinable', () => {
    expectTypeOf<RetryOptions['maxAttempts']>().toEqualTypeOf<number | undefined>()
    expectTypeOf<RetryOptions['maxUnknownAttempts']>().toEqualTypeOf<number | undefined>()
    expectTypeOf<RetryOptions['deadlineMs']>().toEqualTypeOf<number | undefined>()
    expectTypeOf<RetryOptions['attemptTimeoutMs']>().toEqualTypeOf<number | undefined>()
    expectTypeOf<RetryOptions['maxRetryAfterMs']>().toEqualTypeOf<number | undefined>()
    expectTypeOf<RetryOptions['perClassMaxAttempts']>().toEqualTypeOf<Partial<Record<ErrorClass, number>> | undefined>()
    // exactOptionalPropertyTypes: undefined is a value every option accepts, so spreads of partial options compile.
    const unset: RetryOptions = { maxAttempts: undefined, deadlineMs: undefined, budget: undefined }
    expectTypeOf(unset).toExtend<RetryOptions>()
  })

  it('types the injected parts and the per-class strategies', () => {
    expectTypeOf<RetryOptions['strategy']>().toEqualTypeOf<AnyStrategy | undefined>()
    expectTypeOf<RetryOptions['strategies']>().toEqualTypeOf<Partial<Record<ErrorClass, AnyStrategy>> | undefined>()
    expectTypeOf<RetryOptions['classifier']>().toEqualTypeOf<Classifier | undefined>()
    expectTypeOf<RetryOptions['resultClassifier']>().toEqualTypeOf<ResultClassifier | undefined>()
    expectTypeOf<RetryOptions['budget']>().toEqualTypeOf<RetryBudget | null | undefined>()
    expectTypeOf<RetryOptions['circuitBreaker']>().toEqualTypeOf<CircuitBreakerLike | undefined>()
    expectTypeOf<RetryOptions['clock']>().toEqualTypeOf<Clock | undefined>()
    expectTypeOf<RetryOptions['random']>().toEqualTypeOf<RandomSource | undefined>()
    expectTypeOf<RetryOptions['sleeper']>().toEqualTypeOf<Sleeper | undefined>()
    expectTypeOf<RetryOptions['sleep']>().toEqualTypeOf<SleepHandler | undefined>()
    expectTypeOf<RetryOptions['tags']>().toEqualTypeOf<EventTags | undefined>()
  })

  it('includes the hooks, and is what RetryPolicy and retry() take', () => {
    expectTypeOf<RetryOptions>().toExtend<RetryHooks>()
    expectTypeOf<RetryOptions['onMetric']>().toEqualTypeOf<MetricHook | undefined>()
    expectTypeOf(RetryPolicy).constructorParameters.toEqualTypeOf<[options?: RetryOptions]>()
    expectTypeOf<HttpPolicyOptions>().toExtend<RetryOptions>()
    expectTypeOf(httpPolicy).parameter(0).toEqualTypeOf<HttpPolicyOptions | undefined>()
  })

  it('rejects unknown options, wrong units and classes that do not exist', () => {
    // @ts-expect-error an unknown option (the spelling is maxAttempts)
    const misspelled: RetryOptions = { retries: 3 }
    // @ts-expect-error durations are numbers of milliseconds
    const text: RetryOptions = { deadlineMs: '5s' }
    // @ts-expect-error perClassMaxAttempts is keyed by ErrorClass
    const unknownClass: RetryOptions = { perClassMaxAttempts: { NOT_A_CLASS: 1 } }
    // @ts-expect-error a budget is a RetryBudget or null, never a number
    const budget: RetryOptions = { budget: 10 }
    expectTypeOf([misspelled, text, unknownClass, budget]).items.toExtend<RetryOptions>()
  })
})
