/**
 * Three processes share one retry budget and one circuit breaker per upstream through Redis
 * (`@redress/redis`): when the payments upstream dies, the failures the first process sees
 * open the breaker for all three, so the other two fail fast without sending a single request
 * to it; the healthy inventory upstream is untouched. With no redis-server on the machine, the
 * example shows what happens when Redis is down: each process decides on its own local state
 * (`FLEET_BUDGET_NO_REDIS=1` shows that even where redis-server is installed).
 *
 * Run: pnpm --filter @redress/examples exec node --conditions=@redress/source --import tsx fleet-budget/index.ts
 */
import assert from 'node:assert/strict'
import { type ChildProcess, fork, spawn } from 'node:child_process'
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { type AddressInfo, createServer as createTcpServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { decorrelatedJitter, isCircuitOpenError } from '@redress/core'
import { httpPolicy } from '@redress/core/http'
import { redressFetch } from '@redress/fetch'
import { redisBreakers, redisBudgets } from '@redress/redis'
import { Redis } from 'ioredis'

const here = fileURLToPath(import.meta.url)
const SYNC_MS = 50

if (process.argv[2] === 'worker') await worker(Number(process.argv[3]))
else await main()

/** One process of the fleet: a policy with a Redis budget and breaker per origin, driven over IPC. */
async function worker(redisPort: number): Promise<void> {
  const redis = new Redis({ host: '127.0.0.1', port: redisPort, lazyConnect: redisPort === 0, maxRetriesPerRequest: 1 })
  redis.on('error', () => {})
  const shared = { client: redis, prefix: 'example', syncIntervalMs: SYNC_MS, onLog: () => {} }
  const budgets = redisBudgets(shared)
  const breakers = redisBreakers({ ...shared, failureThreshold: 5, recoveryTimeoutMs: 60_000 })
  const policy = httpPolicy({
    budgetFor: budgets,
    breakerFor: breakers,
    strategy: decorrelatedJitter({ baseMs: 5, maxMs: 20 }),
  })
  const fetch = redressFetch({ policy })
  type Message =
    | { op: 'warm'; origins: string[] }
    | { op: 'get'; url: string; times: number }
    | { op: 'state' }
    | { op: 'stop' }
  process.on('message', async (m: Message) => {
    if (m.op === 'warm') {
      // A process learns an upstream's fleet state at the first sync of its budget and breaker:
      // make them at startup for the upstreams it knows, not at its first request.
      for (const origin of m.origins) {
        budgets(origin)
        breakers(origin)
      }
      process.send?.({ warm: true })
      return
    }
    if (m.op === 'stop') {
      budgets.close()
      breakers.close()
      redis.disconnect()
      process.exit(0)
    }
    if (m.op === 'state') {
      process.send?.({ breakers: policy.breakers(), budgets: budgets.toJSON(), fleetBreakers: breakers.toJSON() })
      return
    }
    const outcomes: string[] = []
    for (let i = 0; i < m.times; i++) {
      try {
        const res = await fetch(m.url)
        await res.arrayBuffer()
        outcomes.push(String(res.status))
      } catch (error) {
        outcomes.push(isCircuitOpenError(error) ? 'open' : String(error))
      }
    }
    process.send?.({ outcomes })
  })
  process.send?.({ ready: true })
}

/** What a worker answers to `{ op: 'state' }`. */
interface State {
  readonly breakers: Record<string, string>
  readonly budgets: Record<string, { readonly mode: string }>
  readonly fleetBreakers: Record<string, { readonly mode: string; readonly state: string }>
}

async function main(): Promise<void> {
  const redis = await startRedisIfAvailable()
  console.log(
    redis === undefined
      ? 'No redis-server (none installed, or FLEET_BUDGET_NO_REDIS=1): the three processes run on local state, as when Redis is down.'
      : `redis-server on 127.0.0.1:${redis.port}`,
  )
  const hits = { payments: 0, inventory: 0 }
  // Two upstreams, two origins: payments is down, inventory is fine.
  const upstream = createServer((_req, res) => {
    hits.payments++
    res.writeHead(503).end('down')
  })
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  const inventory = createServer((_req, res) => {
    hits.inventory++
    res.end('ok')
  })
  await new Promise<void>((resolve) => inventory.listen(0, '127.0.0.1', resolve))
  const payments = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/payments`
  const stock = `http://127.0.0.1:${(inventory.address() as AddressInfo).port}/stock`

  const workers = [0, 1, 2].map(() =>
    fork(here, ['worker', String(redis?.port ?? 0)], { execArgv: process.execArgv, stdio: 'inherit' }),
  )
  const next = (w: ChildProcess): Promise<Record<string, unknown>> =>
    new Promise((resolve) => w.once('message', (m: Record<string, unknown>) => resolve(m)))
  try {
    await Promise.all(workers.map(next))
    const ask = async (w: ChildProcess, message: object): Promise<Record<string, unknown>> => {
      const reply = next(w)
      w.send(message)
      return reply
    }
    /** Asks `ws` for their state every sync interval until `ok` holds for each (at most 10 s). */
    const until = async (what: string, ws: ChildProcess[], ok: (state: State) => boolean): Promise<void> => {
      for (let i = 0; i < 10_000 / SYNC_MS; i++) {
        const states = (await Promise.all(ws.map((w) => ask(w, { op: 'state' })))) as unknown as State[]
        if (states.every(ok)) return
        await new Promise((resolve) => setTimeout(resolve, SYNC_MS))
      }
      throw new Error(`fleet-budget: timed out waiting for ${what}`)
    }
    const paymentsOrigin = new URL(payments).origin
    const origins = [paymentsOrigin, new URL(stock).origin]
    await Promise.all(workers.map((w) => ask(w, { op: 'warm', origins })))
    // Every process in step with Redis first, then process 1 meets the dead payments upstream.
    if (redis !== undefined) {
      await until('every process to sync with Redis', workers, (s) =>
        [...Object.values(s.budgets), ...Object.values(s.fleetBreakers)].every((v) => v.mode === 'fleet'),
      )
    }
    const first = await ask(workers[0] as ChildProcess, { op: 'get', url: payments, times: 6 })
    console.log(
      `process 1, 6 payments: ${(first['outcomes'] as string[]).join(' ')}   (upstream hit ${hits.payments}×)`,
    )
    const hitsAfterFirst = hits.payments
    if (redis !== undefined) {
      await until(
        'processes 2 and 3 to learn that payments is open',
        workers.slice(1),
        (s) => s.fleetBreakers[paymentsOrigin]?.state === 'open',
      )
    }
    for (const [i, w] of workers.slice(1).entries()) {
      const r = await ask(w, { op: 'get', url: payments, times: 3 })
      console.log(
        `process ${i + 2}, 3 payments: ${(r['outcomes'] as string[]).join(' ')}   (upstream hit ${hits.payments}×)`,
      )
    }
    const stockReplies = await Promise.all(workers.map((w) => ask(w, { op: 'get', url: stock, times: 2 })))
    console.log(
      `every process, 2 stock requests: ${stockReplies.map((r) => (r['outcomes'] as string[]).join(' ')).join(' | ')}`,
    )
    const state = await ask(workers[2] as ChildProcess, { op: 'state' })
    console.log('process 3 sees breakers', state['breakers'])

    assert.ok(
      stockReplies.every((r) => (r['outcomes'] as string[]).every((o) => o === '200')),
      'inventory unaffected',
    )
    if (redis !== undefined) {
      // The breaker process 1 opened is open for processes 2 and 3: not one more request reached payments.
      assert.equal(hits.payments, hitsAfterFirst)
      console.log(
        `\nFleet-wide: ${hits.payments} requests reached the dead upstream in all; processes 2 and 3 sent none.`,
      )
    } else {
      // On local state each process must trip its own breaker.
      assert.ok(hits.payments > hitsAfterFirst)
      console.log(`\nLocal state: ${hits.payments} requests reached the dead upstream; each process found out alone.`)
    }
  } finally {
    for (const w of workers) w.send({ op: 'stop' })
    await Promise.all(
      workers.map((w) => new Promise((resolve) => (w.exitCode === null ? w.once('exit', resolve) : resolve(null)))),
    )
    upstream.close()
    inventory.close()
    await redis?.stop()
  }
}

/** Starts redis-server on a free loopback port when one is installed; `undefined` when not. */
async function startRedisIfAvailable(): Promise<{ port: number; stop(): Promise<void> } | undefined> {
  if (process.env['FLEET_BUDGET_NO_REDIS'] === '1') return undefined
  const binary = [
    ...(process.env['PATH'] ?? '').split(delimiter).map((d) => join(d, 'redis-server')),
    '/usr/bin/redis-server',
    '/usr/sbin/redis-server',
  ].find((p) => {
    try {
      accessSync(p, constants.X_OK)
      return true
    } catch {
      return false
    }
  })
  if (binary === undefined) return undefined
  const port = await new Promise<number>((resolve) => {
    const s = createTcpServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port
      s.close(() => resolve(p))
    })
  })
  const dir = mkdtempSync(join(tmpdir(), 'fleet-budget-'))
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir], {
    stdio: 'ignore',
  })
  const probe = new Redis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: () => null })
  probe.on('error', () => {})
  for (let i = 0; i < 100; i++) {
    try {
      await probe.connect()
      break
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  probe.disconnect()
  return {
    port,
    stop: async () => {
      const gone = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await gone
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
