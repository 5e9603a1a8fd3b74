import { Agent as HttpAgent } from 'node:http'
import { Readable } from 'node:stream'
import { EventName } from '@redress/core'
import { httpPolicy } from '@redress/core/http'
import { FakeClock } from '@redress/core/testing'
import {
  type ConformanceBody,
  type ConformanceClientOptions,
  hedgeConformance,
  startHeldServer,
} from '@redress/test-support'
import axios, { type AxiosInstance, isAxiosError, isCancel } from 'axios'
import { afterEach, describe, expect, it } from 'vitest'
import { installRedress } from '../src/installRedress.ts'

type AdapterName = 'http' | 'fetch'

/** A one-shot body is a `Readable` for the http adapter and a `ReadableStream` for the fetch adapter. */
function bodyOf(adapter: AdapterName, body: ConformanceBody | undefined): unknown {
  if (body === undefined) return undefined
  if (body.kind === 'text') return body.text
  return adapter === 'http'
    ? Readable.from(body.chunks.map((c) => Buffer.from(c)))
    : new Blob([...body.chunks]).stream()
}

/** An axios instance with redress installed; with `connections`, the http adapter's agent has that many sockets. */
function instance(
  adapter: AdapterName,
  { origin, redress, connections }: ConformanceClientOptions,
): { api: AxiosInstance; close: () => Promise<void> } {
  const agent =
    adapter === 'http' && connections !== undefined
      ? new HttpAgent({ keepAlive: true, maxSockets: connections })
      : undefined
  const api = axios.create({
    baseURL: origin,
    adapter,
    responseType: 'text',
    ...(agent === undefined ? {} : { httpAgent: agent }),
  })
  installRedress(api, redress)
  return { api, close: async () => agent?.destroy() }
}

for (const adapter of ['http', 'fetch'] as const) {
  hedgeConformance({
    name: `installRedress (axios ${adapter} adapter)`,
    sizedPool: adapter === 'http',
    makeClient: (options) => {
      const { api, close } = instance(adapter, options)
      return {
        send: async (r) => {
          try {
            const response = await api.request({
              method: r.method,
              url: r.path,
              data: bodyOf(adapter, r.body),
              ...(r.headers === undefined ? {} : { headers: { ...r.headers } }),
              ...(r.signal === undefined ? {} : { signal: r.signal }),
            })
            return { status: response.status, body: String(response.data) }
          } catch (error) {
            if (isAxiosError(error) && error.response !== undefined)
              return { status: error.response.status, body: String(error.response.data) }
            throw error
          }
        },
        close,
      }
    },
    // axios turns a caller's abort into its own CanceledError (ERR_CANCELED), as it does without redress.
    isAbortRejection: (error) => isCancel(error) && (error as { code?: unknown }).code === 'ERR_CANCELED',
  })
}

describe('installRedress: hedging per request (config.redress.hedge)', () => {
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
      ...(policyHedge ? { hedge: { afterMs: 50 } } : {}),
      onMetric: (event, attempt) => {
        if (event === EventName.HEDGE) hedges.push(attempt)
      },
    })
    const api = axios.create({ baseURL: server.origin, adapter: 'http', responseType: 'text' })
    installRedress(api, { policy })
    return { server, clock, hedges, api }
  }

  it('hedges a request that asks for it under a policy that does not', async () => {
    const { server, clock, hedges, api } = await setup(false)
    const pending = api.get('/a', { redress: { hedge: { afterMs: 20 } } })
    await server.next()
    await clock.advance(20)
    expect(hedges).toEqual([2])
    ;(await server.next()).respond(200, 'hedge')
    expect((await pending).data).toBe('hedge')
  })

  it('does not hedge a request that turns it off', async () => {
    const { server, clock, hedges, api } = await setup(true)
    const pending = api.get('/a', { redress: { hedge: false } })
    const first = await server.next()
    await clock.advance(1_000)
    expect(hedges).toEqual([])
    first.respond(200, 'once')
    expect((await pending).data).toBe('once')
  })

  it('rejects a malformed redress.hedge, naming the field', async () => {
    const { api } = await setup(false)
    await expect(api.get('/a', { redress: { hedge: { quantile: 2 } } })).rejects.toThrow(/redress\.hedge\.quantile/)
  })
})
