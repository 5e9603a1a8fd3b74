import { Readable } from 'node:stream'
import { EventName } from '@redress/core'
import { httpPolicy } from '@redress/core/http'
import { FakeClock } from '@redress/core/testing'
import { type ConformanceBody, hedgeConformance, startHeldServer } from '@redress/test-support'
import { Agent, request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { redressInterceptor } from '../src/redressInterceptor.ts'

/** A one-shot body is a `Readable`. */
function bodyOf(body: ConformanceBody | undefined): string | Readable | undefined {
  if (body === undefined) return undefined
  return body.kind === 'text' ? body.text : Readable.from(body.chunks.map((chunk) => Buffer.from(chunk)))
}

// undici.request on an Agent composed with the interceptor; `connections` caps its pool per origin.
hedgeConformance({
  name: 'redressInterceptor',
  makeClient: ({ origin, redress, connections }) => {
    const agent = new Agent(connections === undefined ? {} : { connections, keepAliveTimeout: 60_000 })
    const dispatcher = agent.compose(redressInterceptor(redress))
    return {
      send: async (r) => {
        const body = bodyOf(r.body)
        const response = await request(`${origin}${r.path}`, {
          dispatcher,
          method: r.method as 'GET',
          ...(r.headers === undefined ? {} : { headers: r.headers }),
          ...(body === undefined ? {} : { body }),
          ...(r.signal === undefined ? {} : { signal: r.signal }),
        })
        return { status: response.statusCode, body: await response.body.text() }
      },
      close: () => agent.close(),
    }
  },
})

describe('redressInterceptor: hedging per request (redress.hedge)', () => {
  const closers: Array<() => Promise<unknown>> = []
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close()
  })

  async function setup(policyHedge: boolean) {
    const server = await startHeldServer()
    const agent = new Agent()
    closers.push(
      () => server.close(),
      () => agent.close(),
    )
    const clock = new FakeClock()
    const hedges: number[] = []
    const policy = httpPolicy({
      clock,
      ...(policyHedge ? { hedge: { afterMs: 50 } } : {}),
      onMetric: (event, attempt) => {
        if (event === EventName.HEDGE) hedges.push(attempt)
      },
    })
    return { server, clock, hedges, dispatcher: agent.compose(redressInterceptor({ policy })) }
  }

  it('hedges a request that asks for it under a policy that does not', async () => {
    const { server, clock, hedges, dispatcher } = await setup(false)
    const pending = request(`${server.origin}/a`, { dispatcher, redress: { hedge: { afterMs: 20 } } })
    await server.next()
    await clock.advance(20)
    expect(hedges).toEqual([2])
    ;(await server.next()).respond(200, 'hedge')
    const response = await pending
    expect(await response.body.text()).toBe('hedge')
  })

  it('does not hedge a request that turns it off', async () => {
    const { server, clock, hedges, dispatcher } = await setup(true)
    const pending = request(`${server.origin}/a`, { dispatcher, redress: { hedge: false } })
    const first = await server.next()
    await clock.advance(1_000)
    expect(hedges).toEqual([])
    first.respond(200, 'once')
    expect(await (await pending).body.text()).toBe('once')
  })

  it('rejects a malformed redress.hedge, naming the field', async () => {
    const { server, dispatcher } = await setup(false)
    await expect(request(server.origin, { dispatcher, redress: { hedge: { afterMs: -5 } } })).rejects.toThrow(
      /redress\.hedge\.afterMs/,
    )
  })
})
