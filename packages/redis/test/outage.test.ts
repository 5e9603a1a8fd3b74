import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { decorrelatedJitter, ErrorClass, isCircuitOpenError } from '@redress/core'
import { httpPolicy } from '@redress/core/http'
import { redressFetch } from '@redress/fetch'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  RedisCircuitBreaker,
  type RedisClientLike,
  RedisRetryBudget,
  type RedisSyncEvent,
  redisBreakers,
  redisBudgets,
} from '../src/index.ts'
import { CLIENT_KINDS, type ClientKind, connect, type TestClient } from './support/clients.ts'
import { countingClient } from './support/countingClient.ts'
import { REDIS_SETUP_MS, type RedisServer, startRedisServer } from './support/redisServer.ts'
import { testTimeout, WAIT_MS, waitFor } from './support/waitFor.ts'

// Issue 17: "A Redis outage must never fail, delay or duplicate a request" — with a real
// redis-server that is frozen (slow: connections open, nothing answered), answers errors, or
// goes away and comes back three times (flapping); and the process still ends by itself when
// its client is closed. Every wait is on a condition, bounded by WAIT_MS.

const TEST_MS = testTimeout(10)
vi.setConfig({ testTimeout: TEST_MS, hookTimeout: testTimeout(1) })

let server: RedisServer
beforeAll(async () => {
  server = await startRedisServer()
}, REDIS_SETUP_MS)
afterAll(async () => {
  server?.resume()
  await server?.stop()
}, 60_000)

/**
 * `target` as the policy sees it, watched: a method that calls Redis before it returns, or
 * returns a promise, is noted in `violations` — Redis is never on a request's path.
 */
function offPath<T extends object>(target: T, calls: () => number, violations: string[]): T {
  return new Proxy(target, {
    get(t, property) {
      const value: unknown = Reflect.get(t, property, t)
      if (typeof value !== 'function') return value
      return (...args: unknown[]): unknown => {
        const before = calls()
        const result = (value as (...a: unknown[]) => unknown).apply(t, args)
        if (calls() !== before) violations.push(`${String(property)}() called Redis`)
        if (result instanceof Promise) violations.push(`${String(property)}() returned a promise`)
        return result
      }
    },
  })
}

/**
 * Two upstreams and a client process in one: requests through redressFetch under
 * httpPolicy({ budgetFor, breakerFor }) with fleet budgets and breakers, sent one at a time.
 * The healthy upstream fails every odd hit with a 503, so each request's first attempt fails and
 * its retry succeeds: each request asks the breaker, the budget for a retry, and records both
 * ways. The dead one answers every attempt with a 503, so its origin's budget runs dry and its
 * breaker opens, probes and re-opens — the moments a fleet object asks for a sync at once.
 */
async function harness(client: RedisClientLike, prefix: string) {
  let hits = 0
  const healthy: Server = createServer((_req, res) => {
    hits++
    if (hits % 2 === 1) res.writeHead(503).end()
    else res.end('ok')
  })
  const dead: Server = createServer((_req, res) => res.writeHead(503).end())
  const url = async (s: Server): Promise<string> => {
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(s.address() as AddressInfo).port}/`
  }
  const [okUrl, deadUrl] = [await url(healthy), await url(dead)]
  const redis = countingClient(client)
  const log: RedisSyncEvent[] = []
  // A frozen Redis is told apart from a busy machine by a long sync timeout.
  const sync = {
    client: redis.client,
    prefix,
    syncIntervalMs: 20,
    syncTimeoutMs: 1_000,
    reconnectIntervalMs: 20,
    onLog: (event: RedisSyncEvent) => log.push(event),
  }
  const budgets = redisBudgets(sync)
  // The healthy upstream's 503s are its pattern, not an outage: its breaker counts them but never opens.
  const breakers = redisBreakers({ ...sync, failureThreshold: 1_000_000 })
  const deadBreakers = redisBreakers({ ...sync, failureThreshold: 3, recoveryTimeoutMs: 100 })
  const deadOrigin = new URL(deadUrl).origin
  const violations: string[] = []
  const policy = httpPolicy({
    budgetFor: (o) => offPath(budgets(o), redis.calls, violations),
    breakerFor: (o) => offPath(o === deadOrigin ? deadBreakers(o) : breakers(o), redis.calls, violations),
    strategy: decorrelatedJitter({ baseMs: 1, maxMs: 2 }),
    throttle: null,
  })
  const fetch = redressFetch({ policy })
  const objects = [
    budgets(new URL(okUrl).origin),
    breakers(new URL(okUrl).origin),
    budgets(deadOrigin),
    deadBreakers(deadOrigin),
  ]
  const statuses = new Map<number | string, number>()
  const deadOutcomes = new Set<number | string>()
  const durationsMs: number[] = []
  let requests = 0
  const outcome = async (target: string): Promise<number | string> => {
    try {
      const res = await fetch(target)
      await res.arrayBuffer()
      return res.status
    } catch (error) {
      return isCircuitOpenError(error) ? 'circuit open' : String(error)
    }
  }
  const one = async (): Promise<void> => {
    requests++
    const t0 = performance.now()
    const status = await outcome(okUrl)
    durationsMs.push(performance.now() - t0)
    statuses.set(status, (statuses.get(status) ?? 0) + 1)
    deadOutcomes.add(await outcome(deadUrl))
  }
  /** Sends requests one at a time until `done()` holds (checked after each), for up to WAIT_MS and 20 000 requests. */
  const until = async (what: string, done: () => boolean): Promise<void> => {
    const deadline = performance.now() + WAIT_MS
    for (let i = 0; !done(); i++) {
      if (performance.now() > deadline || i === 20_000) throw new Error(`${what}: not after ${i} requests`)
      await one()
    }
  }
  return {
    log,
    /** The client the budgets and breakers were given, counting. */
    redis,
    /** How many budgets and breakers sync. */
    objects: objects.length,
    /** Sends `n` requests (one to each upstream) one at a time. */
    requests: async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) await one()
    },
    /** Sends requests until the budgets and breakers of both origins are in `mode`. */
    untilMode: (what: string, mode: 'fleet' | 'local') => until(what, () => objects.every((o) => o.mode === mode)),
    /** Takes the durations of the requests to the healthy upstream so far (ms), and starts a new series. */
    durations: (): number[] => durationsMs.splice(0),
    /**
     * Every request to the healthy upstream answered 200, and the upstream saw each exactly twice
     * (the 503 and the retry); the dead one's answered 503 or refused by its open breaker; no
     * budget or breaker method called Redis.
     */
    expectServed: (): void => {
      expect(Object.fromEntries(statuses)).toEqual({ 200: requests })
      expect(hits).toBe(2 * requests)
      expect([...deadOutcomes].sort()).toEqual([503, 'circuit open'])
      expect(violations).toEqual([])
    },
    get requestCount(): number {
      return requests
    },
    close: (): void => {
      budgets.close()
      breakers.close()
      deadBreakers.close()
      healthy.close()
      dead.close()
    },
  }
}

const summary = (ms: number[]): string => {
  const sorted = [...ms].sort((a, b) => a - b)
  const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0
  return `${sorted.length} requests, median ${q(0.5).toFixed(2)} ms, max ${q(1).toFixed(2)} ms`
}

describe.each(CLIENT_KINDS)(
  'a Redis outage through %s',
  (kind: ClientKind) => {
    let c: TestClient
    beforeAll(async () => {
      c = await connect(kind, server.port)
    })
    afterAll(async () => {
      await c?.quit()
    })

    it('never fails, delays or duplicates a request while Redis is frozen (slow), says so once, and rejoins', async () => {
      const h = await harness(c.client, `slow-${kind}`)
      try {
        await h.untilMode('first syncs', 'fleet')
        await h.requests(10)
        const before = h.durations()
        const callsAtPause = h.redis.calls()
        server.pause()
        let during: number[]
        let sentWhileFrozen: number
        try {
          await h.untilMode('both on local state after a sync timed out', 'local')
          const attemptsAtLocal = h.redis.readinessChecks()
          await h.requests(20)
          during = h.durations()
          // Each object keeps trying (it asks whether the client is connected at every attempt)...
          await waitFor('10 more sync attempts per object', () => h.redis.readinessChecks() >= attemptsAtLocal + 40)
          sentWhileFrozen = h.redis.calls() - callsAtPause
        } finally {
          server.resume()
        }
        await h.untilMode('both in step with the fleet again', 'fleet')
        await h.requests(10)
        console.info(
          `${kind}, Redis frozen: before ${summary(before)}; while frozen ${summary(during)}; ` +
            `${sentWhileFrozen} script calls sent while frozen; ${h.requestCount} requests in all`,
        )
        h.expectServed()
        // ... but sends nothing while its last sync is unanswered: the client never queues more
        // than one command per object, however long Redis stays frozen.
        expect(sentWhileFrozen).toBeLessThanOrEqual(h.objects)
        // One line each way per factory (budgets, two of breakers), not one per request or per sync.
        expect(h.log.filter((e) => e === 'redis_unavailable')).toHaveLength(3)
        expect(h.log.filter((e) => e === 'redis_restored')).toHaveLength(3)
      } finally {
        h.close()
      }
    })

    it('never fails or duplicates a request while Redis flaps (killed and restarted 3 times), and says so once per outage', async () => {
      const h = await harness(c.client, `flap-${kind}`)
      try {
        await h.untilMode('first syncs', 'fleet')
        for (let i = 1; i <= 3; i++) {
          await server.kill()
          await h.untilMode(`outage ${i}: both on local state`, 'local')
          await h.requests(5)
          await server.start()
          await h.untilMode(`outage ${i}: both in step with the fleet again`, 'fleet')
          await h.requests(5)
        }
        console.info(`${kind}, Redis flapping: ${h.requestCount} requests, log ${h.log.join(', ')}`)
        h.expectServed()
        expect(h.log.filter((e) => e === 'redis_unavailable')).toHaveLength(3 * 3)
        expect(h.log.filter((e) => e === 'redis_restored')).toHaveLength(3 * 3)
      } finally {
        h.close()
      }
    })

    it('decides on local state while Redis answers errors, says so once for dozens of failed syncs, and rejoins once they stop', async () => {
      // Keys of the wrong type: every script call fails in Redis (WRONGTYPE).
      const budgetKey = `wrongtype:budget:${kind}`
      const breakerKey = `{wrongtype:breaker:${kind}}`
      await c.command(['HSET', budgetKey, 'not', 'a bucket'])
      await c.command(['SET', breakerKey, 'not a breaker'])
      const redis = countingClient(c.client)
      const log: { event: RedisSyncEvent; message: string }[] = []
      const sync = {
        client: redis.client,
        syncIntervalMs: 5,
        reconnectIntervalMs: 5,
        onLog: (event: RedisSyncEvent, fields: { message: string }) => log.push({ event, message: fields.message }),
      }
      const budget = new RedisRetryBudget({ ...sync, key: budgetKey, maxTokens: 10 })
      const breaker = new RedisCircuitBreaker({ ...sync, key: breakerKey, failureThreshold: 3 })
      try {
        await waitFor('both on local state', () => budget.mode === 'local' && breaker.mode === 'local')
        const failedSoFar = redis.calls()
        // They keep deciding, on local state: 6 failures drain the budget's half, 3 open the breaker.
        for (let i = 0; i < 6; i++) budget.recordFailure(ErrorClass.SERVER_ERROR)
        for (let i = 0; i < 3; i++)
          breaker.record({ kind: 'failure', errorClass: ErrorClass.SERVER_ERROR }, breaker.admit())
        expect(budget.tryAcquire()).toBe(false)
        expect(breaker.admit().allowed).toBe(false)
        await waitFor('40 more failed syncs', () => redis.calls() >= failedSoFar + 40)
        expect(log.map((l) => l.event)).toEqual(['redis_unavailable', 'redis_unavailable'])
        for (const l of log) expect(l.message).toContain('WRONGTYPE')
        await c.command(['DEL', budgetKey, breakerKey])
        await waitFor('both in step with the fleet again', () => budget.mode === 'fleet' && breaker.mode === 'fleet')
        expect(log.map((l) => l.event)).toEqual([
          'redis_unavailable',
          'redis_unavailable',
          'redis_restored',
          'redis_restored',
        ])
      } finally {
        budget.close()
        breaker.close()
      }
    })

    it('lets the process end by itself once its client is closed, with its budget and breaker never closed', async () => {
      const agent = fileURLToPath(new URL('./support/exitAgent.ts', import.meta.url))
      const child = spawn(
        process.execPath,
        ['--conditions=@redress/source', '--import', 'tsx', agent, kind, String(server.port)],
        {
          cwd: fileURLToPath(new URL('../../..', import.meta.url)),
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      )
      let output = ''
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString()
      })
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString()
      })
      const exited = new Promise<number | string>((resolve) =>
        child.once('exit', (code, signal) => resolve(code ?? String(signal))),
      )
      // Starting takes seconds; ending, once the client is closed, takes no time — unless a timer
      // keeps the process alive (the objects would sync for 60 s more before idling).
      const timer = setTimeout(() => child.kill('SIGKILL'), 2 * WAIT_MS)
      try {
        const code = await exited
        expect(output).toContain('client quit')
        expect(code, `the process did not end by itself:\n${output}`).toBe(0)
      } finally {
        clearTimeout(timer)
        child.kill('SIGKILL')
      }
    })
  },
  TEST_MS,
)
