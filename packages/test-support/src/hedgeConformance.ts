import { EventName, HEDGE_DEFAULTS, type MetricHook, type RetryBudget } from '@redress/core'
import { type HttpPolicyOptions, httpPolicy } from '@redress/core/http'
import { FakeClock } from '@redress/core/testing'
import { afterEach, describe, expect, it } from 'vitest'
import type { AdapterDriver, ConformanceClient, ConformanceClientOptions, ConformanceRequest } from './AdapterDriver.ts'
import { type HeldRequest, type HeldServer, startHeldServer } from './startHeldServer.ts'

/** The hedge delay of the virtual-time scenarios, in ms. */
const AFTER_MS = 50
/** The latency of every warm-up response of the per-origin scenario, in virtual ms. */
const WARM_MS = 10
/** Requests of the pool scenario, in flight two at a time (each has two attempts). */
const POOL_REQUESTS = 1_000
const POOL_CONCURRENCY = 2
const POOL_CONNECTIONS = 4
/** A loser's body: more than a transport buffers for an unread body, so an unreleased one pins its socket. */
const LOSER_BODY = 'x'.repeat(32 * 1024)

const REFUSING_BUDGET: RetryBudget = { tryAcquire: () => false, recordSuccess: () => {}, recordFailure: () => {} }

/**
 * Registers the hedging conformance suite (issue 18) for `driver`: against a real `node:http`
 * server on 127.0.0.1 that holds each request until the scenario answers it, with the policy on
 * virtual time — a hedge starts exactly `afterMs` after the first attempt, its response is handed
 * back and the first attempt's request is aborted; a failure while the other attempt is in flight
 * waits for it; a POST without `Idempotency-Key` and a stream body are never hedged; a refusing
 * budget sends no hedge; the caller's abort ends both attempts; one `hedge` event per hedge; a
 * request's own `redress.hedge` turns hedging on or off and is validated, naming the field; without
 * `afterMs`, the delay is learned per origin (a second origin starts from
 * `HEDGE_DEFAULTS.startAfterMs`, not from the first origin's latency) — and, on real time, 1 000 hedged requests (their losers hanging, answering 503 or a late 200 with a
 * 32 KiB body) complete through a pool of four connections.
 */
export function hedgeConformance(driver: AdapterDriver): void {
  const isAbortRejection = driver.isAbortRejection ?? ((error: unknown, reason: unknown) => error === reason)

  describe(`${driver.name}: hedging conformance`, () => {
    const closers: Array<() => Promise<unknown>> = []
    afterEach(async () => {
      for (const close of closers.splice(0).reverse()) await close()
    })

    async function serve(onRequest?: (request: HeldRequest) => void): Promise<HeldServer> {
      const server = await startHeldServer(onRequest)
      closers.push(() => server.close())
      return server
    }

    function client(options: ConformanceClientOptions): ConformanceClient {
      const made = driver.makeClient(options)
      closers.push(() => made.close())
      return made
    }

    /** A client whose policy hedges after AFTER_MS on virtual time, and the hedge events it emitted. */
    function virtual(server: HeldServer, options: HttpPolicyOptions = {}) {
      const clock = new FakeClock()
      const hedges: number[] = []
      const onMetric: MetricHook = (event, attempt) => {
        if (event === EventName.HEDGE) hedges.push(attempt)
      }
      const policy = httpPolicy({ clock, random: () => 0, hedge: { afterMs: AFTER_MS }, onMetric, ...options })
      const c = client({ origin: server.origin, redress: { policy } })
      return { clock, hedges, send: (request: ConformanceRequest) => settle(c.send(request)) }
    }

    it('starts a hedge exactly afterMs after the first attempt, hands back its response and aborts the first', async () => {
      const server = await serve()
      const { clock, hedges, send } = virtual(server)
      const pending = send({ method: 'GET', path: '/slow' })
      const first = await server.next()
      await clock.advance(AFTER_MS - 1)
      expect(hedges).toEqual([])
      await clock.advance(1)
      expect(hedges).toEqual([2])
      const hedge = await server.next()
      hedge.respond(200, 'from the hedge')
      expect(await pending).toEqual({ response: { status: 200, body: 'from the hedge' } })
      await first.closed
      expect(first.abandoned).toBe(true)
      expect(server.requests).toHaveLength(2)
    })

    it('waits for the attempt still in flight when the other fails, and hands back its response', async () => {
      const server = await serve()
      const { clock, send } = virtual(server)
      const pending = send({ method: 'GET', path: '/flaky' })
      const first = await server.next()
      await clock.advance(AFTER_MS)
      const hedge = await server.next()
      hedge.respond(503, 'hedge failed')
      await hedge.closed
      first.respond(200, 'first, slow but fine')
      expect(await pending).toEqual({ response: { status: 200, body: 'first, slow but fine' } })
    })

    for (const [name, request] of [
      ['a POST without Idempotency-Key', { method: 'POST', path: '/order', body: { kind: 'text', text: 'o' } }],
      ['a stream body', { method: 'PUT', path: '/upload', body: { kind: 'stream', chunks: ['a', 'b'] } }],
    ] as const)
      it(`never hedges ${name}`, async () => {
        const server = await serve()
        const { clock, hedges, send } = virtual(server)
        const pending = send(request)
        const first = await server.next()
        await clock.advance(10 * AFTER_MS)
        expect(hedges).toEqual([])
        first.respond(200, 'once')
        expect(await pending).toEqual({ response: { status: 200, body: 'once' } })
        expect(server.requests).toHaveLength(1)
      })

    it('hedges a POST that carries an Idempotency-Key', async () => {
      const server = await serve()
      const { clock, hedges, send } = virtual(server)
      const pending = send({
        method: 'POST',
        path: '/order',
        headers: { 'idempotency-key': 'order-42' },
        body: { kind: 'text', text: 'o' },
      })
      await server.next()
      await clock.advance(AFTER_MS)
      expect(hedges).toEqual([2])
      const hedge = await server.next()
      expect(hedge.body).toBe('o')
      hedge.respond(201, 'created')
      expect(await pending).toEqual({ response: { status: 201, body: 'created' } })
    })

    it('sends no hedge while the budget refuses', async () => {
      const server = await serve()
      const { clock, hedges, send } = virtual(server, { budget: REFUSING_BUDGET })
      const pending = send({ method: 'GET', path: '/slow' })
      const first = await server.next()
      await clock.advance(10 * AFTER_MS)
      expect(hedges).toEqual([])
      first.respond(200, 'alone')
      expect(await pending).toEqual({ response: { status: 200, body: 'alone' } })
      expect(server.requests).toHaveLength(1)
    })

    it("ends both attempts when the caller aborts, rejecting with the caller's abort", async () => {
      const server = await serve()
      const { clock, hedges, send } = virtual(server)
      const controller = new AbortController()
      const pending = send({ method: 'GET', path: '/slow', signal: controller.signal })
      const first = await server.next()
      await clock.advance(AFTER_MS)
      const hedge = await server.next()
      const reason = new Error('the caller went away')
      controller.abort(reason)
      const outcome = await pending
      if (!('error' in outcome)) throw new Error(`expected a rejection, got ${outcome.response.status}`)
      expect(isAbortRejection(outcome.error, reason)).toBe(true)
      await Promise.all([first.closed, hedge.closed])
      expect([first.abandoned, hedge.abandoned]).toEqual([true, true])
      expect(hedges).toEqual([2])
      expect(clock.pendingCount).toBe(0)
    })

    it('hedges a request that asks for it (redress.hedge) under a policy that does not, and aborts the loser', async () => {
      const server = await serve()
      // No deadline: attempts are cut by nothing but hedging, which must still end the loser.
      const { clock, hedges, send } = virtual(server, { hedge: false, deadlineMs: Number.POSITIVE_INFINITY })
      const pending = send({ method: 'GET', path: '/a', redress: { hedge: { afterMs: 20 } } })
      const first = await server.next()
      await clock.advance(20)
      expect(hedges).toEqual([2])
      ;(await server.next()).respond(200, 'hedge')
      expect(await pending).toEqual({ response: { status: 200, body: 'hedge' } })
      await first.closed
      expect(first.abandoned).toBe(true)
    })

    it('does not hedge a request that turns it off (redress.hedge: false) under a policy that hedges', async () => {
      const server = await serve()
      const { clock, hedges, send } = virtual(server, { deadlineMs: Number.POSITIVE_INFINITY })
      const pending = send({ method: 'GET', path: '/a', redress: { hedge: false } })
      const first = await server.next()
      await clock.advance(1_000)
      expect(hedges).toEqual([])
      first.respond(200, 'once')
      expect(await pending).toEqual({ response: { status: 200, body: 'once' } })
      expect(server.requests).toHaveLength(1)
    })

    it("learns the hedge delay per origin: a second origin's first request waits the start delay, not the first origin's", async () => {
      // One policy behind two clients, as one adapter serving two upstreams: its latency history
      // must be keyed by origin (issue 18), so B's first request knows nothing of A's latency.
      const a = await serve()
      const b = await serve()
      const clock = new FakeClock()
      // Each hedge is labelled by the host its event names, so a hedge sent to the wrong origin shows.
      const names = new Map([
        [new URL(a.origin).host, 'A'],
        [new URL(b.origin).host, 'B'],
      ])
      const hedges: string[] = []
      const onMetric: MetricHook = (event, _attempt, _sleepMs, tags) => {
        if (event === EventName.HEDGE) hedges.push(names.get(String(tags.host)) ?? `unknown host ${String(tags.host)}`)
      }
      const policy = httpPolicy({ clock, random: () => 0, hedge: {}, onMetric })
      const toA = client({ origin: a.origin, redress: { policy } })
      const toB = client({ origin: b.origin, redress: { policy } })
      const send = (to: ConformanceClient, path: string) => settle(to.send({ method: 'GET', path }))

      // Warm A: every response comes WARM_MS after its request, far inside any hedge delay.
      for (let i = 0; i < HEDGE_DEFAULTS.minSamples; i++) {
        const pending = send(toA, `/warm/${i}`)
        const request = await a.next()
        await clock.advance(WARM_MS)
        request.respond(200, 'prompt')
        expect(await pending).toEqual({ response: { status: 200, body: 'prompt' } })
      }
      expect(hedges).toEqual([])
      expect(a.requests).toHaveLength(HEDGE_DEFAULTS.minSamples)

      // Every sample is WARM_MS, so A's quantile is WARM_MS and the delay its floor, medianMultiple medians.
      const learnedMs = HEDGE_DEFAULTS.medianMultiple * WARM_MS
      expect(learnedMs).toBeLessThan(HEDGE_DEFAULTS.startAfterMs)
      const slowA = send(toA, '/slow')
      await a.next()
      await clock.advance(learnedMs - 1)
      expect(hedges).toEqual([])
      await clock.advance(1)
      expect(hedges).toEqual(['A'])
      ;(await a.next()).respond(200, 'A hedge')
      expect(await slowA).toEqual({ response: { status: 200, body: 'A hedge' } })
      expect(a.requests).toHaveLength(HEDGE_DEFAULTS.minSamples + 2)

      // B has no sample: its first request waits the start delay, well past A's learned one.
      const firstB = send(toB, '/first')
      await b.next()
      await clock.advance(HEDGE_DEFAULTS.startAfterMs - 1)
      expect(hedges).toEqual(['A'])
      expect(b.requests).toHaveLength(1)
      await clock.advance(1)
      expect(hedges).toEqual(['A', 'B'])
      ;(await b.next()).respond(200, 'B hedge')
      expect(await firstB).toEqual({ response: { status: 200, body: 'B hedge' } })
      expect(b.requests).toHaveLength(2)
      expect(a.requests).toHaveLength(HEDGE_DEFAULTS.minSamples + 2)
    })

    for (const [field, hedge] of [
      ['afterMs', { afterMs: -5 }],
      ['quantile', { quantile: 2 }],
      ['maxHedges', { maxHedges: 0 }],
    ] as const)
      it(`rejects a malformed redress.hedge.${field}, naming the field, and sends nothing`, async () => {
        const server = await serve()
        const { send } = virtual(server)
        const outcome = await send({ method: 'GET', path: '/a', redress: { hedge } })
        if (!('error' in outcome)) throw new Error(`expected a rejection, got ${outcome.response.status}`)
        expect(outcome.error).toBeInstanceOf(Error)
        expect((outcome.error as Error).message).toMatch(new RegExp(`redress\\.hedge\\.${field}`))
        expect(server.requests).toHaveLength(0)
      })

    const pool = driver.sizedPool === false ? 'a pool without a size' : `${POOL_CONNECTIONS} keep-alive connections`
    it(`completes ${POOL_REQUESTS} hedged requests through ${pool}, releasing every loser`, async () => {
      // Path /r/<i>: its first attempt is held until its hedge arrives; then, by i % 3, the first
      // hangs until aborted, answers 503 (32 KiB) before the hedge's 200, or answers a 200 (32 KiB)
      // just after the hedge's. A loser left unreleased would pin its connection, and the pool
      // would stall after four.
      const firsts = new Map<string, HeldRequest>()
      const server = await serve((request) => {
        const first = firsts.get(request.url)
        if (first === undefined) {
          firsts.set(request.url, request)
          return
        }
        firsts.delete(request.url)
        const variant = Number(request.url.slice(3)) % 3
        if (variant === 1) first.respond(503, LOSER_BODY)
        request.respond(200, 'hedge')
        if (variant === 2) first.respond(200, LOSER_BODY)
      })
      // Real time: the first attempt never answers before its hedge, so the hedge delay needs no margin.
      const policy = httpPolicy({ hedge: { afterMs: 1 }, budget: null })
      const c = client({ origin: server.origin, redress: { policy }, connections: POOL_CONNECTIONS })
      let next = 0
      const bodies = new Map<string, number>()
      const worker = async (): Promise<void> => {
        while (next < POOL_REQUESTS) {
          const i = next++
          const response = await c.send({ method: 'GET', path: `/r/${i}` })
          expect(response.status).toBe(200)
          const kind = response.body === 'hedge' ? 'hedge' : response.body === LOSER_BODY ? 'first' : 'other'
          bodies.set(kind, (bodies.get(kind) ?? 0) + 1)
        }
      }
      await Promise.all(Array.from({ length: POOL_CONCURRENCY }, worker))
      expect(bodies.get('other')).toBeUndefined()
      expect((bodies.get('hedge') ?? 0) + (bodies.get('first') ?? 0)).toBe(POOL_REQUESTS)
      expect(server.requests).toHaveLength(2 * POOL_REQUESTS)
    }, 120_000)
  })
}

/** A send's outcome as a value: its response, or what it rejected with. */
async function settle(
  pending: Promise<{ status: number; body: string }>,
): Promise<{ response: { status: number; body: string } } | { error: unknown }> {
  try {
    return { response: await pending }
  } catch (error) {
    return { error }
  }
}
