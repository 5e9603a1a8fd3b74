import { httpPolicy } from '@redress/core/http'
import ky, { HTTPError, type KyInstance } from 'ky'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { REDRESS_FETCH_DEFAULTS } from '../src/RedressFetchOptions.ts'
import { redressFetch } from '../src/redressFetch.ts'

const URL_ = 'https://ky.example.test/things'
const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

/** Answers the listed statuses in turn (the last repeats) and records each request's method and body. */
function answer(statuses: number[]): Array<{ method: string; body: string }> {
  const seen: Array<{ method: string; body: string }> = []
  server.use(
    http.all(URL_, async ({ request }) => {
      seen.push({ method: request.method, body: await request.text() })
      const status = statuses[Math.min(seen.length, statuses.length) - 1] ?? 500
      return HttpResponse.json({ n: seen.length }, { status })
    }),
  )
  return seen
}

const instant = () => httpPolicy({ sleeper: async () => {} })
const KEY = { 'Idempotency-Key': 'k-1' }

describe('ky with redressFetch as its fetch', () => {
  it('retries through redress with ky.create({ fetch: redressFetch(), retry: 0 })', async () => {
    const seen = answer([503, 200])
    const api = ky.create({ fetch: redressFetch({ policy: instant() }), retry: 0 })
    expect(await api.get(URL_).json()).toEqual({ n: 2 })
    expect(seen).toHaveLength(2)
  })

  it('lets ky throw its HTTPError on the last response redress hands back', async () => {
    const seen = answer([500])
    const api = ky.create({ fetch: redressFetch({ policy: instant() }), retry: 0 })
    const failure = await api.get(URL_).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(HTTPError)
    expect((failure as HTTPError).response.status).toBe(500)
    expect(await (failure as HTTPError).response.json()).toEqual({ n: 3 })
    expect(seen).toHaveLength(3)
  })

  it('passes per-request redress options through ky', async () => {
    const seen = answer([503, 200])
    const api = ky.create({ fetch: redressFetch({ policy: instant() }), retry: 0, throwHttpErrors: false })
    const response = await api.get(URL_, { redress: { retry: false } })
    expect(response.status).toBe(503)
    expect(seen).toHaveLength(1)
  })

  // Issue 15: ky hands fetch a Request, whose body is a stream to the Fetch API; redress reads
  // it (through a clone) up to maxBufferedRequestBodyBytes, so ky's bodies are retried by default.
  it.each([
    ['PUT', (api: KyInstance) => api.put(URL_, { json: { a: 1 } })],
    ['DELETE', (api: KyInstance) => api.delete(URL_, { json: { a: 1 } })],
    ['PATCH with an Idempotency-Key', (api: KyInstance) => api.patch(URL_, { json: { a: 1 }, headers: KEY })],
    ['POST with an Idempotency-Key', (api: KyInstance) => api.post(URL_, { json: { a: 1 }, headers: KEY })],
  ])('retries a ky %s with a json body by default, re-sending it identically', async (method, send) => {
    const seen = answer([503, 200])
    const api = ky.create({ fetch: redressFetch({ policy: instant() }), retry: 0 })
    expect(await send(api).json()).toEqual({ n: 2 })
    const sent = { method: method.split(' ')[0], body: '{"a":1}' }
    expect(seen).toEqual([sent, sent])
  })

  it('retries a ky DELETE without a body', async () => {
    const seen = answer([503, 200])
    const api = ky.create({ fetch: redressFetch({ policy: instant() }), retry: 0 })
    expect(await api.delete(URL_).json()).toEqual({ n: 2 })
    expect(seen).toEqual([
      { method: 'DELETE', body: '' },
      { method: 'DELETE', body: '' },
    ])
  })

  it.each([
    ['PATCH', (api: KyInstance) => api.patch(URL_, { json: { a: 1 } })],
    ['POST', (api: KyInstance) => api.post(URL_, { json: { a: 1 } })],
  ])('does not retry a ky %s without an Idempotency-Key after a 503', async (method, send) => {
    const seen = answer([503, 200])
    const api = ky.create({ fetch: redressFetch({ policy: instant() }), retry: 0, throwHttpErrors: false })
    expect((await send(api)).status).toBe(503)
    expect(seen).toEqual([{ method, body: '{"a":1}' }])
  })

  it('sends a ky body longer than maxBufferedRequestBodyBytes once, whole, and hands back the 503', async () => {
    const seen = answer([503, 200])
    const api = ky.create({ fetch: redressFetch({ policy: instant() }), retry: 0, throwHttpErrors: false })
    const long = 'x'.repeat(REDRESS_FETCH_DEFAULTS.maxBufferedRequestBodyBytes + 1)
    expect((await api.put(URL_, { body: long })).status).toBe(503)
    expect(seen).toEqual([{ method: 'PUT', body: long }])
  })

  it('sends a ky json body once with maxBufferedRequestBodyBytes: 0', async () => {
    const seen = answer([503, 200])
    const api = ky.create({
      fetch: redressFetch({ policy: instant(), maxBufferedRequestBodyBytes: 0 }),
      retry: 0,
      throwHttpErrors: false,
    })
    const response = await api.put(URL_, { json: { a: 1 } })
    expect(response.status).toBe(503)
    expect(seen).toEqual([{ method: 'PUT', body: '{"a":1}' }])
  })
})
