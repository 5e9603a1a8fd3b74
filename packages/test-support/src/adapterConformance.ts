import { type AdmissionThrottle, type EventTags, isThrottledError, ThrottledError } from '@redress/core'
import { httpPolicy } from '@redress/core/http'
import { FakeClock, seededRandom } from '@redress/core/testing'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AdapterDriver, ConformanceClient, ConformanceClientOptions } from './AdapterDriver.ts'
import { closedPortOrigin } from './closedPortOrigin.ts'
import { BASE_SLEEP_MS, CONFORMANCE_ROWS, OK, ok } from './conformanceRows.ts'
import { type FaultScript, type FaultServer, startFaultServer } from './startFaultServer.ts'
import { virtualPolicy } from './virtualPolicy.ts'
import { WatchedClock } from './WatchedClock.ts'

/** A client-side throttle that refuses every request. */
const REFUSE_ALL: AdmissionThrottle = { admit: () => false, recordSuccess: () => {}, recordFailure: () => {} }

/** Every `code` along an error's `cause` chain and inside aggregate errors (bounded depth). */
function errorCodes(error: unknown, depth = 0): string[] {
  if (typeof error !== 'object' || error === null || depth > 8) return []
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown }
  const own = typeof code === 'string' ? [code] : []
  const nested = Array.isArray(errors) ? errors.flatMap((e: unknown) => errorCodes(e, depth + 1)) : []
  return [...own, ...errorCodes(cause, depth + 1), ...nested]
}

/** Requests per pool scenario, and how many are in flight at once. */
const POOL_REQUESTS = 1_000
const POOL_CONCURRENCY = 8
const POOL_CONNECTIONS = 2
/** The most sockets a pool without a size may open in the pool scenario: each carries 10 requests or more. */
const UNSIZED_POOL_MAX_SOCKETS = POOL_REQUESTS / 10
/** More than a transport buffers for an unread body: a discarded response left unreleased pins its socket. */
const POOL_FAILURE_BODY = 'x'.repeat(32 * 1024)

/**
 * Registers the adapter conformance suite for `driver`: one `describe` of `it` blocks run against
 * a real `node:http` fault server on 127.0.0.1 (and a closed port for refused connections), every
 * policy on virtual time. It covers what every adapter must do alike — a reset before the headers
 * is retried, a refused POST is retried, a POST reset after it was sent is not, a stream body is
 * sent once, `Retry-After` in seconds and as an HTTP-date (an obsolete RFC 850 one included) and the
 * RateLimit fields give the exact sleep, a `103 Early Hints` is not taken for the response (nor keeps a silent attempt past `attemptTimeoutMs`), an abort during a
 * long backoff rejects at once leaving no timer, events carry the `method`, `host` and `status`
 * tags, a request the client-side throttle refuses is never sent and rejects with
 * `ThrottledError`, an origin that keeps answering 503 is shed, and 1 000 requests through a
 * pool of two connections reuse them. Adapter test files keep only what is specific to their
 * transport.
 *
 * @example
 * adapterConformance({ name: 'redressFetch', makeClient: ({ origin, redress }) => ... })
 */
export function adapterConformance(driver: AdapterDriver): void {
  const isAbortRejection = driver.isAbortRejection ?? ((error: unknown, reason: unknown) => error === reason)

  describe(`${driver.name}: adapter conformance`, () => {
    const closers: Array<() => Promise<unknown>> = []
    afterEach(async () => {
      vi.useRealTimers()
      for (const close of closers.splice(0).reverse()) await close()
    })

    async function serve(script: FaultScript): Promise<FaultServer> {
      const server = await startFaultServer(script)
      closers.push(() => server.close())
      return server
    }

    /** The driver's client, closed once: by the test or, at the latest, after it. */
    function client(options: ConformanceClientOptions): ConformanceClient {
      const made = driver.makeClient(options)
      let closed: Promise<void> | undefined
      const close = (): Promise<void> => {
        closed ??= made.close()
        return closed
      }
      closers.push(close)
      return { send: (request) => made.send(request), close }
    }

    for (const row of CONFORMANCE_ROWS)
      it(row.name, async () => {
        if (row.dateNowMs !== undefined) vi.useFakeTimers({ toFake: ['Date'], now: row.dateNowMs })
        const server = row.script === undefined ? undefined : await serve(row.script)
        const origin = server?.origin ?? (await closedPortOrigin())
        const errors: unknown[] = []
        const { policy, sleeps } = virtualPolicy({ budget: null, onAttemptEnd: (ctx) => errors.push(ctx.error) })
        const outcome = await client({ origin, redress: { policy } })
          .send(row.request)
          .catch((error: unknown) => ({ error }))
        const { expected } = row
        if (expected.outcome === 'network error') {
          if (!('error' in outcome)) throw new Error(`expected a rejection, got a ${outcome.status} response`)
          // The caller gets the last attempt's error itself, not a wrapper.
          expect(outcome.error).toBe(errors.at(-1))
          for (const code of row.codes ?? []) expect(errorCodes(outcome.error)).toContain(code)
        } else {
          expect(outcome).toEqual(expected.outcome)
        }
        expect(errors).toHaveLength(expected.attempts)
        expect(sleeps).toEqual(expected.sleeps)
        expect(server?.requests.map((r) => r.body) ?? []).toEqual(expected.received)
      })

    it('rejects at once when the caller aborts during a long Retry-After sleep, leaving no timer and sending nothing more', async () => {
      const server = await serve([{ status: 503, headers: { 'retry-after': '30' } }, ok])
      // No sleeper: the backoff sleeps on the fake clock, which only this test advances (and waits on).
      const clock = new WatchedClock()
      const policy = httpPolicy({ budget: null, clock, random: () => 0 })
      const controller = new AbortController()
      const pending = client({ origin: server.origin, redress: { policy } })
        .send({ method: 'GET', path: '/wait', signal: controller.signal })
        .then(
          (response) => ({ response }),
          (error: unknown) => ({ error }),
        )
      // The Retry-After sleep has begun, and nothing else is pending.
      await clock.until(() => clock.pendingDueTimes.includes(30_000))
      expect(clock.pendingDueTimes).toEqual([30_000])
      const reason = new Error('the caller gave up')
      controller.abort(reason)
      const settled = await pending
      if (!('error' in settled)) throw new Error(`expected a rejection, got a ${settled.response.status} response`)
      expect(isAbortRejection(settled.error, reason), String(settled.error)).toBe(true)
      expect(clock.pendingCount).toBe(0)
      await clock.advance(60_000)
      expect(server.requests).toHaveLength(1)
    })

    it('aborts an attempt that sends a 103 Early Hints and then nothing at attemptTimeoutMs, and retries it (issue 14)', async () => {
      const server = await serve([{ hang: true, earlyHints: true }, ok])
      // The attempt timeout runs on the virtual clock, which only this test advances past it.
      const { clock, policy, sleeps } = virtualPolicy({ budget: null, attemptTimeoutMs: 5_000 })
      const pending = client({ origin: server.origin, redress: { policy } }).send({ method: 'GET', path: '/hints' })
      await server.until(() => server.requests.length === 1)
      await clock.advance(5_000)
      expect(await pending).toEqual(OK)
      expect(sleeps).toEqual([BASE_SLEEP_MS])
      expect(server.requests).toHaveLength(2)
      // The silent attempt's connection was let go of, not left for the transport's own timeouts.
      await server.until(() => server.openSockets <= 1)
    })

    it('tags events with the method, host and status of the request', async () => {
      const server = await serve([{ status: 503, body: 'busy' }, ok])
      const events: Array<[string, EventTags]> = []
      const { policy } = virtualPolicy({
        budget: null,
        onMetric: (event, _attempt, _sleepMs, tags) => events.push([event, { ...tags }]),
      })
      const response = await client({ origin: server.origin, redress: { policy } }).send({ method: 'GET', path: '/a' })
      expect(response).toEqual(OK)
      const host = new URL(server.origin).host
      expect(events).toEqual([
        ['retry', expect.objectContaining({ method: 'GET', host, status: 503, operation: `GET ${host}` })],
        ['success', expect.objectContaining({ method: 'GET', host, operation: `GET ${host}` })],
      ])
    })

    it('rejects a request the client-side throttle refuses with ThrottledError, and sends nothing (issue 16)', async () => {
      const server = await serve([ok])
      const policy = httpPolicy({ throttleFor: () => REFUSE_ALL })
      const outcome = await client({ origin: server.origin, redress: { policy } })
        .send({ method: 'GET', path: '/x' })
        .catch((error: unknown) => ({ error }))
      if (!('error' in outcome)) throw new Error(`expected a rejection, got a ${outcome.status} response`)
      expect(outcome.error).toBeInstanceOf(ThrottledError)
      expect(server.requests).toHaveLength(0)
    })

    it('sheds requests to an origin that keeps answering 503, keyed by its origin (issue 16)', async () => {
      const server = await serve([{ status: 503, body: 'down' }])
      const policy = httpPolicy({ clock: new FakeClock(), random: seededRandom(11), maxAttempts: 1 })
      const made = client({ origin: server.origin, redress: { policy } })
      let refused = 0
      let answered = 0
      for (let i = 0; i < 40; i++) {
        const outcome = await made.send({ method: 'GET', path: `/item/${i}` }).catch((error: unknown) => ({ error }))
        if ('error' in outcome) {
          expect(isThrottledError(outcome.error), String(outcome.error)).toBe(true)
          refused++
        } else {
          expect(outcome).toEqual({ status: 503, body: 'down' })
          answered++
        }
      }
      expect(answered + refused).toBe(40)
      expect(server.requests).toHaveLength(answered)
      expect(answered).toBeGreaterThanOrEqual(10)
      expect(refused).toBeGreaterThan(10)
      expect(Object.keys(policy.throttles())).toEqual([server.origin])
    })

    const pool = driver.sizedPool === false ? 'a pool without a size' : `${POOL_CONNECTIONS} keep-alive connections`
    it(`completes ${POOL_REQUESTS} requests failing 0–2 times each through ${pool}, reusing its sockets`, async () => {
      // Request /item/i fails i % 3 times with a 503 of 32 KiB, then answers its own path.
      const failuresOf = (i: number): number => i % 3
      const seen = new Map<string, number>()
      const server = await serve((_index, request) => {
        const count = (seen.get(request.url) ?? 0) + 1
        seen.set(request.url, count)
        const i = Number(request.url.split('/').pop())
        return count <= failuresOf(i) ? { status: 503, body: POOL_FAILURE_BODY } : { status: 200, body: request.url }
      })
      // Sleeps recorded, not advanced on one shared clock: a thousand runs' sleeps added up would
      // pass every run's deadline.
      const sleeps: number[] = []
      const { policy } = virtualPolicy({ budget: null, sleeper: async (ms) => void sleeps.push(ms) })
      const made = client({ origin: server.origin, redress: { policy }, connections: POOL_CONNECTIONS })
      const bodies: string[] = []
      let next = 0
      const worker = async (): Promise<void> => {
        while (next < POOL_REQUESTS) {
          const i = next++
          const response = await made.send({ method: 'GET', path: `/item/${i}` })
          bodies[i] = `${response.status} ${response.body}`
        }
      }
      await Promise.all(Array.from({ length: POOL_CONCURRENCY }, worker))
      const ids = Array.from({ length: POOL_REQUESTS }, (_, i) => i)
      expect(bodies).toEqual(ids.map((i) => `200 /item/${i}`))
      for (const i of ids) expect(seen.get(`/item/${i}`), `/item/${i}`).toBe(failuresOf(i) + 1)
      const failures = ids.reduce((sum, i) => sum + failuresOf(i), 0)
      expect(server.requests).toHaveLength(POOL_REQUESTS + failures)
      expect(sleeps).toHaveLength(failures)
      // Every discarded 503 was released, so the same sockets carried every request: a socket
      // pinned by an unread body would have had to be replaced by a new one. A pool without a size
      // opens what it likes (Node's fetch: about 13 for 8 in flight, with or without redress), but
      // pinning would still cost one new socket per discarded response, near a thousand here.
      const maxSockets = driver.sizedPool === false ? UNSIZED_POOL_MAX_SOCKETS : POOL_CONNECTIONS
      expect(server.maxOpenSockets).toBeLessThanOrEqual(maxSockets)
      expect(server.totalSockets).toBeLessThanOrEqual(maxSockets)
    }, 60_000)
  })
}
