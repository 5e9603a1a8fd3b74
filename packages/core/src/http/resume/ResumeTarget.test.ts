import { describe, expect, it } from 'vitest'
import { continuationHeaders } from './continuationHeaders.ts'
import { resumeTargetOf } from './ResumeTarget.ts'

const ETAG = { kind: 'etag', value: '"v1"' } as const

function target(status: number, headers: Record<string, string>, method = 'GET', decodesBody = true) {
  return resumeTargetOf({ method, status, headers, decodesBody })
}

describe('resumeTargetOf', () => {
  it('places a 200 at 0 and its Content-Length as the total', () => {
    expect(target(200, { etag: '"v1"', 'content-length': '1000' })).toEqual({
      validator: ETAG,
      start: 0,
      end: 999,
      total: 1000,
      encoding: undefined,
    })
  })

  it('leaves the end open for a 200 of unknown length (chunked)', () => {
    expect(target(200, { etag: '"v1"' })).toMatchObject({ start: 0, end: undefined, total: undefined })
  })

  it('places a 206 where its Content-Range says', () => {
    expect(target(206, { etag: '"v1"', 'content-range': 'bytes 100-199/1000' })).toMatchObject({
      start: 100,
      end: 199,
      total: 1000,
    })
  })

  it.each([
    ['a POST', 200, { etag: '"v1"' }, 'POST'],
    ['a HEAD', 200, { etag: '"v1"' }, 'HEAD'],
    ['a 203', 203, { etag: '"v1"' }, 'GET'],
    ['a 304', 304, { etag: '"v1"' }, 'GET'],
    ['no validator', 200, { 'content-length': '10' }, 'GET'],
    ['a weak ETag', 200, { etag: 'W/"v1"' }, 'GET'],
    ['an empty body', 200, { etag: '"v1"', 'content-length': '0' }, 'GET'],
    ['Accept-Ranges: none', 200, { etag: '"v1"', 'accept-ranges': 'none' }, 'GET'],
    ['a multipart 206', 206, { etag: '"v1"', 'content-type': 'multipart/byteranges; boundary=x' }, 'GET'],
    ['a decoded gzip body', 200, { etag: '"v1"', 'content-encoding': 'gzip' }, 'GET'],
  ])('does not resume %s', (_name, status, headers, method) => {
    expect(target(status, headers, method)).toBeUndefined()
  })

  it('refuses only Accept-Ranges: none, in any case', () => {
    expect(target(200, { etag: '"v1"', 'accept-ranges': ' None ' })).toBeUndefined()
    expect(target(200, { etag: '"v1"', 'accept-ranges': 'bytes', 'content-length': '10' })).toEqual({
      validator: ETAG,
      start: 0,
      end: 9,
      total: 10,
      encoding: undefined,
    })
  })

  it('takes a Content-Length only when it is one whole number', () => {
    for (const length of ['10x', 'x10', '1 0', '-10', '10.5', '']) {
      expect(target(200, { etag: '"v1"', 'content-length': length })).toMatchObject({
        end: undefined,
        total: undefined,
      })
    }
    expect(target(200, { etag: '"v1"', 'content-length': ' 10 ' })).toMatchObject({ end: 9, total: 10 })
  })

  it('reads an empty Content-Encoding as none', () => {
    expect(target(200, { etag: '"v1"', 'content-encoding': ' ' })).toMatchObject({ encoding: undefined })
  })

  it('resumes a coded body when the client hands over the coded bytes (undici)', () => {
    expect(target(200, { etag: '"v1"', 'content-encoding': 'GZIP' }, 'get', false)).toMatchObject({ encoding: 'gzip' })
    expect(target(200, { etag: '"v1"', 'content-encoding': 'identity' })).toMatchObject({ encoding: undefined })
  })
})

describe('continuationHeaders', () => {
  it('asks for the rest with If-Match and If-Range on an entity tag', () => {
    const t = { validator: ETAG, start: 0, end: 999, total: 1000, encoding: undefined }
    expect(continuationHeaders(t, 400)).toEqual({ range: 'bytes=400-', 'if-match': '"v1"', 'if-range': '"v1"' })
  })

  it('keeps the end of a 206 that stopped before the representation does', () => {
    const t = { validator: ETAG, start: 100, end: 199, total: 1000, encoding: undefined }
    expect(continuationHeaders(t, 150).range).toBe('bytes=150-199')
  })

  it('guards with If-Unmodified-Since and If-Range on a date', () => {
    const date = 'Tue, 15 Nov 1994 08:12:31 GMT'
    const t = {
      validator: { kind: 'last-modified', value: date, epochMs: 0 } as const,
      start: 0,
      end: undefined,
      total: undefined,
      encoding: undefined,
    }
    expect(continuationHeaders(t, 7)).toEqual({ range: 'bytes=7-', 'if-unmodified-since': date, 'if-range': date })
  })
})
