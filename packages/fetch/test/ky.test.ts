import { httpPolicy } from '@redress/core/http'
import ky, { HTTPError } from 'ky'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
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

  it('sends a ky json body once by default: ky hands fetch a Request, whose body is a stream', async () => {
    const seen = answer([503, 200])
    const api = ky.create({ fetch: redressFetch({ policy: instant() }), retry: 0, throwHttpErrors: false })
    const response = await api.put(URL_, { json: { a: 1 } })
    expect(response.status).toBe(503)
    expect(seen).toEqual([{ method: 'PUT', body: '{"a":1}' }])
  })

  it('re-sends a ky json body identically with maxBufferedBodyBytes', async () => {
    const seen = answer([503, 200])
    const api = ky.create({
      fetch: redressFetch({ policy: instant(), maxBufferedBodyBytes: 64 * 1024 }),
      retry: 0,
    })
    expect(await api.put(URL_, { json: { a: 1 } }).json()).toEqual({ n: 2 })
    expect(seen).toEqual([
      { method: 'PUT', body: '{"a":1}' },
      { method: 'PUT', body: '{"a":1}' },
    ])
  })
})
