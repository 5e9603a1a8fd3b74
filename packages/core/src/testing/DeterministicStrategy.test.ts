import { describe, expect, it } from 'vitest'
import { classificationOf } from '../classify/safeClassify.ts'
import { ErrorClass } from '../ErrorClass.ts'
import { type BackoffContext, normalizeStrategy } from '../strategies/Strategy.ts'
import { DeterministicStrategy } from './DeterministicStrategy.ts'

const ctx = (attempt: number): BackoffContext => ({
  attempt,
  errorClass: ErrorClass.SERVER_ERROR,
  classification: classificationOf(ErrorClass.SERVER_ERROR),
  prevSleepMs: undefined,
  remainingMs: 1_000,
  cause: 'error',
  random: () => 0,
})

describe('DeterministicStrategy', () => {
  it('returns the sleeps in order, then repeats the last', () => {
    const strategy = DeterministicStrategy([100, 200, 400])
    expect([1, 2, 3, 4, 5].map((a) => strategy(ctx(a)))).toEqual([100, 200, 400, 400, 400])
  })

  it('records every context it was asked about', () => {
    const strategy = DeterministicStrategy([5])
    const first = ctx(1)
    const second = { ...ctx(2), errorClass: ErrorClass.RATE_LIMIT }
    strategy(first)
    strategy(second)
    expect(strategy.calls).toEqual([first, second])
    expect(strategy.calls[1]?.errorClass).toBe(ErrorClass.RATE_LIMIT)
  })

  it('returns odd values as given, so tests can check how the engine sanitises them', () => {
    const strategy = DeterministicStrategy([Number.NaN, -5, Number.POSITIVE_INFINITY])
    expect([strategy(ctx(1)), strategy(ctx(2)), strategy(ctx(3))]).toEqual([Number.NaN, -5, Number.POSITIVE_INFINITY])
  })

  it('does not change when the caller mutates the array it passed', () => {
    const sleeps = [1, 2]
    const strategy = DeterministicStrategy(sleeps)
    sleeps[0] = 99
    expect(strategy(ctx(1))).toBe(1)
  })

  it('is taken as a context-form strategy', () => {
    const strategy = DeterministicStrategy([1])
    expect(normalizeStrategy(strategy, 'strategy')).toBe(strategy)
  })

  it.each([
    ['an empty array', []],
    ['not an array', 100],
    ['a non-number entry', [100, '200']],
  ])('rejects %s', (_name, sleeps) => {
    expect(() => DeterministicStrategy(sleeps as never)).toThrow(TypeError)
    expect(() => DeterministicStrategy(sleeps as never)).toThrow(/sleeps/)
  })
})
