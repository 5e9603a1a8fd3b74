import type { Clock, StepRun } from '@redress/core'
import { seededRandom } from '@redress/core/testing'
import { deriveSeed } from './deriveSeed.ts'
import { EventQueue } from './EventQueue.ts'
import { normalSampler } from './normalSampler.ts'

/**
 * How the simulated server answers.
 * - `fifo`: one queue served in arrival order at `capacityPerS` requests per second,
 *   stopped for `pauseMs` from `pauseAtMs`. It serves every queued request, also those
 *   whose client has already timed out: that work is wasted.
 * - `flaky`: answers at once; each attempt fails (HTTP 503) with `failureProbability`
 *   (1 is a total outage).
 */
export type ServerModel =
  | { readonly kind: 'fifo'; readonly capacityPerS: number; readonly pauseAtMs: number; readonly pauseMs: number }
  | { readonly kind: 'flaky'; readonly failureProbability: number }

/**
 * What the simulator drives of one request's run: the step API (`StepRun` has it). The first
 * attempt is preceded by `beginAttempt()`, where a client-side throttle may refuse the request
 * locally: then it is never sent.
 */
export type SimRun = Pick<StepRun, 'beginAttempt' | 'recordFailure' | 'recordSuccess'>

/** Starts one request's run on a client: the client's real policy, with its budget. */
export type StartRun = () => SimRun

/** One open-loop simulation: clients send requests as a Poisson process, whatever happens to earlier ones. */
export interface OpenLoopConfig {
  /** How many clients; each has its own policy and budget. */
  readonly clients: number
  /** New requests per second per client (Poisson). */
  readonly requestsPerSecondPerClient: number
  /** New requests are sent during [0, durationMs); the run ends when the last one has settled. */
  readonly durationMs: number
  /** An attempt without an answer after this many ms fails with a `TimeoutError`. */
  readonly timeoutMs: number
  /** The server. */
  readonly server: ServerModel
  /** Seed: arrivals, the network, server failures and jitter each get their own stream. */
  readonly seed: number
  /** Builds client `index`: called once per client, with the simulation's virtual clock and random source. */
  readonly makeClient: (index: number, clock: Clock, random: () => number) => StartRun
  /** Width of the time buckets of the per-bucket series, in ms. @default 100 */
  readonly bucketMs?: number | undefined
  /** Whether to keep each attempt's latency per bucket (needed for recovery times). @default false */
  readonly keepLatencies?: boolean | undefined
}

/** What an open-loop simulation measured. */
export interface OpenLoopResult {
  /** Original requests sent. */
  readonly requests: number
  /** Attempts sent (first attempts and retries). */
  readonly attempts: number
  /** Original requests that eventually succeeded. */
  readonly succeeded: number
  /** Original requests the client refused locally (never sent: a throttle's admission said no). */
  readonly refused: number
  /** When each request was first sent, in ms. */
  readonly requestStartMs: Float64Array
  /** How many attempts each request made. */
  readonly requestAttempts: Uint16Array
  /** Per bucket of [0, durationMs): attempts sent. */
  readonly attemptsPerBucket: number[]
  /** Per bucket: successful answers that reached a waiting client. */
  readonly goodPerBucket: number[]
  /** Per bucket: requests the client refused locally (never sent; they failed at once). */
  readonly refusedPerBucket: number[]
  /** Per bucket: latencies of attempts that ended in it, in ms (a timeout is `Infinity`); empty unless `keepLatencies`. */
  readonly latenciesPerBucket: number[][]
  /** Requests the server processed in all. */
  readonly serverCompletions: number
  /** Of those, answers that reached the client after it had given up on them. */
  readonly wastedCompletions: number
  /** The bucket width, in ms. */
  readonly bucketMs: number
}

interface Request {
  readonly run: SimRun
  readonly index: number
}

interface Attempt {
  readonly request: Request
  readonly sentMs: number
  settled: boolean
}

type OpenLoopEvent =
  | { readonly kind: 'arrival' }
  | { readonly kind: 'retry'; readonly request: Request }
  | { readonly kind: 'atServer'; readonly attempt: Attempt }
  | { readonly kind: 'served' }
  | { readonly kind: 'answer'; readonly attempt: Attempt; readonly ok: boolean }
  | { readonly kind: 'timeout'; readonly attempt: Attempt }

const TIMEOUT: Error = Object.assign(new Error('no answer within the client timeout'), { name: 'TimeoutError' })
const UNAVAILABLE: Error = Object.assign(new Error('503 Service Unavailable'), { status: 503 })
const ARRIVAL: OpenLoopEvent = Object.freeze({ kind: 'arrival' })
const SERVED: OpenLoopEvent = Object.freeze({ kind: 'served' })

/**
 * Drives each client's real `RetryPolicy` (step API) against a simulated server on a
 * virtual clock. Every message takes normal(10 ms, 2 ms) one way.
 */
export function runOpenLoop(config: OpenLoopConfig): OpenLoopResult {
  const { clients, server, timeoutMs, durationMs } = config
  const bucketMs = config.bucketMs ?? 100
  const keepLatencies = config.keepLatencies ?? false
  const arrivals = seededRandom(deriveSeed(config.seed, 'arrivals'))
  const delay = normalSampler(seededRandom(deriveSeed(config.seed, 'network')), 10, 2)
  const failures = seededRandom(deriveSeed(config.seed, 'failures'))
  const jitter = seededRandom(deriveSeed(config.seed, 'policy'))
  let nowMs = 0
  const clock: Clock = { now: (): number => nowMs }
  const starters: StartRun[] = []
  for (let c = 0; c < clients; c++) starters.push(config.makeClient(c, clock, jitter))

  const buckets = Math.ceil(durationMs / bucketMs)
  const attemptsPerBucket: number[] = new Array<number>(buckets).fill(0)
  const goodPerBucket: number[] = new Array<number>(buckets).fill(0)
  const refusedPerBucket: number[] = new Array<number>(buckets).fill(0)
  const latenciesPerBucket: number[][] = keepLatencies ? Array.from({ length: buckets }, () => []) : []
  const expected = Math.ceil(clients * config.requestsPerSecondPerClient * (durationMs / 1000) * 1.2) + 16
  let requestStartMs = new Float64Array(expected)
  let requestAttempts = new Uint16Array(expected)
  let requests = 0
  let attempts = 0
  let succeeded = 0
  let refused = 0
  let open = 0
  let arrivalsDone = false
  let serverCompletions = 0
  let wastedCompletions = 0

  const fifoQueue: Attempt[] = []
  let fifoHead = 0
  let busy = false
  const serviceMs = server.kind === 'fifo' ? 1000 / server.capacityPerS : 0

  const queue = new EventQueue<OpenLoopEvent>()
  const meanGapMs = 1000 / (clients * config.requestsPerSecondPerClient)
  const nextGap = (): number => -Math.log(1 - arrivals()) * meanGapMs
  queue.push(nextGap(), ARRIVAL)

  // Events after `durationMs` (the last requests settling) fall outside every bucket.
  const bucketOf = (ms: number): number => Math.floor(ms / bucketMs)
  const send = (request: Request): void => {
    attempts++
    requestAttempts[request.index] = (requestAttempts[request.index] ?? 0) + 1
    const b = bucketOf(nowMs)
    if (b < buckets) attemptsPerBucket[b] = (attemptsPerBucket[b] ?? 0) + 1
    const attempt: Attempt = { request, sentMs: nowMs, settled: false }
    queue.push(nowMs + delay(), { kind: 'atServer', attempt })
    if (Number.isFinite(timeoutMs)) queue.push(nowMs + timeoutMs, { kind: 'timeout', attempt })
  }
  const startService = (): void => {
    let start = nowMs
    if (server.kind === 'fifo' && start >= server.pauseAtMs && start < server.pauseAtMs + server.pauseMs) {
      start = server.pauseAtMs + server.pauseMs
    }
    busy = true
    queue.push(start + serviceMs, SERVED)
  }
  const settle = (attempt: Attempt, ok: boolean, error: unknown): void => {
    attempt.settled = true
    const b = bucketOf(nowMs)
    if (keepLatencies) latenciesPerBucket[b]?.push(ok || error !== TIMEOUT ? nowMs - attempt.sentMs : Infinity)
    const { request } = attempt
    if (ok) {
      if (b < buckets) goodPerBucket[b] = (goodPerBucket[b] ?? 0) + 1
      request.run.recordSuccess()
      succeeded++
      open--
      return
    }
    const d = request.run.recordFailure(error)
    if (d.retry) queue.push(nowMs + d.delayMs, { kind: 'retry', request })
    else open--
  }

  for (let e = queue.pop(); e !== undefined; e = queue.pop()) {
    nowMs = e.timeMs
    const ev = e.payload
    switch (ev.kind) {
      case 'arrival': {
        if (requests === requestStartMs.length) {
          requestStartMs = grow(requestStartMs, new Float64Array(requests * 2))
          requestAttempts = grow(requestAttempts, new Uint16Array(requests * 2))
        }
        const client = Math.floor(arrivals() * clients)
        const request: Request = { run: (starters[client] as StartRun)(), index: requests }
        requestStartMs[requests] = nowMs
        requests++
        if (request.run.beginAttempt() === undefined) {
          open++
          send(request)
        } else {
          refused++
          const b = bucketOf(nowMs)
          refusedPerBucket[b] = (refusedPerBucket[b] ?? 0) + 1
        }
        const next = nowMs + nextGap()
        if (next < durationMs) queue.push(next, ARRIVAL)
        else arrivalsDone = true
        break
      }
      case 'retry':
        send(ev.request)
        break
      case 'atServer':
        if (server.kind === 'flaky') {
          queue.push(nowMs + delay(), {
            kind: 'answer',
            attempt: ev.attempt,
            ok: failures() >= server.failureProbability,
          })
        } else {
          fifoQueue.push(ev.attempt)
          if (!busy) startService()
        }
        break
      case 'served': {
        const attempt = fifoQueue[fifoHead] as Attempt
        fifoHead++
        // Compact now and then so the served prefix does not pin memory.
        if (fifoHead > 65_536 && fifoHead * 2 > fifoQueue.length) {
          fifoQueue.splice(0, fifoHead)
          fifoHead = 0
        }
        serverCompletions++
        queue.push(nowMs + delay(), { kind: 'answer', attempt, ok: true })
        busy = false
        if (fifoHead < fifoQueue.length) startService()
        break
      }
      case 'answer':
        if (ev.attempt.settled) {
          // The answer came back after the client's timeout: the server's work was wasted.
          if (server.kind === 'fifo') wastedCompletions++
          break
        }
        settle(ev.attempt, ev.ok, UNAVAILABLE)
        break
      case 'timeout':
        if (!ev.attempt.settled) settle(ev.attempt, false, TIMEOUT)
        break
    }
    if (arrivalsDone && open === 0) break
  }
  return {
    requests,
    attempts,
    succeeded,
    refused,
    requestStartMs: requestStartMs.subarray(0, requests),
    requestAttempts: requestAttempts.subarray(0, requests),
    attemptsPerBucket,
    goodPerBucket,
    refusedPerBucket,
    latenciesPerBucket,
    serverCompletions,
    wastedCompletions,
    bucketMs,
  }
}

function grow<A extends Float64Array | Uint16Array>(from: A, to: A): A {
  to.set(from)
  return to
}
