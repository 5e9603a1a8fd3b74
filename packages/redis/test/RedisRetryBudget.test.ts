import { ErrorClass } from '@redress/core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { RedisRetryBudget, type RedisSyncEvent, redisBudgets } from '../src/index.ts'
import { CLIENT_KINDS, connect, type TestClient } from './support/clients.ts'
import { countingClient } from './support/countingClient.ts'
import { REDIS_SETUP_MS, type RedisServer, startRedisServer } from './support/redisServer.ts'
import { testTimeout, waitFor } from './support/waitFor.ts'

// Every wait is bounded (WAIT_MS) and named; a test's timeout is above the sum of its waits.
vi.setConfig({ testTimeout: testTimeout(8), hookTimeout: testTimeout(1) })

let server: RedisServer
beforeAll(async () => {
  server = await startRedisServer()
}, REDIS_SETUP_MS)
afterAll(async () => {
  await server?.stop()
})

let n = 0
const freshKey = (): string => `test:rb:${n++}`

describe.each(CLIENT_KINDS)('RedisRetryBudget with %s', (kind) => {
  let c: TestClient
  beforeAll(async () => {
    c = await connect(kind, server.port)
  })
  afterAll(async () => {
    await c?.quit()
  })

  it('shares one bucket between budgets with the same key', async () => {
    const key = freshKey()
    const bucket = { maxTokens: 10, tokenRatio: 0.2 }
    const a = new RedisRetryBudget({ client: c.client, key, syncIntervalMs: 10, ...bucket })
    const b = new RedisRetryBudget({ client: c.client, key, syncIntervalMs: 10, ...bucket })
    try {
      await waitFor('both in step with Redis', () => a.mode === 'fleet' && b.mode === 'fleet')
      expect(b.tryAcquire()).toBe(true)
      for (let i = 0; i < 5; i++) a.recordFailure(ErrorClass.SERVER_ERROR)
      await waitFor('b to see the fleet bucket at 5', () => b.tokens === 5)
      expect(b.tryAcquire()).toBe(false)
      expect(Number(await c.command(['GET', key]))).toBe(5000)
      const ttl = Number(await c.command(['PTTL', key]))
      expect(ttl).toBeGreaterThan(0)
      expect(ttl).toBeLessThanOrEqual(600_000)
      // Successes anywhere refill it; a full bucket leaves no key behind.
      for (let i = 0; i < 25; i++) b.recordSuccess()
      await waitFor('a to see the bucket full again', () => a.tokens === 10)
      await waitFor('the key to be gone', async () => (await c.command(['EXISTS', key])) === 0)
    } finally {
      a.close()
      b.close()
    }
  })

  it('answers at once, before its first sync, from a full local bucket', () => {
    const budget = new RedisRetryBudget({ client: c.client, key: freshKey() })
    try {
      expect(budget.mode).toBe('connecting')
      expect(budget.tryAcquire()).toBe(true)
      expect(budget.toJSON()).toMatchObject({ tokens: 20, maxTokens: 20, tokenRatio: 2, retriesAllowed: true })
    } finally {
      budget.close()
    }
  })

  it('stops syncing at close(): later changes stay local', async () => {
    const key = freshKey()
    const redis = countingClient(c.client)
    const budget = new RedisRetryBudget({ client: redis.client, key, syncIntervalMs: 5, maxTokens: 10 })
    await waitFor('first sync', () => budget.mode === 'fleet')
    budget.close()
    const callsAtClose = redis.calls()
    for (let i = 0; i < 8; i++) budget.recordFailure(ErrorClass.TRANSIENT)
    // A budget still syncing at the same pace would have synced 5 times by the time this one has.
    const witness = countingClient(c.client)
    const other = new RedisRetryBudget({ client: witness.client, key: freshKey(), syncIntervalMs: 5 })
    try {
      other.recordFailure(ErrorClass.TRANSIENT)
      await waitFor('5 syncs of a budget that was not closed', () => witness.calls() >= 5)
    } finally {
      other.close()
    }
    expect(redis.calls()).toBe(callsAtClose)
    expect(await c.command(['EXISTS', key])).toBe(0)
    expect(budget.tokens).toBe(2)
    expect(budget.tryAcquire()).toBe(false)
  })

  it('gives a factory budget per origin, under a hash-tagged key, the same one each time', async () => {
    const budgets = redisBudgets({ client: c.client, prefix: `test${kind.length}`, syncIntervalMs: 10 })
    try {
      const api = budgets('https://api.example.com')
      expect(budgets('https://api.example.com')).toBe(api)
      expect(api.key).toBe(`test${kind.length}:budget:{https://api.example.com}`)
      expect(budgets('http://other.example:8080').key).toBe(`test${kind.length}:budget:{http://other.example:8080}`)
      expect(budgets.size).toBe(2)
      api.recordFailure(ErrorClass.SERVER_ERROR)
      await waitFor('the origin key to be written', async () => (await c.command(['EXISTS', api.key])) === 1)
      expect(Object.keys(budgets.toJSON())).toEqual(['https://api.example.com', 'http://other.example:8080'])
    } finally {
      budgets.close()
    }
  })
})

describe('RedisRetryBudget when the client goes away', () => {
  it('falls back to local state, says so once, and leaves no unhandled rejection', async () => {
    for (const kind of CLIENT_KINDS) {
      const c = await connect(kind, server.port)
      const events: RedisSyncEvent[] = []
      const rejections: unknown[] = []
      const onRejection = (reason: unknown): void => {
        rejections.push(reason)
      }
      process.on('unhandledRejection', onRejection)
      const redis = countingClient(c.client)
      const budgets = redisBudgets({
        client: redis.client,
        syncIntervalMs: 5,
        reconnectIntervalMs: 5,
        onLog: (event) => events.push(event),
      })
      const a = budgets('https://a.example')
      const b = budgets('https://b.example')
      try {
        await waitFor('first syncs', () => a.mode === 'fleet' && b.mode === 'fleet')
        await c.quit()
        await waitFor(`${kind}: both local`, () => a.mode === 'local' && b.mode === 'local')
        const attempts = redis.readinessChecks()
        for (let i = 0; i < 200; i++) {
          a.recordFailure(ErrorClass.TRANSIENT)
          a.tryAcquire()
          await new Promise((resolve) => setImmediate(resolve))
        }
        expect(a.tryAcquire()).toBe(false)
        expect(b.tryAcquire()).toBe(true)
        // Two budgets, dozens of failed sync attempts (each asks whether the client is connected): one line.
        await waitFor('40 more sync attempts', () => redis.readinessChecks() >= attempts + 40)
        expect(events).toEqual(['redis_unavailable'])
        expect(rejections).toEqual([])
      } finally {
        budgets.close()
        process.off('unhandledRejection', onRejection)
      }
    }
  })

  it('rejects bad options, naming them', () => {
    const client = { eval: async () => 0, evalsha: async () => 0 }
    expect(() => new RedisRetryBudget({ client, key: '' })).toThrow(/RedisRetryBudget: key/)
    expect(() => new RedisRetryBudget({ client: {} as never, key: 'k' })).toThrow(/RedisRetryBudget: client/)
    expect(() => new RedisRetryBudget({ client, key: 'k', syncIntervalMs: 0 })).toThrow(/syncIntervalMs/)
    expect(() => new RedisRetryBudget({ client, key: 'k', syncTimeoutMs: 2 ** 32 })).toThrow(/syncTimeoutMs/)
    expect(() => new RedisRetryBudget({ client, key: 'k', maxTokens: -1 })).toThrow(/RedisRetryBudget: maxTokens/)
    expect(() => new RedisRetryBudget({ client, key: 'k', onLog: 'x' as never })).toThrow(/onLog/)
    expect(() => redisBudgets({ client, prefix: 'a{b' })).toThrow(/redisBudgets: prefix/)
    expect(() => redisBudgets({ client, maxOrigins: 0 })).toThrow(/redisBudgets: maxOrigins/)
    expect(() => redisBudgets({ client, tokenRatio: 0 })).toThrow(/redisBudgets: tokenRatio/)
  })
})
