import { EventName } from '@redress/core'
import { httpPolicy } from '@redress/core/http'
import { FakeClock } from '@redress/core/testing'
import { type ConformanceRequest, hedgeConformance, startHeldServer } from '@redress/test-support'
import { Agent, fetch as undiciFetch } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { redressFetch } from '../src/redressFetch.ts'

/** The request as fetch takes it; a one-shot body is a `ReadableStream`, sent with `duplex: 'half'`. */
function initOf(request: ConformanceRequest): RequestInit {
  const body =
    request.body === undefined
      ? undefined
      : request.body.kind === 'text'
        ? request.body.text
        : new Blob([...request.body.chunks]).stream()
  return {
    method: request.method,
    ...(request.headers === undefined ? {} : { headers: request.headers }),
    ...(body === undefined ? {} : { body, duplex: 'half' }),
    ...(request.signal === undefined ? {} : { signal: request.signal }),
  } as RequestInit
}

// Node's global fetch, or undici's fetch on an Agent of `connections` for the pool scenario.
hedgeConformance({
  name: 'redressFetch',
  makeClient: ({ origin, redress, connections }) => {
    const agent = connections === undefined ? undefined : new Agent({ connections, keepAliveTimeout: 60_000 })
    const transport: typeof fetch =
      agent === undefined
        ? globalThis.fetch
        : (((input: RequestInfo | URL, init?: RequestInit) =>
            undiciFetch(input as string, { ...(init as object), dispatcher: agent })) as unknown as typeof fetch)
    const wrapped = redressFetch({ ...redress, fetch: transport })
    return {
      send: async (request) => {
        const response = await wrapped(`${origin}${request.path}`, initOf(request))
        return { status: response.status, body: await response.text() }
      },
      close: async () => agent?.destroy(),
    }
  },
})

describe('redressFetch: hedging per request (init.redress.hedge)', () => {
  const closers: Array<() => Promise<unknown>> = []
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close()
  })

  async function setup(policyHedge: boolean) {
    const server = await startHeldServer()
    closers.push(() => server.close())
    const clock = new FakeClock()
    const hedges: number[] = []
    const policy = httpPolicy({
      clock,
      // No deadline: attempts are cut by nothing but hedging, which still gives each its signal.
      deadlineMs: Number.POSITIVE_INFINITY,
      ...(policyHedge ? { hedge: { afterMs: 50 } } : {}),
      onMetric: (event, attempt) => {
        if (event === EventName.HEDGE) hedges.push(attempt)
      },
    })
    return { server, clock, hedges, fetch: redressFetch({ policy }) }
  }

  it('hedges a request that asks for it under a policy that does not, and aborts the loser', async () => {
    const { server, clock, hedges, fetch } = await setup(false)
    const pending = fetch(`${server.origin}/a`, { redress: { hedge: { afterMs: 20 } } })
    const first = await server.next()
    await clock.advance(20)
    expect(hedges).toEqual([2])
    ;(await server.next()).respond(200, 'hedge')
    expect(await (await pending).text()).toBe('hedge')
    await first.closed
    expect(first.abandoned).toBe(true)
  })

  it('does not hedge a request that turns it off', async () => {
    const { server, clock, hedges, fetch } = await setup(true)
    const pending = fetch(`${server.origin}/a`, { redress: { hedge: false } })
    const first = await server.next()
    await clock.advance(1_000)
    expect(hedges).toEqual([])
    first.respond(200, 'once')
    expect(await (await pending).text()).toBe('once')
  })

  it('rejects a malformed redress.hedge, naming the field', async () => {
    const { server, fetch } = await setup(false)
    await expect(fetch(server.origin, { redress: { hedge: { maxHedges: 0 } } })).rejects.toThrow(
      /redress\.hedge\.maxHedges/,
    )
  })
})
