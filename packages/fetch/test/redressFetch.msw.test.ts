import { httpPolicy } from '@redress/core/http'
import { virtualPolicy } from '@redress/test-support'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { redressFetch } from '../src/redressFetch.ts'

const URL_ = 'https://api.example.test/items'
const server = setupServer()
// Every test reads the global fetch after msw has replaced it, as users do in their own tests.
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

/** One scripted reply: a status with headers, or a network error. */
type Reply = { status: number; headers?: Record<string, string> } | 'network-error'

interface Row {
  readonly name: string
  readonly replies: readonly Reply[]
  readonly init?: RequestInit
  readonly policy?: Parameters<typeof httpPolicy>[0]
  readonly status: number
  readonly requests: number
  readonly sleeps: readonly number[]
}

const rows: readonly Row[] = [
  {
    name: 'retries a 503 and resolves with the 200',
    replies: [{ status: 503 }, { status: 200 }],
    status: 200,
    requests: 2,
    sleeps: [250],
  },
  {
    name: 'gives up at once on a 503 whose Retry-After passes the deadline, returning that response',
    replies: [{ status: 503, headers: { 'retry-after': '30' } }, { status: 200 }],
    policy: { deadlineMs: 10_000 },
    status: 503,
    requests: 1,
    sleeps: [],
  },
  {
    name: 'gives up at once on a Retry-After above maxRetryAfterMs',
    replies: [{ status: 503, headers: { 'retry-after': '120' } }, { status: 200 }],
    policy: { deadlineMs: 600_000 },
    status: 503,
    requests: 1,
    sleeps: [],
  },
  {
    name: 'resolves with the last 500 after maxAttempts',
    replies: [{ status: 500 }],
    status: 500,
    requests: 3,
    sleeps: [250, 250],
  },
  { name: 'does not retry a 404', replies: [{ status: 404 }, { status: 200 }], status: 404, requests: 1, sleeps: [] },
  { name: 'does not retry a 401', replies: [{ status: 401 }, { status: 200 }], status: 401, requests: 1, sleeps: [] },
  { name: 'does not retry a 403', replies: [{ status: 403 }, { status: 200 }], status: 403, requests: 1, sleeps: [] },
  {
    name: 'does not retry a POST answered 503',
    replies: [{ status: 503 }, { status: 200 }],
    init: { method: 'POST', body: '{}' },
    status: 503,
    requests: 1,
    sleeps: [],
  },
  {
    name: 'retries a POST that carries an Idempotency-Key',
    replies: [{ status: 503 }, { status: 200 }],
    init: { method: 'POST', body: '{}', headers: { 'Idempotency-Key': 'k-1' } },
    status: 200,
    requests: 2,
    sleeps: [250],
  },
  {
    name: 'retries a POST answered 429, which proves it was not processed',
    replies: [{ status: 429 }, { status: 200 }],
    init: { method: 'POST', body: '{}' },
    status: 200,
    requests: 2,
    sleeps: [250],
  },
  {
    name: 'retries a POST answered 503 when the request opts in with retryNonIdempotent',
    replies: [{ status: 503 }, { status: 200 }],
    init: { method: 'POST', body: '{}', redress: { retryNonIdempotent: true } },
    status: 200,
    requests: 2,
    sleeps: [250],
  },
  {
    name: 'retries a GET after a network error',
    replies: ['network-error', { status: 200 }],
    status: 200,
    requests: 2,
    sleeps: [250],
  },
  {
    name: 'sends once, untouched, with redress: { retry: false }',
    replies: [{ status: 503 }, { status: 200 }],
    init: { redress: { retry: false } },
    status: 503,
    requests: 1,
    sleeps: [],
  },
]

describe('redressFetch with msw', () => {
  it.each(rows)('$name', async (row) => {
    let n = 0
    server.use(
      http.all(URL_, () => {
        const reply = row.replies[Math.min(n++, row.replies.length - 1)]
        if (reply === undefined || reply === 'network-error') return HttpResponse.error()
        return new HttpResponse(`reply ${n}`, { status: reply.status, headers: reply.headers ?? {} })
      }),
    )
    const { policy, sleeps } = virtualPolicy(row.policy)
    const response = await redressFetch({ policy })(URL_, row.init)
    expect(response.status).toBe(row.status)
    // The response handed back is the last one, with its body unread.
    expect(response.bodyUsed).toBe(false)
    expect(await response.text()).toBe(`reply ${row.requests}`)
    expect(n).toBe(row.requests)
    expect(sleeps).toEqual(row.sleeps)
  })

  it('rejects with the original network error when every attempt fails', async () => {
    server.use(http.get(URL_, () => HttpResponse.error()))
    const errors: unknown[] = []
    const policy = httpPolicy({ sleeper: async () => {}, onAttemptEnd: (ctx) => errors.push(ctx.error) })
    const failure = await redressFetch({ policy })(URL_).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(TypeError)
    expect(errors.at(-1)).toBe(failure)
  })

  it('strips init.redress before calling the wrapped fetch', async () => {
    const seen: Array<RequestInit | undefined> = []
    server.use(http.get(URL_, () => new HttpResponse('ok')))
    const wrapped = redressFetch({
      fetch: (input, init) => {
        seen.push(init)
        return fetch(input, init)
      },
    })
    await wrapped(URL_, { headers: { a: '1' }, redress: { operation: 'items' } })
    await wrapped(URL_, { redress: { retry: false } })
    expect(seen.map((init) => init !== undefined && 'redress' in init)).toEqual([false, false])
  })

  it('names the operation from redress.operation, else METHOD host', async () => {
    server.use(http.get(URL_, () => new HttpResponse('ok')))
    const operations: unknown[] = []
    const policy = httpPolicy({ onLog: (_event, fields) => operations.push(fields['operation']) })
    const wrapped = redressFetch({ policy })
    await wrapped(URL_, { redress: { operation: 'list items' } })
    await wrapped(URL_)
    expect(operations).toEqual(['list items', 'GET api.example.test'])
  })

  it('rejects a malformed per-request option with a TypeError naming it', async () => {
    server.use(http.get(URL_, () => new HttpResponse('ok')))
    const bad = { redress: { retry: 'no' } } as unknown as RequestInit
    await expect(redressFetch()(URL_, bad)).rejects.toThrow(/redress\.retry must be a boolean/)
  })
})
