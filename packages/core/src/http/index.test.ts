import {
  classifyNetworkError,
  classifyStatus,
  getHeader,
  isIdempotent,
  parseRetryAfter,
  provesNotProcessed,
  requestClassifiers,
  retryAfterFromHeaders,
} from '@redress/core/http'
import { describe, expect, it } from 'vitest'

describe('@redress/core/http', () => {
  it('exports the public contract by name', () => {
    for (const fn of [
      classifyStatus,
      parseRetryAfter,
      retryAfterFromHeaders,
      getHeader,
      isIdempotent,
      classifyNetworkError,
      provesNotProcessed,
      requestClassifiers,
    ]) {
      expect(typeof fn).toBe('function')
    }
  })

  it('classifies a fetch Response end to end through the package entry', () => {
    const { resultClassifier } = requestClassifiers({ method: 'GET', bodyReplayable: true })
    expect(resultClassifier(new Response(null, { status: 503, headers: { 'retry-after': '1' } }))).toEqual({
      errorClass: 'SERVER_ERROR',
      retryAfterMs: 1_000,
      details: { status: 503 },
    })
  })
})
