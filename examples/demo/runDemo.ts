import { decorrelatedJitter, type RetryPolicy } from '@redress/core'
import { httpPolicy } from '@redress/core/http'
import { seededRandom } from '@redress/core/testing'
import { axiosClient } from './clients/axiosClient.ts'
import { fetchClient } from './clients/fetchClient.ts'
import { kyClient } from './clients/kyClient.ts'
import { naiveClient } from './clients/naiveClient.ts'
import { undiciClient } from './clients/undiciClient.ts'
import { type DemoClient, isFailedCall } from './DemoClient.ts'
import { FlakyUpstream } from './FlakyUpstream.ts'
import type { Printer } from './Printer.ts'
import { printSummary } from './printSummary.ts'
import { SCENARIO } from './scenario.ts'
import { TimelineRecorder } from './TimelineRecorder.ts'

/** The caller's deadline for each call, in ms: redress enforces it, the naive loop is measured against it. */
export const CALL_DEADLINE_MS = 2_000
/** Per-attempt timeout of the redress policy, in ms. */
export const ATTEMPT_TIMEOUT_MS = 500

/** What one client did to the upstream over the whole scenario. Every number is measured. */
export interface ClientRun {
  /** The client's name. */
  readonly client: string
  /** True for the redress adapters, false for the naive loop. */
  readonly redress: boolean
  /** Requests that reached the upstream (counted by the server). */
  readonly requests: number
  /** POST bodies the server received twice (counted by the server). */
  readonly postsDuplicated: number
  /** Wall time of the whole scenario, in ms. */
  readonly elapsedMs: number
  /** Calls that took longer than {@link CALL_DEADLINE_MS}. */
  readonly pastDeadline: number
  /** Calls whose caller got an error, a 5xx or a 429. */
  readonly failedCalls: number
  /** Requests the upstream received during its outage. */
  readonly outageRequests: number
  /** Wall time spent on the calls made during the outage, in ms. */
  readonly outageElapsedMs: number
}

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Seed of the jitter's random source, so every run picks the same sleeps. @default 7 */
  readonly seed?: number
}

/** The demo's per-origin retry budget, in tokens: small enough for its short outage to drain. */
const DEMO_BUDGET_TOKENS = 6

/**
 * Runs the scenario through redressFetch, the axios interceptor, the undici interceptor and
 * ky + redressFetch, then through a naive retry loop, printing each request's timeline and
 * a side-by-side summary. Returns the measured numbers.
 */
export async function runDemo(out: Printer, options: DemoOptions = {}): Promise<ClientRun[]> {
  const seed = options.seed ?? 7
  const upstream = new FlakyUpstream()
  await upstream.start()
  const recorder = new TimelineRecorder(out)
  // One fresh policy per client, so each starts with a full per-origin budget and tells the same story.
  const policy = (): RetryPolicy =>
    httpPolicy({
      strategy: decorrelatedJitter({ baseMs: 50, maxMs: 400 }),
      maxAttempts: 3,
      deadlineMs: CALL_DEADLINE_MS,
      attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
      // A small bucket, so an outage of three calls drains it (the default, 20 tokens, is sized
      // for sustained traffic: pnpm sim); refused retries then fail fast instead of adding load.
      tokenBudget: { maxTokens: DEMO_BUDGET_TOKENS },
      random: seededRandom(seed),
      ...recorder.hooks(),
    })
  const clients: DemoClient[] = [
    fetchClient(upstream.origin, policy()),
    axiosClient(upstream.origin, policy()),
    undiciClient(upstream.origin, policy()),
    kyClient(upstream.origin, policy()),
    naiveClient(upstream.origin, (attempt) => recorder.naive(attempt)),
  ]
  out.line(out.paint('bold', `redress demo — a flaky upstream on ${upstream.origin}`))
  out.line(
    out.paint(
      'dim',
      `policy: httpPolicy, 3 attempts, ${CALL_DEADLINE_MS} ms deadline per call, ${ATTEMPT_TIMEOUT_MS} ms per attempt, ` +
        `decorrelated jitter 50–400 ms, Retry-After honoured, a retry budget of ${DEMO_BUDGET_TOKENS} tokens per origin; jitter seed ${seed}`,
    ),
  )
  const runs: ClientRun[] = []
  try {
    for (const client of clients) {
      out.line()
      out.line(out.paint('bold', `━━ ${client.name} ━━`))
      upstream.beginRun()
      const started = performance.now()
      let pastDeadline = 0
      let failedCalls = 0
      let outageElapsedMs = 0
      for (const step of SCENARIO) {
        recorder.begin(step)
        const result = await client.send(step)
        const elapsedMs = recorder.end(result)
        if (elapsedMs > CALL_DEADLINE_MS) pastDeadline++
        if (isFailedCall(result)) failedCalls++
        if (step.duringOutage) outageElapsedMs += elapsedMs
      }
      const stats = upstream.stats()
      runs.push({
        client: client.name,
        redress: client.name !== 'naive loop',
        requests: stats.requests,
        postsDuplicated: stats.postsDuplicated,
        elapsedMs: performance.now() - started,
        pastDeadline,
        failedCalls,
        outageRequests: stats.outageRequests,
        outageElapsedMs,
      })
    }
  } finally {
    await Promise.all(clients.map((c) => c.close()))
    await upstream.close()
  }
  printSummary(out, runs, SCENARIO.length)
  return runs
}
