import { describe, expect, it } from 'vitest'
import { drain } from '../../test/support/drain.ts'
import { resolvedOf } from '../../test/support/resolvedOf.ts'
import { createHttpAdapter } from '../adapter/index.ts'
import { RateLimitError, ServerError, TokenBudget } from '../index.ts'
import { FakeClock } from '../testing/index.ts'
import { HTTP_POLICY_DEFAULTS, HTTP_TOKEN_BUDGET_DEFAULTS, HttpRetryPolicy, httpPolicy } from './index.ts'

describe('httpPolicy', () => {
  it('makes 3 attempts by default', async () => {
    const clock = new FakeClock()
    const policy = httpPolicy({ clock, budget: null })
    const outcome = await drain(
      clock,
      policy.execute(async () => Promise.reject(new ServerError())),
    )
    expect(outcome.attempts).toBe(HTTP_POLICY_DEFAULTS.maxAttempts)
  })

  it("wraps a given strategy so the server's delay wins, jittered up, never shrunk", async () => {
    const clock = new FakeClock()
    const sleeps: number[] = []
    const policy = httpPolicy({
      clock,
      random: () => 0.5,
      strategy: () => 10,
      onMetric: (e, _a, s) => e === 'retry' && sleeps.push(s),
    })
    let n = 0
    await drain(
      clock,
      policy.call(async () => (n++ === 0 ? Promise.reject(new RateLimitError('x', { retryAfterMs: 2_000 })) : 'ok')),
    )
    expect(sleeps).toEqual([2_125])
  })

  it('gives up at once on a server delay above maxRetryAfterMs (60 s by default)', async () => {
    const clock = new FakeClock()
    const outcome = await drain(
      clock,
      httpPolicy({ clock, deadlineMs: 600_000 }).execute(async () =>
        Promise.reject(new RateLimitError('x', { retryAfterMs: 61_000 })),
      ),
    )
    expect(outcome).toMatchObject({ stopReason: 'DEADLINE_EXCEEDED', attempts: 1 })
    expect(clock.now()).toBe(0)
  })

  it('keeps one budget per origin, so a failing upstream does not throttle a healthy one', () => {
    const policy = httpPolicy()
    const a = policy.budgetFor('https://a.example')
    const b = policy.budgetFor('https://b.example')
    expect(a).not.toBe(b)
    expect(policy.budgetFor('https://a.example')).toBe(a)
    for (let i = 0; i < 10; i++) a?.recordFailure('SERVER_ERROR')
    expect(a?.tryAcquire()).toBe(false)
    expect(b?.tryAcquire()).toBe(true)
  })

  it('uses a shared budget when given one, and none with budget: null', () => {
    const shared = new TokenBudget()
    expect(httpPolicy({ budget: shared }).budgetFor('https://x')).toBe(shared)
    expect(httpPolicy({ budget: null }).budgetFor('https://x')).toBeUndefined()
  })

  it('forgets the least recently used origin past maxOrigins', () => {
    const policy = httpPolicy({ maxOrigins: 2 })
    const a = policy.budgetFor('https://a')
    policy.budgetFor('https://b')
    policy.budgetFor('https://a')
    policy.budgetFor('https://c')
    expect(Object.keys(policy.budgets()).sort()).toEqual(['https://a', 'https://c'])
    expect(policy.budgetFor('https://a')).toBe(a)
  })

  it('keeps its HTTP nature through with()', () => {
    const p = httpPolicy().with({ maxAttempts: 5 })
    expect(p).toBeInstanceOf(HttpRetryPolicy)
    expect(resolvedOf(p).maxAttempts).toBe(5)
  })

  it('rejects bad options naming them', () => {
    expect(() => httpPolicy({ maxAttempts: 0 })).toThrow(/maxAttempts/)
    expect(() => httpPolicy({ maxOrigins: 0 })).toThrow(/maxOrigins/)
    expect(() => httpPolicy({ tokenBudget: { maxTokens: -1 } })).toThrow(/maxTokens/)
  })
})

describe('createHttpAdapter', () => {
  const request = {
    method: 'get',
    url: 'http://127.0.0.1:8080/users/42?x=1',
    headers: {},
    oneShotBody: false,
    redress: undefined,
    signal: undefined,
  }

  it('tags a failed request with the origin, method and default operation name, and uses its origin budget', async () => {
    const clock = new FakeClock()
    const events: [string, Record<string, unknown>][] = []
    const policy = httpPolicy({ clock, random: () => 0, onMetric: (e, _a, _s, tags) => events.push([e, { ...tags }]) })
    const adapter = createHttpAdapter({ policy }, 'test')
    const statuses = [503, 200]
    const run = adapter.run(request, async () => ({ status: statuses.shift(), headers: {} }), { release: () => {} })
    await clock.runAll()
    expect(await run).toEqual({ status: 200, headers: {} })
    expect(events.map(([e]) => e)).toEqual(['retry', 'success'])
    expect(events[0]?.[1]).toMatchObject({
      operation: 'GET 127.0.0.1:8080',
      method: 'GET',
      host: '127.0.0.1:8080',
      status: 503,
    })
    // one failure cost the origin's full bucket a token, the success gave back tokenRatio (capped)
    const { maxTokens, tokenRatio } = HTTP_TOKEN_BUDGET_DEFAULTS
    expect(policy.budgets()).toEqual({ 'http://127.0.0.1:8080': Math.min(maxTokens, maxTokens - 1 + tokenRatio) })
  })

  it("honours a server delay up to the adapter's cap when it is larger than the policy's (one owner for the cap)", async () => {
    const clock = new FakeClock()
    const policy = httpPolicy({ clock, random: () => 0, deadlineMs: 300_000 })
    const sleeps: number[] = []
    const statuses = [503, 200]
    const hooks = { release: () => {}, beforeSleep: (ctx: { sleepMs: number }) => sleeps.push(ctx.sleepMs) }
    const attempt = async () => ({ status: statuses.shift(), headers: { 'retry-after': '90' } })
    const run = createHttpAdapter({ policy, maxRetryAfterMs: 120_000 }, 'test').run(request, attempt, hooks)
    await clock.runAll()
    expect(await run).toMatchObject({ status: 200 })
    expect(sleeps).toEqual([90_000])
    // under the policy's own 60 s cap the same delay gives up at once, handing back the 503
    statuses.push(503, 200)
    const capped = createHttpAdapter({ policy }, 'test').run(request, attempt, hooks)
    await clock.runAll()
    expect(await capped).toMatchObject({ status: 503 })
    expect(sleeps).toEqual([90_000])
  })

  it('looks up no budget and builds nothing for a request that succeeds at once', async () => {
    const policy = httpPolicy()
    const adapter = createHttpAdapter({ policy }, 'test')
    let named = 0
    const quiet = createHttpAdapter({ policy, operation: () => `n${named++}` }, 'test')
    expect(await adapter.run(request, async () => ({ status: 204 }), { release: () => {} })).toEqual({ status: 204 })
    expect(await quiet.run(request, async () => ({ status: 200 }), { release: () => {} })).toEqual({ status: 200 })
    expect(named).toBe(0)
    expect(policy.budgets()).toEqual({})
  })

  it('rejects unknown and mistyped options naming them', () => {
    expect(() => createHttpAdapter({ maxRetries: 3 } as never, 'redressFetch')).toThrow(
      /redressFetch: unknown option "maxRetries"/,
    )
    expect(() => createHttpAdapter({ policy: {} as never }, 'x')).toThrow(/policy must be a RetryPolicy/)
    expect(() => createHttpAdapter({ maxRetryAfterMs: -1 }, 'x')).toThrow(/maxRetryAfterMs/)
  })
})
