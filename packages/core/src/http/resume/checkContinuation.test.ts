import { describe, expect, it } from 'vitest'
import { checkContinuation } from './checkContinuation.ts'
import { isResumeError } from './ResumeError.ts'
import type { ResumeTarget } from './ResumeTarget.ts'

const BODY: ResumeTarget = {
  validator: { kind: 'etag', value: '"v1"' },
  start: 0,
  end: 999,
  total: 1000,
  encoding: undefined,
}

describe('checkContinuation', () => {
  it('accepts a 206 that continues the body exactly', () => {
    expect(checkContinuation(BODY, 400, 206, { etag: '"v1"', 'content-range': 'bytes 400-999/1000' })).toBeUndefined()
    expect(
      checkContinuation(BODY, 400, 206, {
        etag: '"v1"',
        'content-range': 'bytes 400-999/*',
        'content-length': '600',
      }),
    ).toBeUndefined()
  })

  it.each([
    [
      '200, same validator',
      200,
      { etag: '"v1"' },
      'range_ignored',
      'the server ignored the Range header and sent the whole body again (200)',
    ],
    [
      '200, another validator',
      200,
      { etag: '"v2"' },
      'validator_changed',
      'the server sent a different representation (200 with another validator)',
    ],
    ['412', 412, {}, 'validator_changed', 'the representation changed (412 Precondition Failed)'],
    [
      '416',
      416,
      { 'content-range': 'bytes */1000' },
      'range_not_satisfiable',
      'the server cannot serve the rest of the body (416)',
    ],
    ['404', 404, {}, 'status', 'the continuation was answered with status 404'],
    [
      'a 206 with another ETag',
      206,
      { etag: '"v2"', 'content-range': 'bytes 400-999/1000' },
      'validator_changed',
      'the 206 does not carry the body\'s validator "v1"',
    ],
    [
      'a 206 without ETag',
      206,
      { 'content-range': 'bytes 400-999/1000' },
      'validator_changed',
      'the 206 does not carry the body\'s validator "v1"',
    ],
    [
      'a 206 one byte early',
      206,
      { etag: '"v1"', 'content-range': 'bytes 399-999/1000' },
      'content_range_mismatch',
      'Content-Range bytes 399-999/1000 starts at 399 (expected bytes 400-999/1000)',
    ],
    [
      'a 206 one byte late',
      206,
      { etag: '"v1"', 'content-range': 'bytes 401-999/1000' },
      'content_range_mismatch',
      'Content-Range bytes 401-999/1000 starts at 401 (expected bytes 400-999/1000)',
    ],
    [
      'a 206 ending early',
      206,
      { etag: '"v1"', 'content-range': 'bytes 400-998/1000' },
      'content_range_mismatch',
      'Content-Range bytes 400-998/1000 ends at 998 (expected bytes 400-999/1000)',
    ],
    [
      'a 206 of another length',
      206,
      { etag: '"v1"', 'content-range': 'bytes 400-999/1001' },
      'content_range_mismatch',
      'Content-Range bytes 400-999/1001 has complete length 1001 (expected bytes 400-999/1000)',
    ],
    [
      'a 206 without Content-Range',
      206,
      { etag: '"v1"' },
      'content_range_mismatch',
      'the 206 has no usable Content-Range (absent)',
    ],
    [
      'a 206 with a malformed Content-Range',
      206,
      { etag: '"v1"', 'content-range': 'bytes 400-999' },
      'content_range_mismatch',
      'the 206 has no usable Content-Range (bytes 400-999)',
    ],
    [
      'a 206 whose Content-Length disagrees',
      206,
      { etag: '"v1"', 'content-range': 'bytes 400-999/1000', 'content-length': '601' },
      'content_range_mismatch',
      'Content-Range bytes 400-999/1000 disagrees with Content-Length 601 (expected bytes 400-999/1000)',
    ],
    [
      'a gzip 206 of an identity body',
      206,
      { etag: '"v1"', 'content-range': 'bytes 400-999/1000', 'content-encoding': 'gzip' },
      'content_range_mismatch',
      'the 206 is coded gzip, the body identity',
    ],
  ])('refuses %s, with the offset, the reason and what was wrong', (_name, status, headers, reason, detail) => {
    const error = checkContinuation(BODY, 400, status, headers)
    expect(isResumeError(error)).toBe(true)
    expect(error).toMatchObject({ name: 'ResumeError', code: 'ERR_REDRESS_RESUME', reason, offset: 400, status })
    expect(error?.message).toBe(`cannot resume the download at byte 400: ${detail}`)
  })

  it('refuses an identity 206 of a gzip body (the client hands over coded bytes)', () => {
    const coded: ResumeTarget = { ...BODY, encoding: 'gzip' }
    const headers = { etag: '"v1"', 'content-range': 'bytes 400-999/1000' }
    expect(checkContinuation(coded, 400, 206, headers)?.message).toBe(
      'cannot resume the download at byte 400: the 206 is coded identity, the body gzip',
    )
    expect(checkContinuation(coded, 400, 206, { ...headers, 'content-encoding': 'GZIP' })).toBeUndefined()
  })

  it('requires a body of unknown length to be continued to the end of the representation', () => {
    const open: ResumeTarget = { ...BODY, end: undefined, total: undefined }
    expect(checkContinuation(open, 10, 206, { etag: '"v1"', 'content-range': 'bytes 10-99/100' })).toBeUndefined()
    expect(checkContinuation(open, 10, 206, { etag: '"v1"', 'content-range': 'bytes 10-49/100' })).toMatchObject({
      reason: 'content_range_mismatch',
    })
  })

  it('names what it expected of a body of unknown end and length', () => {
    const open: ResumeTarget = { ...BODY, end: undefined, total: undefined }
    expect(checkContinuation(open, 10, 206, { etag: '"v1"', 'content-range': 'bytes 11-99/100' })?.message).toBe(
      'cannot resume the download at byte 10: Content-Range bytes 11-99/100 starts at 11 (expected bytes 10-…/*)',
    )
    expect(checkContinuation(open, 10, 206, { etag: '"v1"', 'content-range': 'bytes 10-49/100' })?.message).toBe(
      'cannot resume the download at byte 10: Content-Range bytes 10-49/100 stops before the end of the representation (expected bytes 10-…/*)',
    )
  })

  it('takes a continuation of unknown complete length as it comes, when the body had no known end either', () => {
    const open: ResumeTarget = { ...BODY, end: undefined, total: undefined }
    expect(checkContinuation(open, 10, 206, { etag: '"v1"', 'content-range': 'bytes 10-49/*' })).toBeUndefined()
  })

  it('asks no more of a body whose end is known (a 206 of unknown length) than to end there', () => {
    // The first response was `bytes 0-999/*`: the body ends at 999, whatever the total turns out to be.
    const ranged: ResumeTarget = { ...BODY, end: 999, total: undefined }
    expect(checkContinuation(ranged, 400, 206, { etag: '"v1"', 'content-range': 'bytes 400-999/2000' })).toBeUndefined()
    expect(checkContinuation(ranged, 400, 206, { etag: '"v1"', 'content-range': 'bytes 400-999/*' })).toBeUndefined()
    expect(checkContinuation(ranged, 400, 206, { etag: '"v1"', 'content-range': 'bytes 400-1999/2000' })?.message).toBe(
      'cannot resume the download at byte 400: Content-Range bytes 400-1999/2000 ends at 1999 (expected bytes 400-999/*)',
    )
  })
})
