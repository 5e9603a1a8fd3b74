import { describe, expect, it } from 'vitest'
import { classifyResponse } from './classifyResponse.ts'

const NOW_MS = Date.UTC(2026, 0, 1)

describe('classifyResponse', () => {
  it('answers undefined for successes and for values without a numeric status', () => {
    expect(classifyResponse(new Response('ok'), NOW_MS)).toBeUndefined()
    expect(classifyResponse(new Response(null, { status: 304 }), NOW_MS)).toBeUndefined()
    for (const value of [undefined, null, 'x', {}, { status: '503' }]) {
      expect(classifyResponse(value, NOW_MS)).toBeUndefined()
    }
  })

  it('honours Retry-After on 429, on 503 and on any other retryable status', () => {
    for (const status of [429, 503, 500, 502, 504, 408]) {
      const response = new Response(null, { status, headers: { 'Retry-After': '3' } })
      expect(classifyResponse(response, NOW_MS)?.retryAfterMs).toBe(3_000)
    }
  })

  it('reads an HTTP-date Retry-After against the given wall-clock time', () => {
    const response = new Response(null, { status: 503, headers: { 'Retry-After': 'Thu, 01 Jan 2026 00:00:05 GMT' } })
    expect(classifyResponse(response, NOW_MS)).toEqual({
      errorClass: 'SERVER_ERROR',
      retryAfterMs: 5_000,
      details: { status: 503 },
    })
  })

  it('takes a lone RateLimit-Reset on a 429 as the delay, and not on a 503 (issue 14, defect 10)', () => {
    const reset = { 'RateLimit-Reset': '30' }
    expect(classifyResponse(new Response(null, { status: 429, headers: reset }), NOW_MS)).toEqual({
      errorClass: 'RATE_LIMIT',
      retryAfterMs: 30_000,
      details: { status: 429 },
    })
    expect(classifyResponse({ statusCode: 429, headers: { 'x-ratelimit-reset': '5' } }, NOW_MS)?.retryAfterMs).toBe(
      5_000,
    )
    expect(classifyResponse(new Response(null, { status: 503, headers: reset }), NOW_MS)).toEqual({
      errorClass: 'SERVER_ERROR',
      details: { status: 503 },
    })
  })

  it('attaches no delay to a status that is never retried', () => {
    const response = new Response(null, { status: 403, headers: { 'Retry-After': '3' } })
    expect(classifyResponse(response, NOW_MS)).toEqual({ errorClass: 'PERMISSION', details: { status: 403 } })
  })

  it("reads undici's statusCode and raw headers record", () => {
    const record = { statusCode: 429, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '4' } }
    expect(classifyResponse(record, NOW_MS)).toEqual({
      errorClass: 'RATE_LIMIT',
      retryAfterMs: 4_000,
      details: { status: 429 },
    })
  })

  it('retries only the listed statuses when retryStatuses is given', () => {
    const only503 = new Set([503])
    expect(classifyResponse({ status: 503, headers: {} }, NOW_MS, only503)).toEqual({
      errorClass: 'SERVER_ERROR',
      details: { status: 503 },
    })
    expect(classifyResponse({ status: 502, headers: {} }, NOW_MS, only503)).toEqual({
      errorClass: 'SERVER_ERROR',
      retryable: false,
      details: { status: 502, reason: 'status_not_retryable' },
    })
  })

  it('retries a listed status whose class is never retried, as TRANSIENT (4xx) or SERVER_ERROR (5xx)', () => {
    const listed = (status: number): boolean => status === 404 || status === 501
    expect(classifyResponse({ status: 404 }, NOW_MS, listed)?.errorClass).toBe('TRANSIENT')
    expect(classifyResponse({ status: 501 }, NOW_MS, listed)?.errorClass).toBe('SERVER_ERROR')
    expect(classifyResponse({ status: 200 }, NOW_MS, () => true)).toBeUndefined()
  })

  it('treats a retryStatuses predicate that throws as not listing the status', () => {
    const throwing = (): boolean => {
      throw new Error('boom')
    }
    expect(classifyResponse({ status: 503 }, NOW_MS, throwing)?.retryable).toBe(false)
    const throwingSet = new Set([503])
    throwingSet.has = throwing
    expect(classifyResponse({ status: 503 }, NOW_MS, throwingSet)?.retryable).toBe(false)
  })

  it('treats a retryStatuses predicate returning a promise as not listing, and handles its rejection (issue 13)', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason)
    }
    process.on('unhandledRejection', onUnhandled)
    try {
      const rejecting = ((): Promise<boolean> => Promise.reject(new Error('async predicate'))) as never
      expect(classifyResponse({ status: 503 }, NOW_MS, rejecting)?.retryable).toBe(false)
      // Node reports an unhandled rejection once the microtask queue drains: two macrotask turns.
      for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })
})
