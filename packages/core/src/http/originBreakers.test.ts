import { describe, expect, it } from 'vitest'
import { createHttpAdapter } from '../adapter/index.ts'
import {
  type BreakerAdmission,
  CircuitBreaker,
  type CircuitBreakerLike,
  type RetryBudget,
  ServerError,
  TokenBudget,
} from '../index.ts'
import { FakeClock } from '../testing/index.ts'
import { httpPolicy } from './index.ts'
import { OriginBreakers } from './OriginBreakers.ts'
import { OriginBudgets } from './OriginBudgets.ts'

// Issue 17: a budget and a breaker per origin, from a factory (e.g. @redress/redis) or local.

const get = (url: string) => ({
  method: 'GET',
  url,
  headers: undefined,
  oneShotBody: false,
  redress: undefined,
  signal: undefined,
})
const hooks = { release: () => {} }
const status = (s: number) => async () => ({ status: s })

/** A budget that records every call, to see what the engine and the adapters credit. */
class CountingBudget implements RetryBudget {
  successes = 0
  failures = 0
  tryAcquire(): boolean {
    return true
  }
  recordSuccess(): void {
    this.successes++
  }
  recordFailure(): void {
    this.failures++
  }
}

describe('httpPolicy({ budgetFor })', () => {
  it('asks the factory once per origin and credits every success, failing or not before', async () => {
    const made: string[] = []
    const budgets = new Map<string, CountingBudget>()
    const policy = httpPolicy({
      budgetFor: (origin) => {
        made.push(origin)
        const b = new CountingBudget()
        budgets.set(origin, b)
        return b
      },
      strategy: () => 0,
    })
    const adapter = createHttpAdapter({ policy }, 'test')
    // Fleet-wide budgets need every success, also from a process that never failed.
    await adapter.run(get('https://a.example/x'), status(200), hooks)
    await adapter.run(get('https://a.example/y'), status(204), hooks)
    let n = 0
    await adapter.run(get('https://b.example/'), async () => ({ status: n++ === 0 ? 503 : 200 }), hooks)
    expect(made).toEqual(['https://a.example', 'https://b.example'])
    expect(budgets.get('https://a.example')).toMatchObject({ successes: 2, failures: 0 })
    expect(budgets.get('https://b.example')).toMatchObject({ successes: 1, failures: 1 })
    expect(policy.budgetFor('https://a.example')).toBe(budgets.get('https://a.example'))
  })

  it('gives an origin a local TokenBudget when the factory throws or returns no budget', () => {
    const origins = new OriginBudgets((origin) => {
      if (origin.includes('throws')) throw new Error('store down')
      return {} as RetryBudget
    })
    expect(origins.for('https://throws.example')).toBeInstanceOf(TokenBudget)
    expect(origins.for('https://empty.example')).toBeInstanceOf(TokenBudget)
  })

  it("shows a health endpoint every factory budget's tokens, skipping one whose getter throws", () => {
    const origins = new OriginBudgets((origin) => {
      const budget = new CountingBudget()
      Object.defineProperty(budget, 'tokens', {
        get: () => {
          if (origin.includes('broken')) throw new Error('store down')
          return 7
        },
      })
      return budget
    })
    origins.for('https://ok.example')
    origins.for('https://broken.example')
    expect(origins.toJSON()).toEqual({ 'https://ok.example': 7 })
  })

  it('rejects budgetFor with budget or tokenBudget, and a non-function, naming them', () => {
    const f = (): RetryBudget => new TokenBudget()
    expect(() => httpPolicy({ budgetFor: f, budget: null })).toThrow(/budgetFor .*budget and tokenBudget/)
    expect(() => httpPolicy({ budgetFor: f, tokenBudget: { maxTokens: 3 } })).toThrow(/budgetFor/)
    expect(() => httpPolicy({ budgetFor: 'x' as never })).toThrow(/httpPolicy: budgetFor must be a function/)
  })
})

describe('httpPolicy({ breakerPerOrigin, breakerFor })', () => {
  it('opens the breaker of a dead origin only: a healthy one keeps being called', async () => {
    const clock = new FakeClock()
    const policy = httpPolicy({ clock, breakerPerOrigin: { failureThreshold: 2 }, maxAttempts: 1 })
    const adapter = createHttpAdapter({ policy }, 'test')
    let deadCalls = 0
    const dead = async () => {
      deadCalls++
      throw Object.assign(new Error('reset'), { code: 'ECONNRESET' })
    }
    for (let i = 0; i < 5; i++) await adapter.run(get('https://dead.example/'), dead, hooks).catch(() => undefined)
    expect(deadCalls).toBe(2)
    const rejected = await adapter.run(get('https://dead.example/'), dead, hooks).catch((e: unknown) => e)
    expect(rejected).toMatchObject({ name: 'CircuitOpenError' })
    expect(await adapter.run(get('https://live.example/'), status(200), hooks)).toEqual({ status: 200 })
    expect(policy.breakers()).toEqual({ 'https://dead.example': 'open', 'https://live.example': 'closed' })
    expect(policy.breakerFor('https://dead.example')).toBeInstanceOf(CircuitBreaker)
    expect(policy.breakerPerOrigin).toBe(true)
  })

  it('asks breakerFor once per origin, and admits every request through the origin breaker, successes included', async () => {
    const admitted: string[] = []
    const recorded: string[] = []
    const made: string[] = []
    const policy = httpPolicy({
      breakerFor: (origin): CircuitBreakerLike => {
        made.push(origin)
        return {
          state: 'closed',
          admit: (): BreakerAdmission => {
            admitted.push(origin)
            return { allowed: true, probe: false }
          },
          record: (outcome) => {
            recorded.push(`${origin} ${outcome.kind}`)
            return undefined
          },
        }
      },
    })
    const adapter = createHttpAdapter({ policy }, 'test')
    await adapter.run(get('https://a.example/1'), status(200), hooks)
    await adapter.run(get('https://a.example/2'), status(404), hooks)
    await adapter.run(get('https://b.example/'), status(200), hooks)
    expect(made).toEqual(['https://a.example', 'https://b.example'])
    expect(admitted).toEqual(['https://a.example', 'https://a.example', 'https://b.example'])
    expect(recorded).toEqual(['https://a.example success', 'https://a.example failure', 'https://b.example success'])
  })

  it('still takes the quiet path when no origin has a breaker of its own', async () => {
    const policy = httpPolicy()
    expect(policy.breakerPerOrigin).toBe(false)
    expect(policy.breakerFor('https://a.example')).toBeUndefined()
    expect(policy.breakers()).toEqual({})
  })

  it('gives an origin a local CircuitBreaker when the factory throws', () => {
    const breakers = new OriginBreakers(() => {
      throw new Error('store down')
    })
    expect(breakers.for('https://a.example')).toBeInstanceOf(CircuitBreaker)
  })

  it('forgets the least recently used origin past maxOrigins', () => {
    const breakers = new OriginBreakers({}, 2)
    const a = breakers.for('https://a')
    breakers.for('https://b')
    breakers.for('https://a')
    breakers.for('https://c')
    expect(breakers.size).toBe(2)
    expect(breakers.for('https://a')).toBe(a)
    expect(Object.keys(breakers.toJSON()).sort()).toEqual(['https://a', 'https://c'])
  })

  it('rejects two breaker options at once, and bad ones, naming them', () => {
    const breaker = new CircuitBreaker()
    expect(() => httpPolicy({ circuitBreaker: breaker, breakerPerOrigin: true })).toThrow(
      /one of circuitBreaker, breakerFor and breakerPerOrigin, not circuitBreaker and breakerPerOrigin/,
    )
    expect(() => httpPolicy({ breakerFor: () => breaker, breakerPerOrigin: {} })).toThrow(
      /breakerFor and breakerPerOrigin/,
    )
    expect(() => httpPolicy({ breakerFor: 1 as never })).toThrow(/httpPolicy: breakerFor must be a function/)
    expect(() => httpPolicy({ breakerPerOrigin: 'yes' as never })).toThrow(/httpPolicy: breakerPerOrigin/)
    expect(() => httpPolicy({ breakerPerOrigin: { failureThreshold: 0 } })).toThrow(/failureThreshold/)
    expect(httpPolicy({ breakerPerOrigin: false }).breakerPerOrigin).toBe(false)
  })
})

describe('a call-level circuitBreaker', () => {
  it('replaces the policy breaker for that call, in call(), execute() and the step API', async () => {
    const shared = new CircuitBreaker({ failureThreshold: 1 })
    const own = new CircuitBreaker({ failureThreshold: 1 })
    const policy = httpPolicy({ circuitBreaker: shared, maxAttempts: 1 })
    await policy.call(() => Promise.reject(new ServerError()), { circuitBreaker: own }).catch(() => undefined)
    expect([shared.state, own.state]).toEqual(['closed', 'open'])
    const quiet = httpPolicy({ maxAttempts: 1 })
    const outcome = await quiet.execute(async () => 'never', { circuitBreaker: own })
    expect(outcome.stopReason).toBe('CIRCUIT_OPEN')
    expect(quiet.start({ circuitBreaker: own }).beginAttempt()).toEqual({ retry: false, stopReason: 'CIRCUIT_OPEN' })
    await expect(quiet.call(async () => 1, { circuitBreaker: {} as never })).rejects.toThrow(/circuitBreaker/)
  })
})
