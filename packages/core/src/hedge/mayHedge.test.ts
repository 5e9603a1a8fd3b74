import { describe, expect, it } from 'vitest'
import type { RetryBudget } from '../budget/RetryBudget.ts'
import { type HedgeFacts, mayHedge } from './mayHedge.ts'

const facts: HedgeFacts = {
  hedges: 0,
  maxHedges: 1,
  attempts: 1,
  maxAttempts: 3,
  nowMs: 10,
  deadlineAtMs: 100,
  breakerState: undefined,
}

function budget(grant: boolean | (() => boolean)): RetryBudget & { asked: number } {
  const b = {
    asked: 0,
    tryAcquire: () => {
      b.asked++
      return typeof grant === 'function' ? grant() : grant
    },
    recordSuccess: () => {},
    recordFailure: () => {},
  }
  return b
}

describe('mayHedge', () => {
  it.each([
    ['nothing in the way', {}, undefined],
    ['no breaker, no deadline', { deadlineAtMs: null }, undefined],
    ['a closed breaker', { breakerState: 'closed' }, undefined],
    ['every hedge used', { hedges: 1 }, 'max_hedges'],
    ['every attempt used', { attempts: 3 }, 'max_attempts'],
    ['the deadline reached', { nowMs: 100 }, 'deadline'],
    ['an open breaker', { breakerState: 'open' }, 'circuit'],
    ['a half-open breaker', { breakerState: 'half_open' }, 'circuit'],
  ] as const)('with %s: %s', (_name, change, want) => {
    expect(mayHedge({ ...facts, ...change }, undefined)).toBe(want)
  })

  it('asks the budget last, and only when everything else allows', () => {
    const yes = budget(true)
    expect(mayHedge(facts, yes)).toBeUndefined()
    expect(yes.asked).toBe(1)
    const no = budget(false)
    expect(mayHedge(facts, no)).toBe('budget')
    const untouched = budget(true)
    expect(mayHedge({ ...facts, hedges: 1 }, untouched)).toBe('max_hedges')
    expect(untouched.asked).toBe(0)
  })

  it('refuses when the budget throws: a hedge is never needed to finish a call', () => {
    expect(
      mayHedge(
        facts,
        budget(() => {
          throw new Error('store down')
        }),
      ),
    ).toBe('budget')
  })
})
