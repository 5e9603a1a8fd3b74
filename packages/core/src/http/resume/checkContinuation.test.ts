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
    ['200, same validator', 200, { etag: '"v1"' }, 'range_ignored'],
    ['200, another validator', 200, { etag: '"v2"' }, 'validator_changed'],
    ['412', 412, {}, 'validator_changed'],
    ['416', 416, { 'content-range': 'bytes */1000' }, 'range_not_satisfiable'],
    ['404', 404, {}, 'status'],
    ['a 206 with another ETag', 206, { etag: '"v2"', 'content-range': 'bytes 400-999/1000' }, 'validator_changed'],
    ['a 206 without ETag', 206, { 'content-range': 'bytes 400-999/1000' }, 'validator_changed'],
    ['a 206 one byte early', 206, { etag: '"v1"', 'content-range': 'bytes 399-999/1000' }, 'content_range_mismatch'],
    ['a 206 one byte late', 206, { etag: '"v1"', 'content-range': 'bytes 401-999/1000' }, 'content_range_mismatch'],
    ['a 206 ending early', 206, { etag: '"v1"', 'content-range': 'bytes 400-998/1000' }, 'content_range_mismatch'],
    ['a 206 of another length', 206, { etag: '"v1"', 'content-range': 'bytes 400-999/1001' }, 'content_range_mismatch'],
    ['a 206 without Content-Range', 206, { etag: '"v1"' }, 'content_range_mismatch'],
    [
      'a 206 whose Content-Length disagrees',
      206,
      { etag: '"v1"', 'content-range': 'bytes 400-999/1000', 'content-length': '601' },
      'content_range_mismatch',
    ],
    [
      'a gzip 206 of an identity body',
      206,
      { etag: '"v1"', 'content-range': 'bytes 400-999/1000', 'content-encoding': 'gzip' },
      'content_range_mismatch',
    ],
  ])('refuses %s, with the offset and the reason', (_name, status, headers, reason) => {
    const error = checkContinuation(BODY, 400, status, headers)
    expect(isResumeError(error)).toBe(true)
    expect(error).toMatchObject({ name: 'ResumeError', code: 'ERR_REDRESS_RESUME', reason, offset: 400, status })
    expect(error?.message).toContain('byte 400')
  })

  it('requires a body of unknown length to be continued to the end of the representation', () => {
    const open: ResumeTarget = { ...BODY, end: undefined, total: undefined }
    expect(checkContinuation(open, 10, 206, { etag: '"v1"', 'content-range': 'bytes 10-99/100' })).toBeUndefined()
    expect(checkContinuation(open, 10, 206, { etag: '"v1"', 'content-range': 'bytes 10-49/100' })).toMatchObject({
      reason: 'content_range_mismatch',
    })
  })
})
