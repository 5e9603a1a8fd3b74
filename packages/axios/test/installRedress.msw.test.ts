import { EventName } from '@redress/core'
import { virtualPolicy } from '@redress/test-support'
import axios, { AxiosError, type AxiosInstance } from 'axios'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { installRedress } from '../src/installRedress.ts'

const ORIGIN = 'http://api.test'
const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

/** Answers the n-th request (0-based) of a route with `answers[n]`, the last one repeating. */
function script(method: 'get' | 'post', path: string, answers: readonly (() => Response)[]): { count: () => number } {
  let n = 0
  const handler = method === 'get' ? http.get : http.post
  server.use(
    handler(`${ORIGIN}${path}`, () => {
      const answer = answers[Math.min(n++, answers.length - 1)]
      if (answer === undefined) throw new Error('empty script')
      return answer()
    }),
  )
  return { count: () => n }
}

const ok = (): Response => HttpResponse.json({ ok: true })
const status =
  (code: number, headers: Record<string, string> = {}) =>
  (): Response =>
    new HttpResponse(`status ${code}`, { status: code, headers })

describe.each(['http', 'fetch'] as const)('with axios’s %s adapter (msw)', (adapterName) => {
  function setup(options: Parameters<typeof virtualPolicy>[0] = {}): {
    api: AxiosInstance
    sleeps: number[]
    events: { event: string; tags: Record<string, unknown> }[]
  } {
    const events: { event: string; tags: Record<string, unknown> }[] = []
    const { policy, sleeps } = virtualPolicy({
      budget: null,
      onMetric: (event, _attempt, _sleepMs, tags) => events.push({ event, tags: { ...tags } }),
      ...options,
    })
    const api = axios.create({ baseURL: ORIGIN, adapter: adapterName })
    installRedress(api, { policy })
    return { api, sleeps, events }
  }

  it('retries a 503 and resolves with the 200 that follows', async () => {
    const route = script('get', '/users/1', [status(503), ok])
    const { api, events } = setup()
    const res = await api.get('/users/1')
    expect(res.status).toBe(200)
    expect(res.data).toEqual({ ok: true })
    expect(route.count()).toBe(2)
    const retry = events.find((e) => e.event === EventName.RETRY)
    expect(retry?.tags).toMatchObject({ method: 'GET', host: 'api.test', status: 503 })
  })

  it('rejects with the last AxiosError, response included, once 5xx retries are exhausted', async () => {
    const route = script('get', '/down', [status(500), status(502), status(504)])
    const { api, events } = setup()
    const error: unknown = await api.get('/down').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AxiosError)
    expect((error as AxiosError).response?.status).toBe(504)
    expect((error as AxiosError).response?.data).toBe('status 504')
    expect(route.count()).toBe(3)
    expect(events.at(-1)?.event).toBe(EventName.MAX_ATTEMPTS_EXCEEDED)
  })

  it('does not retry a 4xx', async () => {
    const route = script('get', '/missing', [status(404), ok])
    const { api } = setup()
    const error: unknown = await api.get('/missing').catch((e: unknown) => e)
    expect((error as AxiosError).response?.status).toBe(404)
    expect(route.count()).toBe(1)
  })

  it('does not retry a POST after a 503', async () => {
    const route = script('post', '/orders', [status(503), ok])
    const { api } = setup()
    const error: unknown = await api.post('/orders', { item: 1 }).catch((e: unknown) => e)
    expect((error as AxiosError).response?.status).toBe(503)
    expect(route.count()).toBe(1)
  })

  it('retries a POST that carries an Idempotency-Key, with the same body', async () => {
    const bodies: unknown[] = []
    let n = 0
    server.use(
      http.post(`${ORIGIN}/orders`, async ({ request }) => {
        bodies.push(await request.json())
        return n++ === 0 ? new HttpResponse(null, { status: 503 }) : HttpResponse.json({ id: 9 })
      }),
    )
    const { api } = setup()
    const res = await api.post('/orders', { item: 1 }, { headers: { 'Idempotency-Key': 'k-1' } })
    expect(res.data).toEqual({ id: 9 })
    expect(bodies).toEqual([{ item: 1 }, { item: 1 }])
  })

  it('retries a GET after a network error', async () => {
    const route = script('get', '/flaky', [() => HttpResponse.error(), ok])
    const { api } = setup()
    expect((await api.get('/flaky')).data).toEqual({ ok: true })
    expect(route.count()).toBe(2)
  })

  it('hands back the last response when the caller’s validateStatus accepts its status', async () => {
    const route = script('get', '/accepting', [status(503), status(503), status(503)])
    const { api } = setup()
    const res = await api.get('/accepting', { validateStatus: () => true })
    expect(res.status).toBe(503)
    expect(res.data).toBe('status 503')
    expect(route.count()).toBe(3)
  })

  it('sends a request with redress.retry false once, untouched', async () => {
    const route = script('get', '/once', [status(503), ok])
    const { api } = setup()
    const error: unknown = await api.get('/once', { redress: { retry: false } }).catch((e: unknown) => e)
    expect((error as AxiosError).response?.status).toBe(503)
    expect(route.count()).toBe(1)
  })

  it('names the operation from redress.operation', async () => {
    script('get', '/named', [status(503), ok])
    const { api, events } = setup()
    await api.get('/named', { redress: { operation: 'getNamed' } })
    // One retry event, one success event: an empty list must not pass.
    expect(events.map((e) => [e.event, e.tags['operation']])).toEqual([
      [EventName.RETRY, 'getNamed'],
      [EventName.SUCCESS, 'getNamed'],
    ])
  })

  it('rejects a request whose redress option is malformed with a TypeError naming it', async () => {
    const { api } = setup()
    const error: unknown = await api
      .get('/whatever', { redress: { retry: 'no' } as unknown as { retry: boolean } })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect(String(error)).toMatch(/redress\.retry/)
  })
})
