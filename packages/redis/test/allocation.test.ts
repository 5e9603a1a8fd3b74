import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLIENT_KINDS } from './support/clients.ts'
import { type Agent, startFleet } from './support/fleet.ts'
import { type RedisServer, startRedisServer } from './support/redisServer.ts'

// Issue 17: the hot path of a fleet budget allocates what a local TokenBudget does (nothing); the
// only extra is per sync (the batch and the client's command), never per call. Measured in child
// processes run with --expose-gc and a young generation large enough that no scavenge runs during
// a measurement (see `alloc` in fleetAgent.ts).

let server: RedisServer
let agents: Agent[]
beforeAll(async () => {
  server = await startRedisServer()
  agents = await startFleet(CLIENT_KINDS, server.port, () => {}, ['--expose-gc', '--max-semi-space-size=64'])
}, 600_000)
afterAll(async () => {
  await Promise.all((agents ?? []).map((a) => a.stop()))
  await server?.stop()
})

interface Measured {
  /** Calls made. */
  readonly calls: number
  /** Bytes allocated inside the calls themselves. */
  readonly inCalls: number
  /** Bytes allocated over the whole measurement (calls, timers, syncs). */
  readonly total: number
  /** Script calls Redis counted meanwhile. */
  readonly syncs: number
}

describe('10 000 tryAcquire/record calls while syncing', () => {
  it.each(CLIENT_KINDS.map((kind, i) => [kind, i] as const))(
    'allocate no more than a local TokenBudget plus the batches (%s)',
    async (kind, i) => {
      const r = await (agents[i] as Agent).ask<{ local: Measured; fleet: Measured }>('alloc', { key: `alloc:${kind}` })
      const perSync = (r.fleet.total - r.local.total) / Math.max(1, r.fleet.syncs)
      console.info(
        `${kind}: 10 000 calls — in the calls: TokenBudget ${r.local.inCalls} B, RedisRetryBudget ${r.fleet.inCalls} B; ` +
          `in all: TokenBudget ${r.local.total} B, RedisRetryBudget ${r.fleet.total} B with ${r.fleet.syncs} syncs meanwhile (${perSync.toFixed(0)} B per sync)`,
      )
      expect(r.fleet.syncs).toBeGreaterThan(10)
      // Nothing per call: one object per call would be 10 000 × 16 B or more.
      expect(r.fleet.inCalls).toBeLessThanOrEqual(r.local.inCalls + 1_024)
      // Plus the batches: a sync (request, arguments, the client's command, its promises) is a few KB.
      expect(r.fleet.total).toBeLessThanOrEqual(r.local.total + r.fleet.syncs * 16_384)
    },
  )
})
