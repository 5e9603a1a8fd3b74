// One process of a test fleet: a child the tests start with `fork` and drive over IPC. It holds
// real RedisRetryBudget / RedisCircuitBreaker objects on a real Redis and reports what it sees,
// with wall-clock times (performance.timeOrigin + performance.now()) comparable across processes.
import { type BreakerAdmission, CircuitBreaker, ErrorClass, TokenBudget } from '@redress/core'
import { httpPolicy } from '@redress/core/http'
import { redressFetch } from '@redress/fetch'
import {
  RedisCircuitBreaker,
  type RedisCircuitBreakerOptions,
  type RedisClientLike,
  RedisRetryBudget,
  type RedisRetryBudgetOptions,
  type RedisSyncEvent,
  redisBreakers,
  redisBudgets,
} from '../../src/index.ts'
import { type ClientKind, connect, type TestClient } from './clients.ts'

type Obj = RedisRetryBudget | RedisCircuitBreaker
interface Message {
  readonly id: number
  readonly op: string
  readonly [key: string]: unknown
}

const wall = (): number => performance.timeOrigin + performance.now()
const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
const send = (message: unknown): void => {
  process.send?.(message)
}

let c: TestClient | undefined
const objects = new Map<string, Obj>()
const running = new Map<string, { stop: boolean; done: Promise<unknown> }>()
const closers: (() => void)[] = []
/** Requests the `traffic` loop has had answered so far: 200s, 200s while on local state, failures. */
let progress = { ok: 0, okWhileLocal: 0, failed: 0 }
/** Probes taken by `takeProbe` and never recorded (kept referenced: they are out). */
const held: BreakerAdmission[] = []

function client(): TestClient {
  if (c === undefined) throw new Error('not connected')
  return c
}

/** When each script call of the object of that name was made, and when Redis answered it (wall-clock ms), in order. */
const sent = new Map<string, number[]>()
const answered = new Map<string, number[]>()

/**
 * The client as the object `name` gets it: the same client, with the time of each script call
 * noted in `sent` and of each answer in `answered` (a sync is one answered call: a NOSCRIPT
 * retry rejects first). So the tests can count an object's syncs, which is what "within N sync
 * intervals" is about.
 */
function noting(name: string, redis: RedisClientLike): RedisClientLike {
  const calls: number[] = []
  const times: number[] = []
  sent.set(name, calls)
  answered.set(name, times)
  return new Proxy(redis, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target)
      if (typeof value !== 'function' || !['eval', 'evalsha', 'evalSha'].includes(String(property))) return value
      return (...args: unknown[]): unknown => {
        calls.push(wall())
        const reply = (value as (...a: unknown[]) => Promise<unknown>).apply(target, args)
        reply.then(
          () => times.push(wall()),
          () => {},
        )
        return reply
      }
    },
  })
}

/** The answers to the syncs of the object `name` so far. */
function answeredFor(name: string): number[] {
  return [...(answered.get(name) ?? [])]
}
function budget(name: string): RedisRetryBudget {
  const o = objects.get(name)
  if (!(o instanceof RedisRetryBudget)) throw new Error(`no budget ${name}`)
  return o
}
function breaker(name: string): RedisCircuitBreaker {
  const o = objects.get(name)
  if (!(o instanceof RedisCircuitBreaker)) throw new Error(`no breaker ${name}`)
  return o
}

/** Starts a background loop under `name`; `result` awaits it after `stop`. */
function start(name: string, loop: (flag: { stop: boolean }) => Promise<unknown>): { started: number } {
  const flag = { stop: false, done: Promise.resolve<unknown>(undefined) }
  flag.done = loop(flag)
  running.set(name, flag)
  return { started: wall() }
}

/** Latencies, in ms, of synchronous calls: how many, the median, mean, 99th and 99.9th percentiles, the max, and how many took over 1 ms. */
class Latency {
  #samples = new Float64Array(1 << 16)
  #n = 0
  time<T>(f: () => T): T {
    const t0 = performance.now()
    const value = f()
    const ms = performance.now() - t0
    if (this.#n === this.#samples.length) {
      const grown = new Float64Array(this.#n * 2)
      grown.set(this.#samples)
      this.#samples = grown
    }
    this.#samples[this.#n++] = ms
    return value
  }
  get summary(): LatencySummary {
    const sorted = this.#samples.slice(0, this.#n).sort()
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
    return {
      calls: sorted.length,
      medianMs: at(0.5),
      meanMs: sorted.reduce((a, x) => a + x, 0) / Math.max(1, sorted.length),
      p99Ms: at(0.99),
      p999Ms: at(0.999),
      maxMs: sorted[sorted.length - 1] ?? 0,
      over1Ms: sorted.filter((x) => x >= 1).length,
    }
  }
}

/** What `Latency` reports. */
export interface LatencySummary {
  readonly calls: number
  readonly medianMs: number
  readonly meanMs: number
  readonly p99Ms: number
  readonly p999Ms: number
  readonly maxMs: number
  readonly over1Ms: number
}

/** Polls `check` every ms until it holds; throws naming `what` after 30 s (the test's own bound is the same). */
async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = performance.now() + 30_000
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await tick(1)
  }
}

async function handle(m: Message): Promise<unknown> {
  switch (m.op) {
    case 'connect':
      c = await connect(m['kind'] as ClientKind, m['port'] as number)
      return c.kind
    case 'budget':
      objects.set(
        m['name'] as string,
        new RedisRetryBudget({
          client: noting(m['name'] as string, client().client),
          ...(m['options'] as Omit<RedisRetryBudgetOptions, 'client'>),
        }),
      )
      return null
    case 'breaker':
      objects.set(
        m['name'] as string,
        new RedisCircuitBreaker({
          client: noting(m['name'] as string, client().client),
          ...(m['options'] as Omit<RedisCircuitBreakerOptions, 'client'>),
        }),
      )
      return null
    case 'mode':
      return (objects.get(m['name'] as string) as Obj).mode
    case 'state':
      return breaker(m['name'] as string).state
    case 'syncs':
      return answeredFor(m['name'] as string).length
    case 'sentAfter': {
      // When this process next sent a sync of `name` after `at` (the failures' moment): when the
      // fleet could first have heard of them.
      const calls = sent.get(m['name'] as string) ?? []
      const at = m['at'] as number
      let found: number | undefined
      await until(`a sync of ${String(m['name'])} sent after the failures`, () => {
        found = calls.find((t) => t > at)
        return found !== undefined
      })
      return found
    }
    case 'takeProbe': {
      // Asks for admission every 2 ms until this process is elected prober; keeps the probe out
      // (never records it), renewing its lease at every sync — until the test kills the process.
      const b = breaker(m['name'] as string)
      let probe: BreakerAdmission | undefined
      await until('the probe', () => {
        const a = b.admit()
        if (a.probe) probe = a
        return a.probe
      })
      held.push(probe as BreakerAdmission)
      return { generation: b.generation, at: wall() }
    }
    case 'failBudget': {
      const b = budget(m['name'] as string)
      for (let i = 0; i < (m['count'] as number); i++) b.recordFailure(ErrorClass.SERVER_ERROR)
      return { at: wall(), allowed: b.tryAcquire() }
    }
    case 'failBreaker': {
      const b = breaker(m['name'] as string)
      for (let i = 0; i < (m['count'] as number); i++) {
        const a = b.admit()
        if (a.allowed) b.record({ kind: 'failure', errorClass: ErrorClass.SERVER_ERROR }, a)
      }
      return { at: wall(), state: b.state }
    }
    case 'watchRefused': {
      // Polls tryAcquire() every ms until it refuses: when did this process stop retrying, and
      // when were its syncs answered until then?
      const name = m['name'] as string
      const b = budget(name)
      return start(name, async (flag) => {
        while (!flag.stop) {
          if (!b.tryAcquire()) return { at: wall(), answered: answeredFor(name) }
          await tick(1)
        }
        return { at: undefined }
      })
    }
    case 'watchRejected': {
      const name = m['name'] as string
      const b = breaker(name)
      return start(name, async (flag) => {
        while (!flag.stop) {
          if (!b.admit().allowed) return { at: wall(), state: b.state, answered: answeredFor(name) }
          await tick(1)
        }
        return { at: undefined }
      })
    }
    case 'probeRace': {
      // Asks for admission every 2 ms. A probe is held `holdMs`, then fails (the breaker re-opens);
      // any other admission while the race runs is a violation (the breaker is never closed).
      const b = breaker(m['name'] as string)
      const holdMs = m['holdMs'] as number
      return start(m['name'] as string, async (flag) => {
        let admits = 0
        let probes = 0
        const violations: string[] = []
        while (!flag.stop) {
          const a: BreakerAdmission = b.admit()
          admits++
          if (a.allowed && !a.probe) violations.push(`admitted without a probe in state ${b.state}`)
          if (a.probe) {
            probes++
            send({ event: 'probe', generation: b.generation, at: wall() })
            await tick(holdMs)
            b.record({ kind: 'failure', errorClass: ErrorClass.SERVER_ERROR }, a)
          }
          await tick(2)
        }
        return { admits, probes, violations }
      })
    }
    case 'traffic': {
      // Real requests through redressFetch under httpPolicy({ budgetFor, breakerFor }) to the
      // test's HTTP server, while timing the origin's budget and breaker answering directly —
      // split by whether they were deciding on local state (Redis unavailable) or on the
      // fleet's — next to a local TokenBudget and CircuitBreaker asked at the same moments (what
      // this machine makes of any synchronous call).
      const url = m['url'] as string
      const origin = new URL(url).origin
      const log: RedisSyncEvent[] = []
      // A killed Redis is seen at once (the client is no longer connected); the timeout is
      // for a slow one, and kept long here so that a loaded test machine is not taken for it.
      const sync = { syncIntervalMs: 50, syncTimeoutMs: 2000, reconnectIntervalMs: 100 }
      const budgets = redisBudgets({ client: client().client, ...sync, onLog: (e) => log.push(e) })
      const breakers = redisBreakers({ client: client().client, ...sync, onLog: (e) => log.push(e) })
      closers.push(
        () => budgets.close(),
        () => breakers.close(),
      )
      const policy = httpPolicy({ budgetFor: budgets, breakerFor: breakers })
      const fetch = redressFetch({ policy })
      objects.set('traffic:budget', budgets(origin))
      objects.set('traffic:breaker', breakers(origin))
      const controlBudget = new TokenBudget()
      const controlBreaker = new CircuitBreaker()
      progress = { ok: 0, okWhileLocal: 0, failed: 0 }
      const p = progress
      return start('traffic', async (flag) => {
        const onLocal = new Latency()
        const onFleet = new Latency()
        const control = new Latency()
        const failures: string[] = []
        while (!flag.stop) {
          try {
            const res = await fetch(url)
            await res.arrayBuffer()
            if (res.status === 200) {
              p.ok++
              if (budgets(origin).mode === 'local' && breakers(origin).mode === 'local') p.okWhileLocal++
            } else failures.push(`status ${res.status}`)
          } catch (error) {
            failures.push(String(error))
          }
          p.failed = failures.length
          const b = budgets(origin)
          const k = breakers(origin)
          for (let i = 0; i < 250; i++) {
            // Synchronous answers (a boolean, an admission), whatever Redis is doing.
            if (typeof (b.mode === 'local' ? onLocal : onFleet).time(() => b.tryAcquire()) !== 'boolean')
              failures.push('tryAcquire returned a non-boolean')
            if (typeof (k.mode === 'local' ? onLocal : onFleet).time(() => k.admit()).allowed !== 'boolean')
              failures.push('admit returned no admission')
            control.time(() => controlBudget.tryAcquire())
            control.time(() => controlBreaker.admit())
          }
          await tick(5)
        }
        return {
          ok: p.ok,
          okWhileLocal: p.okWhileLocal,
          failures,
          onLocal: onLocal.summary,
          onFleet: onFleet.summary,
          control: control.summary,
          log,
        }
      })
    }
    case 'progress':
      return progress
    case 'alloc': {
      // Bytes allocated by 10 000 tryAcquire/record calls on a RedisRetryBudget that syncs every
      // 1 ms meanwhile, next to the same calls on a local TokenBudget. The calls run in 100
      // synchronous bursts with a 1 ms timer between them (when the syncs run); heapUsed is read
      // around each burst, so the calls' own allocation is told apart from the syncs'. The
      // semi-space is made large enough that no scavenge runs during a measurement (see the
      // test's execArgv), so heapUsed grows by exactly what was allocated.
      const gc = (globalThis as { gc?: () => void }).gc
      if (gc === undefined) throw new Error('run with --expose-gc')
      const redis = new RedisRetryBudget({ client: client().client, key: m['key'] as string, syncIntervalMs: 1 })
      const local = new TokenBudget({ maxTokens: 10, tokenRatio: 0.2 })
      await until('the first sync', () => redis.mode === 'fleet')
      // Syncs made during a measurement, counted by Redis itself (outside the measured window).
      const evalCalls = async (): Promise<number> => {
        const info = String(await client().command(['INFO', 'commandstats']))
        return [...info.matchAll(/cmdstat_eval(?:sha)?:calls=(\d+)/g)].reduce((n, x) => n + Number(x[1]), 0)
      }
      type Budgetish = { tryAcquire(): boolean; recordSuccess(): void; recordFailure(c: ErrorClass): void }
      const burst = (b: Budgetish, calls: number): number => {
        const before = process.memoryUsage().heapUsed
        for (let i = 0; i < calls; i++) {
          b.tryAcquire()
          if (i % 10 === 0) b.recordFailure(ErrorClass.TRANSIENT)
          else b.recordSuccess()
        }
        return process.memoryUsage().heapUsed - before
      }
      const measure = async (b: Budgetish) => {
        const before = await evalCalls()
        gc()
        await tick(1)
        const heap = process.memoryUsage().heapUsed
        let inCalls = 0
        for (let n = 0; n < 100; n++) {
          // An empty burst measures what reading heapUsed itself allocates.
          inCalls += burst(b, 100) - burst(b, 0)
          await tick(1)
        }
        const total = process.memoryUsage().heapUsed - heap
        return { calls: 10_000, inCalls, total, syncs: (await evalCalls()) - before }
      }
      // Warm up first: the first run of any code allocates its bytecode and feedback vectors.
      await measure(local)
      await measure(redis)
      const out = { local: await measure(local), fleet: await measure(redis) }
      redis.close()
      return out
    }
    case 'result': {
      // `stop`: at once; `withinMs`: if the loop has not ended by itself by then (it then
      // reports that it never saw what it watched for).
      const r = running.get(m['name'] as string)
      if (r === undefined) throw new Error(`nothing running under ${String(m['name'])}`)
      if (m['stop'] === true) r.stop = true
      const withinMs = m['withinMs']
      const timer = typeof withinMs === 'number' ? setTimeout(() => (r.stop = true), withinMs) : undefined
      try {
        return await r.done
      } finally {
        clearTimeout(timer)
      }
    }
    case 'close':
      for (const f of closers) f()
      for (const o of objects.values()) o.close()
      await c?.quit()
      return null
    default:
      throw new Error(`unknown op ${m.op}`)
  }
}

process.on('message', (m: Message) => {
  handle(m).then(
    (result) => send({ id: m.id, ok: true, result }),
    (error: unknown) => send({ id: m.id, ok: false, error: error instanceof Error ? error.stack : String(error) }),
  )
})
send({ ready: true })
