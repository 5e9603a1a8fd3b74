import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { resumeValidatorOf, sameValidator } from './ResumeValidator.ts'

const LAST_MODIFIED = 'Tue, 15 Nov 1994 08:12:31 GMT'
const ONE_SECOND_LATER = 'Tue, 15 Nov 1994 08:12:32 GMT'

describe('resumeValidatorOf', () => {
  it('takes a strong ETag', () => {
    expect(resumeValidatorOf({ ETag: '"abc-1"' })).toEqual({ kind: 'etag', value: '"abc-1"' })
    expect(resumeValidatorOf(new Headers({ etag: ' "" ' }))).toEqual({ kind: 'etag', value: '""' })
  })

  it('refuses a weak or malformed ETag, and then never falls back to the date (RFC 9110 §13.1.5)', () => {
    for (const etag of ['W/"abc"', 'abc', '"a"b"', '"abc', '"a", "b"']) {
      expect(resumeValidatorOf({ etag, 'last-modified': LAST_MODIFIED, date: ONE_SECOND_LATER })).toBeUndefined()
    }
  })

  it('takes Last-Modified only when Date is at least a second later (RFC 9110 §8.8.2.2)', () => {
    expect(resumeValidatorOf({ 'last-modified': LAST_MODIFIED, date: ONE_SECOND_LATER })).toEqual({
      kind: 'last-modified',
      value: LAST_MODIFIED,
      epochMs: Date.UTC(1994, 10, 15, 8, 12, 31),
    })
    expect(resumeValidatorOf({ 'last-modified': LAST_MODIFIED, date: LAST_MODIFIED })).toBeUndefined()
    expect(resumeValidatorOf({ 'last-modified': LAST_MODIFIED })).toBeUndefined()
    expect(resumeValidatorOf({ 'last-modified': 'yesterday', date: ONE_SECOND_LATER })).toBeUndefined()
    expect(resumeValidatorOf({ 'last-modified': LAST_MODIFIED, date: 'tomorrow' })).toBeUndefined()
  })

  it('has no validator for a response without either header, or no headers at all', () => {
    expect(resumeValidatorOf({ 'content-length': '10' })).toBeUndefined()
    expect(resumeValidatorOf(undefined)).toBeUndefined()
    expect(resumeValidatorOf(null)).toBeUndefined()
  })

  it('never throws, whatever the headers say', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('etag', 'last-modified', 'date', 'x'), fc.string()), (headers) => {
        resumeValidatorOf(headers)
      }),
    )
  })
})

describe('sameValidator', () => {
  it('compares entity tags strongly: the same opaque tag, not a weak one', () => {
    const v = { kind: 'etag', value: '"v1"' } as const
    expect(sameValidator(v, { etag: '"v1"' })).toBe(true)
    expect(sameValidator(v, { etag: 'W/"v1"' })).toBe(false)
    expect(sameValidator(v, { etag: '"v2"' })).toBe(false)
    expect(sameValidator(v, {})).toBe(false)
  })

  it('compares dates by instant', () => {
    const v = { kind: 'last-modified', value: LAST_MODIFIED, epochMs: Date.UTC(1994, 10, 15, 8, 12, 31) } as const
    expect(sameValidator(v, { 'last-modified': 'Tuesday, 15-Nov-94 08:12:31 GMT' })).toBe(true)
    expect(sameValidator(v, { 'last-modified': ONE_SECOND_LATER })).toBe(false)
    expect(sameValidator(v, {})).toBe(false)
  })
})
