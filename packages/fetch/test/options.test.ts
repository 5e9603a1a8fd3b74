import { CircuitOpenError } from '@redress/core'
import { httpPolicy } from '@redress/core/http'
import { FakeCircuitBreaker } from '@redress/core/testing'
import { describe, expect, it } from 'vitest'
import { REDRESS_FETCH_DEFAULTS } from '../src/RedressFetchOptions.ts'
import { redressFetch } from '../src/redressFetch.ts'

/** A stand-in transport that answers from a list and records what it was given. */
function scripted(statuses: number[]) {
  const calls: Array<{ input: RequestInfo | URL; init: RequestInit | undefined }> = []
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ input, init })
    return new Response(`reply ${calls.length}`, {
      status: statuses[Math.min(calls.length, statuses.length) - 1] ?? 200,
    })
  }) as typeof fetch
  return { calls, fetchFn }
}

describe('redressFetch options', () => {
  it.each([
    [{ fetch: 'nope' }, TypeError, /fetch must be a function, got "nope"/],
    [{ maxBufferedBodyBytes: -1 }, RangeError, /maxBufferedBodyBytes must be .* got -1/],
    [{ maxBufferedBodyBytes: 1.5 }, RangeError, /maxBufferedBodyBytes .* got 1.5/],
    [{ maxBufferedBodyBytes: Number.NaN }, RangeError, /maxBufferedBodyBytes .* got NaN/],
    [{ maxBufferedRequestBodyBytes: -1 }, RangeError, /maxBufferedRequestBodyBytes must be .* got -1/],
    [{ maxBufferedRequestBodyBytes: '64k' }, RangeError, /maxBufferedRequestBodyBytes .* got "64k"/],
    [{ maxRetryAfterMs: -5 }, RangeError, /maxRetryAfterMs/],
    [{ policy: {} }, TypeError, /policy must be a RetryPolicy/],
    [{ retryNonIdempotent: 'yes' }, TypeError, /retryNonIdempotent must be a boolean/],
    [{ operation: 'GET' }, TypeError, /operation must be a function/],
    [{ retries: 3 }, TypeError, /unknown option "retries"/],
  ])('throws at creation for %o', (options, type, message) => {
    expect(() => redressFetch(options as never)).toThrow(type)
    expect(() => redressFetch(options as never)).toThrow(message)
  })

  it('throws a TypeError for options that are not an object', () => {
    expect(() => redressFetch(null as never)).toThrow(/options must be an object, got null/)
  })

  it("buffers a Request input's body up to 64 KiB by default, and never a stream given in init.body", () => {
    expect(REDRESS_FETCH_DEFAULTS).toEqual({ maxBufferedBodyBytes: 0, maxBufferedRequestBodyBytes: 65_536 })
  })

  it('captures the global fetch at creation, so installing it as the global does not recurse', async () => {
    const original = globalThis.fetch
    const { calls, fetchFn } = scripted([503, 200])
    globalThis.fetch = fetchFn
    try {
      globalThis.fetch = redressFetch({ policy: httpPolicy({ sleeper: async () => {} }) })
      const response = await fetch('https://example.test/')
      expect(response.status).toBe(200)
      expect(calls).toHaveLength(2)
    } finally {
      globalThis.fetch = original
    }
  })

  it('uses the operation namer for the operation tag', async () => {
    const { fetchFn } = scripted([200])
    const operations: unknown[] = []
    const policy = httpPolicy({ onLog: (_event, fields) => operations.push(fields['operation']) })
    await redressFetch({ policy, fetch: fetchFn, operation: ({ method, url }) => `${method} ${url.pathname}` })(
      'https://example.test/users',
      { method: 'delete' },
    )
    expect(operations).toEqual(['DELETE /users'])
  })

  it('passes the same init, with a signal, to every attempt', async () => {
    const { calls, fetchFn } = scripted([503, 200])
    const headers = { accept: 'application/json' }
    await redressFetch({ fetch: fetchFn, policy: httpPolicy({ sleeper: async () => {} }) })('https://example.test/', {
      headers,
      cache: 'no-store',
    })
    expect(calls).toHaveLength(2)
    for (const call of calls) {
      expect(call.init?.headers).toBe(headers)
      expect(call.init?.cache).toBe('no-store')
      expect(call.init?.signal).toBeInstanceOf(AbortSignal)
    }
  })

  it('hands an unparsable URL to the wrapped fetch once, which rejects as it would', async () => {
    const { calls, fetchFn } = scripted([200])
    await redressFetch({ fetch: fetchFn })('not a url')
    expect(calls.map((c) => c.input)).toEqual(['not a url'])
  })

  it("gives each attempt a signal of its own that follows the caller's, when the policy cuts attempts", async () => {
    const { calls, fetchFn } = scripted([200])
    const caller = new AbortController()
    await redressFetch({ fetch: fetchFn })('https://example.test/', { signal: caller.signal })
    const signal = calls[0]?.init?.signal
    expect(signal).toBeInstanceOf(AbortSignal)
    expect(signal).not.toBe(caller.signal)
  })

  it("passes the caller's init through untouched when the policy has no deadline or attempt timeout", async () => {
    const { calls, fetchFn } = scripted([200])
    const init = { signal: new AbortController().signal, headers: { a: 'b' } }
    const policy = httpPolicy({ deadlineMs: Infinity })
    await redressFetch({ fetch: fetchFn, policy })('https://example.test/', init)
    await redressFetch({ fetch: fetchFn, policy })('https://example.test/')
    expect(calls.map((c) => c.init)).toEqual([init, undefined])
    expect(calls[0]?.init).toBe(init)
  })

  it('does not retry the TypeError fetch rejects an unparsable URL or header with', async () => {
    for (const [input, init] of [
      ['not a url', undefined],
      ['https://example.test/', { headers: { 'bad name': 'x' } }],
    ] as const) {
      let sent = 0
      const fetchFn = (async () => {
        sent++
        throw new TypeError('Failed to parse')
      }) as unknown as typeof fetch
      await expect(redressFetch({ fetch: fetchFn })(input, init)).rejects.toThrow('Failed to parse')
      expect(sent).toBe(1)
    }
  })

  it('rejects with a CircuitOpenError when the breaker is open, without sending', async () => {
    const { calls, fetchFn } = scripted([200])
    const circuitBreaker = new FakeCircuitBreaker({ state: 'open' })
    const policy = httpPolicy({ circuitBreaker })
    await expect(redressFetch({ policy, fetch: fetchFn })('https://example.test/')).rejects.toBeInstanceOf(
      CircuitOpenError,
    )
    expect(calls).toHaveLength(0)
  })

  it('rejects with the reason of an already aborted signal, without sending', async () => {
    const { calls, fetchFn } = scripted([200])
    const reason = new Error('too late')
    await expect(
      redressFetch({ fetch: fetchFn })('https://example.test/', { signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason)
    expect(calls).toHaveLength(0)
  })
})
