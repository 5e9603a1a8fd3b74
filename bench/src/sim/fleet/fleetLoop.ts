import {
  type BreakerAdmission,
  type BreakerOutcome,
  CircuitBreaker,
  type CircuitBreakerLike,
  type CircuitState,
  type Clock,
  type RetryBudget,
  type StepRun,
  TokenBudget,
} from '@redress/core'
import { HTTP_TOKEN_BUDGET_DEFAULTS, httpPolicy } from '@redress/core/http'
import { seededRandom } from '@redress/core/testing'
import {
  applyBreakerSync,
  applyBudgetSync,
  FleetCircuitBreaker,
  FleetTokenBudget,
  type StoredBreaker,
} from '@redress/redis/model'
import { deriveSeed } from '../deriveSeed.ts'
import { EventQueue } from '../EventQueue.ts'
import { normalSampler } from '../normalSampler.ts'

/** Where a process's budget and breaker live: in the process, or shared by the fleet through Redis. */
export type StateScope = 'process' | 'fleet'

/** One set-up compared in the fleet experiments. */
export interface FleetSetup {
  /** Short name for tables. */
  readonly name: string
  /** The retry budget: a `TokenBudget` per process, or one `FleetTokenBudget` bucket for the fleet. */
  readonly budget: StateScope
  /** The circuit breaker: none, a `CircuitBreaker` per process, or one `FleetCircuitBreaker` for the fleet. */
  readonly breaker: 'none' | StateScope
  /** The bucket's capacity. @default HTTP_TOKEN_BUDGET_DEFAULTS.maxTokens (20) */
  readonly maxTokens?: number | undefined
  /** Tokens per success. @default HTTP_TOKEN_BUDGET_DEFAULTS.tokenRatio (2) */
  readonly tokenRatio?: number | undefined
}

/** How fleet state is synced: every `syncIntervalMs`, over a Redis round trip of `redisRttMs`. */
export interface SyncModel {
  /** The fleet objects' `syncIntervalMs`. */
  readonly syncIntervalMs: number
  /** Redis round trip, in ms: each way is normal(rtt/2, rtt/10). */
  readonly redisRttMs: number
}

/**
 * The upstream. `flaky`: answers after the network delay; an attempt that reaches it within
 * [fromMs, toMs) fails (503) with `failureProbability`, any other succeeds. `fifo`: one queue
 * served in arrival order at `capacityPerS`, stopped for `pauseMs` from `pauseAtMs` (it serves
 * every queued request, also those whose client has already timed out).
 */
export type FleetServer =
  | {
      readonly kind: 'flaky'
      readonly failureProbability: number
      readonly fromMs?: number | undefined
      readonly toMs?: number | undefined
    }
  | { readonly kind: 'fifo'; readonly capacityPerS: number; readonly pauseAtMs: number; readonly pauseMs: number }

/** One run of a fleet. */
export interface FleetLoopConfig {
  /** Processes (clients) in the fleet. */
  readonly processes: number
  /** New requests per second per process (Poisson). */
  readonly requestsPerSecondPerProcess: number
  /** New requests are sent during [0, durationMs). */
  readonly durationMs: number
  /** An attempt without an answer after this many ms fails with a `TimeoutError`. */
  readonly timeoutMs: number
  readonly server: FleetServer
  readonly setup: FleetSetup
  readonly sync: SyncModel
  readonly seed: number
  /** Bucket width of the per-bucket series, in ms. @default 100 */
  readonly bucketMs?: number | undefined
  /** Keep each attempt's latency per bucket (for recovery times). @default false */
  readonly keepLatencies?: boolean | undefined
}

/** What a fleet run measured. */
export interface FleetLoopResult {
  readonly requests: number
  readonly attempts: number
  readonly succeeded: number
  /** Requests the breaker refused before any attempt. */
  readonly rejected: number
  /** Per bucket: attempts sent (first attempts and retries). */
  readonly attemptsPerBucket: number[]
  /** Per bucket: retries sent. */
  readonly retriesPerBucket: number[]
  /** Per bucket: attempts of half-open probe requests. */
  readonly probeAttemptsPerBucket: number[]
  /** Per bucket: successful answers that reached a waiting client. */
  readonly goodPerBucket: number[]
  /** Per bucket: latencies of attempts that ended in it (timeouts are `Infinity`); empty unless `keepLatencies`. */
  readonly latenciesPerBucket: number[][]
  /** When the last retry was sent, in ms (`-1`: none). */
  readonly lastRetryMs: number
  /** When the last attempt that was not part of a probe request was sent, in ms. */
  readonly lastNonProbeAttemptMs: number
  /** Half-open probe requests admitted. */
  readonly probes: number
  /** Script calls the simulated Redis served. */
  readonly redisCalls: number
  readonly bucketMs: number
}

const TIMEOUT: Error = Object.assign(new Error('no answer within the client timeout'), { name: 'TimeoutError' })
const UNAVAILABLE: Error = Object.assign(new Error('503 Service Unavailable'), { status: 503 })

/** Records whether the last admission was the half-open probe (instrumentation only). */
class ProbeSpy implements CircuitBreakerLike {
  lastProbe = false
  readonly #inner: CircuitBreakerLike
  constructor(inner: CircuitBreakerLike) {
    this.#inner = inner
  }
  get state(): CircuitState {
    return this.#inner.state
  }
  admit(): BreakerAdmission {
    const admission = this.#inner.admit()
    this.lastProbe = admission.probe
    return admission
  }
  record(outcome: BreakerOutcome, admission: BreakerAdmission): CircuitState | undefined {
    return this.#inner.record(outcome, admission)
  }
}

interface Process {
  readonly start: () => StepRun
  readonly spy: ProbeSpy | undefined
}

interface Request {
  readonly run: StepRun
  readonly probe: boolean
  attempts: number
}

interface Attempt {
  readonly request: Request
  readonly sentMs: number
  settled: boolean
}

/** One fleet object's sync, as a driver sees it (the real objects' own beginSync/endSync). */
interface Sync {
  readonly begin: (nowMs: number) => unknown
  readonly apply: (request: unknown, nowMs: number) => unknown
  readonly end: (reply: unknown, nowMs: number) => void
  seq: number
  timerAt: number | undefined
  inFlight: boolean
  again: boolean
}

type Event =
  | { readonly kind: 'arrival' }
  | { readonly kind: 'retry'; readonly request: Request }
  | { readonly kind: 'atServer'; readonly attempt: Attempt }
  | { readonly kind: 'served' }
  | { readonly kind: 'answer'; readonly attempt: Attempt; readonly ok: boolean }
  | { readonly kind: 'timeout'; readonly attempt: Attempt }
  | { readonly kind: 'syncTick'; readonly sync: Sync; readonly seq: number }
  | { readonly kind: 'syncApply'; readonly sync: Sync; readonly request: unknown }
  | { readonly kind: 'syncReply'; readonly sync: Sync; readonly reply: unknown }

/**
 * A fleet of processes, each running the real `httpPolicy` (step API) with the set-up's budget
 * and breaker, against one upstream, on a virtual clock. Fleet-wide objects are the real
 * `FleetTokenBudget`/`FleetCircuitBreaker` of `@redress/redis`: each answers from its local view
 * and syncs every `syncIntervalMs` (first at a random phase), or at once when it says something
 * urgent; a sync reaches the simulated Redis after half a round trip, is applied there by
 * `applyBudgetSync`/`applyBreakerSync` (the Lua scripts' twins, held to them by the package's
 * tests) on Redis's clock, and its reply comes back after the other half. Upstream messages take
 * normal(10 ms, 2 ms) each way.
 */
export function runFleetLoop(config: FleetLoopConfig): FleetLoopResult {
  const { processes: n, server, timeoutMs, durationMs, setup, sync: model } = config
  const bucketMs = config.bucketMs ?? 100
  const keepLatencies = config.keepLatencies ?? false
  const arrivals = seededRandom(deriveSeed(config.seed, 'arrivals'))
  const delay = normalSampler(seededRandom(deriveSeed(config.seed, 'network')), 10, 2)
  const redisWay = normalSampler(
    seededRandom(deriveSeed(config.seed, 'redis')),
    model.redisRttMs / 2,
    model.redisRttMs / 10,
  )
  const phases = seededRandom(deriveSeed(config.seed, 'phases'))
  const failures = seededRandom(deriveSeed(config.seed, 'failures'))
  const jitter = seededRandom(deriveSeed(config.seed, 'policy'))
  let nowMs = 0
  const clock: Clock = { now: (): number => nowMs }
  const queue = new EventQueue<Event>()

  // The simulated Redis: one bucket and one breaker (one upstream).
  let storedBudget: number | undefined
  let storedBreaker: StoredBreaker | undefined
  let redisCalls = 0

  const tickAt = (s: Sync, at: number): void => {
    if (s.timerAt !== undefined && s.timerAt <= at) return
    s.timerAt = at
    queue.push(at, { kind: 'syncTick', sync: s, seq: ++s.seq })
  }
  const driven = (
    participant: {
      setSyncHooks(h: { wake(): void; urgent(): void }): void
      beginSync(now: number): unknown
      endSync(reply: never, now: number): void
    },
    apply: (request: never, now: number) => unknown,
  ): void => {
    const s: Sync = {
      begin: (now) => participant.beginSync(now),
      apply: apply as (request: unknown, now: number) => unknown,
      end: participant.endSync.bind(participant) as (reply: unknown, now: number) => void,
      seq: 0,
      timerAt: undefined,
      inFlight: false,
      again: false,
    }
    const soon = (): void => {
      if (s.inFlight) s.again = true
      else tickAt(s, nowMs)
    }
    participant.setSyncHooks({ wake: soon, urgent: soon })
    tickAt(s, phases() * model.syncIntervalMs)
  }

  const makeProcess = (index: number): Process => {
    // Budgets and breakers are the subject: no client-side throttle on first attempts.
    const policy = httpPolicy({ clock, random: jitter, budget: null, throttle: null })
    const maxTokens = setup.maxTokens ?? HTTP_TOKEN_BUDGET_DEFAULTS.maxTokens
    const tokenRatio = setup.tokenRatio ?? HTTP_TOKEN_BUDGET_DEFAULTS.tokenRatio
    let budget: RetryBudget
    if (setup.budget === 'fleet') {
      const b = new FleetTokenBudget({ clock, maxTokens, tokenRatio })
      driven(b, (request: Parameters<typeof applyBudgetSync>[1]) => {
        const r = applyBudgetSync(storedBudget, request)
        storedBudget = r.stored
        return r.reply
      })
      budget = b
    } else {
      budget = new TokenBudget({ maxTokens, tokenRatio })
    }
    let breaker: CircuitBreakerLike | undefined
    if (setup.breaker === 'fleet') {
      const b = new FleetCircuitBreaker({ clock }, 'sim', `p${index}`)
      driven(b, (request: Parameters<typeof applyBreakerSync>[1], now: number) => {
        const r = applyBreakerSync(storedBreaker, request, now)
        storedBreaker = r.stored
        return r.reply
      })
      breaker = b
    } else if (setup.breaker === 'process') {
      breaker = new CircuitBreaker({ clock })
    }
    const spy = breaker === undefined ? undefined : new ProbeSpy(breaker)
    const options = spy === undefined ? { budget } : { budget, circuitBreaker: spy }
    return { start: () => policy.start(options), spy }
  }
  const fleet: Process[] = []
  for (let i = 0; i < n; i++) fleet.push(makeProcess(i))

  const buckets = Math.ceil(durationMs / bucketMs)
  const zeros = (): number[] => new Array<number>(buckets).fill(0)
  const attemptsPerBucket = zeros()
  const retriesPerBucket = zeros()
  const probeAttemptsPerBucket = zeros()
  const goodPerBucket = zeros()
  const latenciesPerBucket: number[][] = keepLatencies ? Array.from({ length: buckets }, () => []) : []
  let requests = 0
  let attempts = 0
  let succeeded = 0
  let rejected = 0
  let probes = 0
  let lastRetryMs = -1
  let lastNonProbeAttemptMs = -1
  let open = 0
  let arrivalsDone = false

  const fifoQueue: Attempt[] = []
  let fifoHead = 0
  let busy = false
  const serviceMs = server.kind === 'fifo' ? 1000 / server.capacityPerS : 0
  const meanGapMs = 1000 / (n * config.requestsPerSecondPerProcess)
  const nextGap = (): number => -Math.log(1 - arrivals()) * meanGapMs
  queue.push(nextGap(), { kind: 'arrival' })
  const bucketOf = (ms: number): number => Math.floor(ms / bucketMs)
  const add = (series: number[], ms: number): void => {
    const b = bucketOf(ms)
    if (b < buckets) series[b] = (series[b] ?? 0) + 1
  }

  /** Asks the run before an attempt (the breaker on the first, the deadline on every one); sends it if allowed. */
  const attempt = (request: Request): void => {
    if (request.run.beginAttempt() !== undefined) {
      open--
      return
    }
    request.attempts++
    attempts++
    add(attemptsPerBucket, nowMs)
    if (request.attempts > 1) {
      add(retriesPerBucket, nowMs)
      lastRetryMs = nowMs
    }
    if (request.probe) add(probeAttemptsPerBucket, nowMs)
    else lastNonProbeAttemptMs = nowMs
    const a: Attempt = { request, sentMs: nowMs, settled: false }
    queue.push(nowMs + delay(), { kind: 'atServer', attempt: a })
    if (Number.isFinite(timeoutMs)) queue.push(nowMs + timeoutMs, { kind: 'timeout', attempt: a })
  }
  const startService = (): void => {
    if (server.kind !== 'fifo') return
    let start = nowMs
    if (start >= server.pauseAtMs && start < server.pauseAtMs + server.pauseMs)
      start = server.pauseAtMs + server.pauseMs
    busy = true
    queue.push(start + serviceMs, { kind: 'served' })
  }
  const settle = (a: Attempt, ok: boolean, error: Error): void => {
    a.settled = true
    const b = bucketOf(nowMs)
    if (keepLatencies) latenciesPerBucket[b]?.push(ok || error !== TIMEOUT ? nowMs - a.sentMs : Infinity)
    if (ok) {
      add(goodPerBucket, nowMs)
      a.request.run.recordSuccess()
      succeeded++
      open--
      return
    }
    const d = a.request.run.recordFailure(error)
    if (d.retry) queue.push(nowMs + d.delayMs, { kind: 'retry', request: a.request })
    else open--
  }

  for (let e = queue.pop(); e !== undefined; e = queue.pop()) {
    nowMs = e.timeMs
    const ev = e.payload
    switch (ev.kind) {
      case 'arrival': {
        const p = fleet[Math.floor(arrivals() * n)] as Process
        const run = p.start()
        requests++
        open++
        // The breaker admits (or refuses) the request at its first attempt.
        if (p.spy !== undefined) p.spy.lastProbe = false
        const stop = run.beginAttempt()
        if (stop !== undefined) {
          rejected++
          open--
        } else {
          const isProbe = p.spy?.lastProbe === true
          if (isProbe) probes++
          const request: Request = { run, probe: isProbe, attempts: 0 }
          attempt(request)
        }
        const next = nowMs + nextGap()
        if (next < durationMs) queue.push(next, { kind: 'arrival' })
        else arrivalsDone = true
        break
      }
      case 'retry':
        attempt(ev.request)
        break
      case 'atServer':
        if (server.kind === 'flaky') {
          const inWindow = nowMs >= (server.fromMs ?? 0) && nowMs < (server.toMs ?? Infinity)
          const ok = !inWindow || failures() >= server.failureProbability
          queue.push(nowMs + delay(), { kind: 'answer', attempt: ev.attempt, ok })
        } else {
          fifoQueue.push(ev.attempt)
          if (!busy) startService()
        }
        break
      case 'served': {
        const a = fifoQueue[fifoHead] as Attempt
        fifoHead++
        if (fifoHead > 65_536 && fifoHead * 2 > fifoQueue.length) {
          fifoQueue.splice(0, fifoHead)
          fifoHead = 0
        }
        queue.push(nowMs + delay(), { kind: 'answer', attempt: a, ok: true })
        busy = false
        if (fifoHead < fifoQueue.length) startService()
        break
      }
      case 'answer':
        if (!ev.attempt.settled) settle(ev.attempt, ev.ok, UNAVAILABLE)
        break
      case 'timeout':
        if (!ev.attempt.settled) settle(ev.attempt, false, TIMEOUT)
        break
      case 'syncTick': {
        const s = ev.sync
        if (ev.seq !== s.seq) break // superseded by an earlier tick
        s.timerAt = undefined
        if (s.inFlight) break
        const request = s.begin(nowMs)
        if (request === undefined) break // idle: woken by its next use
        s.inFlight = true
        s.again = false
        queue.push(nowMs + redisWay(), { kind: 'syncApply', sync: s, request })
        break
      }
      case 'syncApply':
        redisCalls++
        queue.push(nowMs + redisWay(), { kind: 'syncReply', sync: ev.sync, reply: ev.sync.apply(ev.request, nowMs) })
        break
      case 'syncReply': {
        const s = ev.sync
        s.inFlight = false
        s.end(ev.reply, nowMs)
        tickAt(s, nowMs + (s.again ? 0 : model.syncIntervalMs))
        break
      }
    }
    // Syncs never stop on their own; the run ends when the traffic has.
    if (arrivalsDone && open === 0) break
  }
  return {
    requests,
    attempts,
    succeeded,
    rejected,
    attemptsPerBucket,
    retriesPerBucket,
    probeAttemptsPerBucket,
    goodPerBucket,
    latenciesPerBucket,
    lastRetryMs,
    lastNonProbeAttemptMs,
    probes,
    redisCalls,
    bucketMs,
  }
}
