import type { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import type { EventName, RetryPolicy } from '@redress/core'
import { httpPolicy, isResumeError } from '@redress/core/http'
import { seededRandom } from '@redress/core/testing'
import {
  cutAt,
  cutOffsets,
  isPrefix,
  type RangeStep,
  rangeServers,
  readToEnd,
  readUntil,
  seededBytes,
  sha256,
  virtualPolicy,
} from '@redress/test-support'
import axios, { type AxiosInstance } from 'axios'
import { describe, expect, it } from 'vitest'
import type { InstallRedressOptions } from '../src/InstallRedressOptions.ts'
import { installRedress } from '../src/installRedress.ts'

const MB = 1_048_576
const serve = rangeServers()
/** A 503 whose Retry-After takes 4 s, a 200 cut at 60 000 bytes, then continuations that never answer. */
const deadlineScript = (i: number): RangeStep =>
  i === 0 ? { status: 503, headers: { 'retry-after': '4' } } : i === 1 ? { cutAfter: 60_000 } : { hang: true }

function client(origin: string, policy: RetryPolicy, options: InstallRedressOptions = {}): AxiosInstance {
  const api = axios.create({ baseURL: origin, adapter: 'http', responseType: 'stream' })
  installRedress(api, { policy, ...options })
  return api
}

describe("installRedress: resuming cut downloads (responseType: 'stream')", () => {
  it('delivers a 20 MB body cut three times at random offsets intact, sending each byte once', async () => {
    const body = seededBytes(20 * MB, 39)
    const offsets = cutOffsets(body.length, 3, seededRandom(39), 64 * 1024)
    const server = await serve({ body, script: cutAt(offsets) })
    const logged: Array<readonly [EventName, Readonly<Record<string, unknown>>]> = []
    const { policy } = virtualPolicy({ onLog: (event, fields) => logged.push([event, fields]) })
    const res = await client(server.origin, policy).get<Readable>('/file.bin', {
      headers: { 'x-token': 't', 'If-None-Match': '"stale"' },
    })
    expect(res.status).toBe(200)
    const { bytes, error } = await readToEnd(res.data)
    expect(error).toBeUndefined()
    expect(bytes.length).toBe(body.length)
    expect(sha256(bytes)).toBe(sha256(body))
    // The caller's headers go on, but its conditionals: If-None-Match would turn a continuation into a 304.
    const sent = server.requests.map((r) => [
      r.headers.range,
      r.headers['if-match'],
      r.headers['x-token'],
      r.headers['if-none-match'],
    ])
    expect(sent).toEqual([
      [undefined, undefined, 't', '"stale"'],
      ...offsets.map((at) => [`bytes=${at}-`, '"rep-1"', 't', undefined]),
    ])
    expect(server.bodyBytesSent).toBe(body.length)
    const retries = logged.filter(([event]) => event === 'retry').map(([, fields]) => fields)
    expect(retries.map((f) => [f['resume'], f['resume_offset'], f['method']])).toEqual(
      offsets.map((at) => ['true', at, 'GET']),
    )
  })

  it('ends the stream with a ResumeError when the server ignores Range (200)', async () => {
    const body = seededBytes(MB, 40)
    const server = await serve({ body, script: (i) => (i === 0 ? { cutAfter: 250_000 } : { ignoreRange: true }) })
    const res = await client(server.origin, virtualPolicy().policy).get<Readable>('/')
    const { bytes, error } = await readToEnd(res.data)
    expect(isResumeError(error)).toBe(true)
    expect(error).toMatchObject({ reason: 'range_ignored', offset: 250_000, status: 200 })
    expect(bytes.length).toBe(250_000)
    expect(isPrefix(bytes, body)).toBe(true)
  })

  it('ends the stream with a ResumeError when the validator changed', async () => {
    const body = seededBytes(MB, 41)
    const server = await serve({ body, script: (i) => (i === 0 ? { cutAfter: 80_000 } : { changed: true }) })
    const res = await client(server.origin, virtualPolicy().policy).get<Readable>('/')
    const { bytes, error } = await readToEnd(res.data)
    expect(error).toMatchObject({ reason: 'validator_changed', offset: 80_000, status: 412 })
    expect(isPrefix(bytes, body)).toBe(true)
  })

  it('ends the stream with a ResumeError when Content-Range is off by one', async () => {
    const body = seededBytes(MB, 42)
    const server = await serve({ body, script: (i) => (i === 0 ? { cutAfter: 65_537 } : { shiftContentRange: 1 }) })
    const res = await client(server.origin, virtualPolicy().policy).get<Readable>('/')
    const { bytes, error } = await readToEnd(res.data)
    expect(error).toMatchObject({ reason: 'content_range_mismatch', offset: 65_537, status: 206 })
    expect(bytes.length).toBe(65_537)
    expect(isPrefix(bytes, body)).toBe(true)
  })

  it('does not resume without a validator, nor with the per-request or per-installation opt-out', async () => {
    const body = seededBytes(MB, 43)
    const none = await serve({ body, validator: 'none', script: () => ({ cutAfter: 5_000 }) })
    const plain = await readToEnd((await client(none.origin, virtualPolicy().policy).get<Readable>('/')).data)
    expect(plain.error).toMatchObject({ code: 'ECONNRESET' })
    expect(none.requests).toHaveLength(1)
    const tagged = await serve({ body, script: () => ({ cutAfter: 5_000 }) })
    const perRequest = await client(tagged.origin, virtualPolicy().policy).get<Readable>('/', {
      redress: { resume: false },
    })
    expect((await readToEnd(perRequest.data)).error).toMatchObject({ code: 'ECONNRESET' })
    const off = await client(tagged.origin, virtualPolicy().policy, { resume: false }).get<Readable>('/')
    expect((await readToEnd(off.data)).error).toMatchObject({ code: 'ECONNRESET' })
    expect(tagged.requests.map((r) => r.headers.range)).toEqual([undefined, undefined])
    expect(() => installRedress(axios.create(), { resume: 0 as never })).toThrow(
      'installRedress: resume must be a boolean',
    )
    await expect(
      client(tagged.origin, virtualPolicy().policy).get('/', { redress: { resume: 'x' as never } }),
    ).rejects.toThrow('installRedress: redress.resume must be a boolean, got "x"')
  })

  it('fetches a cut buffered response (not a stream) again whole, from byte 0, as before', async () => {
    const body = seededBytes(MB, 50)
    const server = await serve({ body, script: (i) => (i === 0 ? { cutAfter: 300_000 } : undefined) })
    const { policy, sleeps } = virtualPolicy()
    const res = await client(server.origin, policy).get<ArrayBuffer>('/', { responseType: 'arraybuffer' })
    expect(sha256(new Uint8Array(res.data))).toBe(sha256(body))
    expect(server.requests.map((r) => r.headers.range)).toEqual([undefined, undefined])
    expect(server.bodyBytesSent).toBe(300_000 + body.length)
    expect(sleeps).toHaveLength(1)
  })

  it("ends the stream with the caller's abort reason when it aborts during a resume", async () => {
    const body = seededBytes(MB, 44)
    const server = await serve({ body, script: (i) => (i === 0 ? { cutAfter: 30_000 } : { hang: true }) })
    const controller = new AbortController()
    const res = await client(server.origin, virtualPolicy().policy).get<Readable>('/', { signal: controller.signal })
    const reading = readToEnd(res.data)
    await server.until(() => server.requests.length === 2)
    const reason = new Error('not any more')
    controller.abort(reason)
    const { bytes, error } = await reading
    expect(error).toBe(reason)
    expect(bytes.length).toBe(30_000)
    await server.until(() => server.connectionClosed(1))
  })

  it("ends the stream with the caller's abort reason when it aborts while a continuation streams", async () => {
    const body = seededBytes(4 * MB, 51)
    const server = await serve({ body, script: cutAt([10_000]) })
    const controller = new AbortController()
    const res = await client(server.origin, virtualPolicy().policy).get<Readable>('/', { signal: controller.signal })
    const reason = new Error('enough')
    const { received, error: failure } = await readUntil(res.data, 20_000, () => controller.abort(reason))
    expect(failure).toBe(reason)
    expect(received).toBeLessThan(body.length)
    expect(server.requests.map((r) => r.headers.range)).toEqual([undefined, 'bytes=10000-'])
    await server.until(() => server.connectionClosed(1))
  })

  it("gives up at the deadline counted from the request's start: deadlineMs bounds the whole download", async () => {
    const body = seededBytes(MB, 45)
    const server = await serve({ body, script: deadlineScript })
    const { policy, clock, sleeps } = virtualPolicy({ deadlineMs: 5_000, maxAttempts: 10 })
    const res = await client(server.origin, policy).get<Readable>('/')
    const reading = readToEnd(res.data)
    await server.until(() => server.requests.length === 3)
    // The 503's Retry-After took 4 s of the 5: the continuation has what is left, not 5 s more.
    expect(sleeps[0]).toBe(4_000)
    expect(Math.max(...clock.pendingDueTimes)).toBe(5_000)
    await clock.advance(5_000 - clock.now())
    const { error } = await reading
    expect(error).toMatchObject({ reason: 'gave_up', stopReason: 'DEADLINE_EXCEEDED', offset: 60_000 })
    expect(clock.now()).toBe(5_000)
    expect(server.requests).toHaveLength(3)
    await server.until(() => server.connectionClosed(2))
  })

  it('retries a continuation answered 503 under the policy, then splices the 206', async () => {
    const body = seededBytes(MB, 46)
    const server = await serve({
      body,
      script: (i) => (i === 0 ? { cutAfter: 200_000 } : i === 1 ? { status: 503 } : undefined),
    })
    const { policy, sleeps } = virtualPolicy()
    const { bytes, error } = await readToEnd((await client(server.origin, policy).get<Readable>('/')).data)
    expect(error).toBeUndefined()
    expect(sha256(bytes)).toBe(sha256(body))
    expect(server.requests.map((r) => r.headers.range)).toEqual([undefined, 'bytes=200000-', 'bytes=200000-'])
    expect(sleeps).toHaveLength(2)
  })

  it('leaves a stream that is not cut whole', async () => {
    const body = seededBytes(300_000, 47)
    const server = await serve({ body })
    const res = await client(server.origin, httpPolicy()).get<Readable>('/')
    expect(sha256((await readToEnd(res.data)).bytes)).toBe(sha256(body))
  })

  it('never resumes a body axios decompresses (its positions are not the ones Range counts)', async () => {
    const gzipped = gzipSync(seededBytes(2 * MB, 48))
    const server = await serve({ body: gzipped, headers: { 'content-encoding': 'gzip' }, script: cutAt([100_000]) })
    const { error } = await readToEnd((await client(server.origin, virtualPolicy().policy).get<Readable>('/')).data)
    expect(error).toBeDefined()
    expect(isResumeError(error)).toBe(false)
    expect(server.requests).toHaveLength(1)
  })

  it('resumes a coded body with decompress: false, whose bytes are the ones on the wire', async () => {
    const gzipped = gzipSync(seededBytes(2 * MB, 49))
    const server = await serve({ body: gzipped, headers: { 'content-encoding': 'gzip' }, script: cutAt([100_000]) })
    const res = await client(server.origin, virtualPolicy().policy).get<Readable>('/', { decompress: false })
    const { bytes, error } = await readToEnd(res.data)
    expect(error).toBeUndefined()
    expect(sha256(bytes)).toBe(sha256(gzipped))
    expect(server.requests.map((r) => r.headers.range)).toEqual([undefined, 'bytes=100000-'])
  })
})
