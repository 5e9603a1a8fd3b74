import { ERROR_CLASSES, type ErrorClass } from '@redress/core'
import { seededRandom } from '@redress/core/testing'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  applyBreakerSync,
  applyBudgetSync,
  type BreakerSyncRequest,
  type ProbeMessage,
  type StoredBreaker,
} from '../src/model/index.ts'
import { BREAKER_SCRIPT, breakerArgs, parseBreakerReply } from '../src/scripts/breakerScript.ts'
import { BUDGET_SCRIPT, budgetArgs, parseBudgetReply } from '../src/scripts/budgetScript.ts'
import { CLIENT_KINDS, connect, type TestClient } from './support/clients.ts'
import { REDIS_SETUP_MS, type RedisServer, startRedisServer } from './support/redisServer.ts'
import { testTimeout } from './support/waitFor.ts'

// The simulation (`pnpm sim`) runs fleets on the TypeScript twins of the Lua scripts; these
// tests hold the twins to the scripts on a real Redis, reply for reply and field for field.

// Every wait is bounded (WAIT_MS) and named; a test's timeout is above the sum of its waits.
vi.setConfig({ testTimeout: testTimeout(8), hookTimeout: testTimeout(1) })

let server: RedisServer
beforeAll(async () => {
  server = await startRedisServer()
}, REDIS_SETUP_MS)
afterAll(async () => {
  await server?.stop()
})

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe.each(CLIENT_KINDS)('the Lua scripts through %s', (kind) => {
  let c: TestClient
  beforeAll(async () => {
    c = await connect(kind, server.port)
  })
  afterAll(async () => {
    await c?.quit()
  })

  it('the budget script answers as applyBudgetSync does, for 300 random batches', async () => {
    const random = seededRandom(kind.length)
    const key = `test:budget:${kind}`
    let model: number | undefined
    for (let i = 0; i < 300; i++) {
      const maxMilli = random() < 0.1 ? 5000 : 10_000
      const deltaMilli = Math.round((random() - 0.6) * 6) * 1000 + (random() < 0.5 ? 200 : 0)
      const request = { maxMilli, deltaMilli }
      const expected = applyBudgetSync(model, request)
      model = expected.stored
      const reply = parseBudgetReply(await BUDGET_SCRIPT.run(c.client, [key], budgetArgs(request, 60_000)))
      expect(reply).toEqual(expected.reply)
      const stored = await c.command(['GET', key])
      expect(stored === null ? undefined : Number(stored)).toBe(model)
    }
  })

  it('the breaker script answers as applyBreakerSync does, for 250 random syncs from 3 processes', async () => {
    const random = seededRandom(7 + kind.length)
    const key = `{test:breaker:${kind}}`
    const keys = [key, `${key}:failures`]
    const owners = ['a', 'b', 'c']
    const seq: Record<string, number> = { a: 0, b: 0, c: 0 }
    let model: StoredBreaker | undefined
    const seen = new Set<string>()
    for (let i = 0; i < 250; i++) {
      const owner = owners[Math.floor(random() * 3)] as string
      const probes: ProbeMessage[] = ['none', 'want', 'want', 'hold', 'success', 'failure', 'release']
      const probe = probes[Math.floor(random() * probes.length)] as ProbeMessage
      const failures = Array.from({ length: Math.floor(random() * 3) }, () => ({
        errorClass: (random() < 0.7 ? 'SERVER_ERROR' : ERROR_CLASSES[Math.floor(random() * 8)]) as ErrorClass,
        ageMs: Math.floor(random() * 80),
      }))
      const request: BreakerSyncRequest = {
        owner,
        failureThreshold: 4,
        windowMs: 60,
        recoveryTimeoutMs: 20,
        probeLeaseMs: 15,
        classThresholds: [{ errorClass: 'RATE_LIMIT', threshold: 2 }],
        failures,
        failureSeq: seq[owner] as number,
        probe,
        // The current generation most of the time, so that probe messages are applied.
        probeGeneration: random() < 0.8 ? (model?.generation ?? 0) : 0,
      }
      seq[owner] = (seq[owner] as number) + failures.length
      const raw = parseBreakerReply(await BREAKER_SCRIPT.run(c.client, keys, breakerArgs(request, 60_000)))
      const { nowMs, ...reply } = raw
      const expected = applyBreakerSync(model, request, nowMs)
      model = expected.stored
      expect(reply).toEqual(expected.reply)
      const h = (await c.command(['HGETALL', key])) as string[] | Record<string, string>
      const hash = Array.isArray(h) ? Object.fromEntries(pairs(h)) : h
      expect({
        s: Number(hash['s']),
        o: Number(hash['o']),
        g: Number(hash['g']),
        p: hash['p'],
        pe: Number(hash['pe']),
      }).toEqual({
        s: ['closed', 'open', 'half_open'].indexOf(model.state),
        o: model.openedAtMs,
        g: model.generation,
        p: model.prober,
        pe: model.probeExpiresAtMs,
      })
      // Redis orders failures of the same millisecond by member; compare them as sets.
      const byTime = (a: [string, number], b: [string, number]): number => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)
      const z = (await c.command(['ZRANGE', keys[1] as string, '0', '-1', 'WITHSCORES'])) as string[]
      expect(
        pairs(z)
          .map(([m, score]): [string, number] => [m.split('|')[0] ?? '', Number(score)])
          .sort(byTime),
      ).toEqual(model.failures.map((f): [string, number] => [f.errorClass, f.atMs]).sort(byTime))
      seen.add(`${reply.state}:${probe}`)
      if (random() < 0.3) await sleep(Math.floor(random() * 12))
    }
    // The sequence went through every state, and probe messages in each.
    expect([...seen].filter((s) => s.startsWith('half_open')).length).toBeGreaterThan(2)
    expect([...seen].some((s) => s.startsWith('open'))).toBe(true)
  })

  it('falls back from EVALSHA to EVAL when Redis has forgotten the script (restart, SCRIPT FLUSH)', async () => {
    await c.command(['SCRIPT', 'FLUSH'])
    const reply = await BUDGET_SCRIPT.run(c.client, [`test:flush:${kind}`], ['10000', '-1000', '1000'])
    expect(parseBudgetReply(reply)).toEqual({ tokensMilli: 9000 })
    expect(await c.command(['SCRIPT', 'EXISTS', BUDGET_SCRIPT.sha1])).toEqual([1])
  })
})

function pairs(flat: readonly string[]): [string, string][] {
  const out: [string, string][] = []
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i] as string, flat[i + 1] as string])
  return out
}
