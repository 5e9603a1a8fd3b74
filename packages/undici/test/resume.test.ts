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
import { Agent, type Dispatcher, request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { type RedressInterceptorOptions, redressInterceptor } from '../src/redressInterceptor.ts'

const MB = 1_048_576
const serve = rangeServers()
/** A 503 whose Retry-After takes 4 s, a 200 cut at 60 000 bytes, then continuations that never answer. */
const deadlineScript = (i: number): RangeStep =>
  i === 0 ? { status: 503, headers: { 'retry-after': '4' } } : i === 1 ? { cutAfter: 60_000 } : { hang: true }
const closers: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

function agentWith(policy: RetryPolicy, options: RedressInterceptorOptions = {}): Dispatcher {
  const agent = new Agent()
  closers.push(() => agent.close())
  return agent.compose(redressInterceptor({ policy, ...options }))
}

describe('redressInterceptor: resuming cut downloads', () => {
  it('delivers a 20 MB body cut three times at random offsets intact, sending each byte once', async () => {
    const body = seededBytes(20 * MB, 29)
    const offsets = cutOffsets(body.length, 3, seededRandom(29), 64 * 1024)
    const server = await serve({ body, script: cutAt(offsets) })
    const logged: Array<readonly [EventName, Readonly<Record<string, unknown>>]> = []
    const { policy } = virtualPolicy({ onLog: (event, fields) => logged.push([event, fields]) })
    const res = await request(`${server.origin}/file.bin`, { dispatcher: agentWith(policy) })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-length']).toBe(String(body.length))
    const { bytes, error } = await readToEnd(res.body)
    expect(error).toBeUndefined()
    expect(bytes.length).toBe(body.length)
    expect(sha256(bytes)).toBe(sha256(body))
    expect(server.requests.map((r) => [r.url, r.headers.range, r.headers['if-match'], r.headers['if-range']])).toEqual([
      ['/file.bin', undefined, undefined, undefined],
      ...offsets.map((at) => ['/file.bin', `bytes=${at}-`, '"rep-1"', '"rep-1"']),
    ])
    expect(server.bodyBytesSent).toBe(body.length)
    const retries = logged.filter(([event]) => event === 'retry').map(([, fields]) => fields)
    expect(retries.map((f) => [f['resume'], f['resume_offset'], f['class']])).toEqual(
      offsets.map((at) => ['true', at, 'TRANSIENT']),
    )
  })

  it('resumes on a strong Last-Modified, keeping the caller headers but its own conditionals', async () => {
    const body = seededBytes(MB, 22)
    const server = await serve({ body, validator: 'last-modified', script: cutAt([512_000]) })
    const { policy } = virtualPolicy()
    const res = await request(server.origin, {
      dispatcher: agentWith(policy),
      headers: { 'x-token': 'abc', 'if-none-match': '"stale"' },
    })
    const { bytes, error } = await readToEnd(res.body)
    expect(error).toBeUndefined()
    expect(sha256(bytes)).toBe(sha256(body))
    expect(server.requests[1]?.headers).toMatchObject({
      'x-token': 'abc',
      range: 'bytes=512000-',
      'if-unmodified-since': 'Tue, 15 Nov 1994 08:12:31 GMT',
      'if-range': 'Tue, 15 Nov 1994 08:12:31 GMT',
    })
    expect(server.requests[1]?.headers['if-none-match']).toBeUndefined()
  })

  it.each([
    ['a flat list', ['x-token', 'abc', 'If-None-Match', '"stale"', 'Range', 'bytes=0-']],
    [
      'an iterable of pairs',
      new Map([
        ['x-token', 'abc'],
        ['If-None-Match', '"stale"'],
        ['Range', 'bytes=0-'],
      ]),
    ],
  ])("keeps the caller's headers given as %s, but its Range and conditionals", async (_shape, headers) => {
    const body = seededBytes(MB, 34)
    const server = await serve({ body, script: cutAt([400_000]) })
    const res = await request(server.origin, { dispatcher: agentWith(virtualPolicy().policy), headers })
    const { bytes, error } = await readToEnd(res.body)
    expect(error).toBeUndefined()
    expect(sha256(bytes)).toBe(sha256(body))
    expect(server.requests[1]?.headers).toMatchObject({
      'x-token': 'abc',
      range: 'bytes=400000-',
      'if-match': '"rep-1"',
    })
    expect(server.requests[1]?.headers['if-none-match']).toBeUndefined()
  })

  it('ends the body with a ResumeError when the server ignores Range (200)', async () => {
    const body = seededBytes(MB, 23)
    const server = await serve({ body, script: (i) => (i === 0 ? { cutAfter: 300_000 } : { ignoreRange: true }) })
    const res = await request(server.origin, { dispatcher: agentWith(virtualPolicy().policy) })
    const { bytes, error } = await readToEnd(res.body)
    expect(isResumeError(error)).toBe(true)
    expect(error).toMatchObject({ reason: 'range_ignored', offset: 300_000, status: 200 })
    expect(bytes.length).toBe(300_000)
    expect(isPrefix(bytes, body)).toBe(true)
    await server.until(() => server.connectionClosed(1))
  })

  it('ends the body with a ResumeError when the validator changed', async () => {
    const body = seededBytes(MB, 24)
    const server = await serve({ body, script: (i) => (i === 0 ? { cutAfter: 70_000 } : { changed: true }) })
    const res = await request(server.origin, { dispatcher: agentWith(virtualPolicy().policy) })
    const { bytes, error } = await readToEnd(res.body)
    expect(error).toMatchObject({ reason: 'validator_changed', offset: 70_000, status: 412 })
    expect(isPrefix(bytes, body)).toBe(true)
  })

  it('ends the body with a ResumeError when Content-Range is off by one', async () => {
    const body = seededBytes(MB, 25)
    const server = await serve({ body, script: (i) => (i === 0 ? { cutAfter: 99_999 } : { shiftContentRange: -1 }) })
    const res = await request(server.origin, { dispatcher: agentWith(virtualPolicy().policy) })
    const { bytes, error } = await readToEnd(res.body)
    expect(error).toMatchObject({ reason: 'content_range_mismatch', offset: 99_999, status: 206 })
    expect((error as Error).message).toContain('starts at 99998')
    expect(bytes.length).toBe(99_999)
    expect(isPrefix(bytes, body)).toBe(true)
  })

  it('does not resume a response without a validator, nor one opted out per request or per adapter', async () => {
    const body = seededBytes(MB, 26)
    const none = await serve({ body, validator: 'none', script: () => ({ cutAfter: 1_000 }) })
    const first = await readToEnd((await request(none.origin, { dispatcher: agentWith(virtualPolicy().policy) })).body)
    expect(first.error).toMatchObject({ code: 'UND_ERR_SOCKET' })
    expect(none.requests).toHaveLength(1)
    const tagged = await serve({ body, script: () => ({ cutAfter: 1_000 }) })
    const perRequest = await request(tagged.origin, {
      dispatcher: agentWith(virtualPolicy().policy),
      redress: { resume: false },
    })
    expect((await readToEnd(perRequest.body)).error).toMatchObject({ code: 'UND_ERR_SOCKET' })
    const off = await request(tagged.origin, { dispatcher: agentWith(virtualPolicy().policy, { resume: false }) })
    expect((await readToEnd(off.body)).error).toMatchObject({ code: 'UND_ERR_SOCKET' })
    expect(tagged.requests.map((r) => r.headers.range)).toEqual([undefined, undefined])
    expect(() => redressInterceptor({ resume: 'yes' as never })).toThrow('redressInterceptor: resume must be a boolean')
    await expect(
      request(tagged.origin, { dispatcher: agentWith(virtualPolicy().policy), redress: { resume: 1 as never } }),
    ).rejects.toThrow('redressInterceptor: redress.resume must be a boolean, got 1')
  })

  it("ends the body with the caller's abort reason when it aborts during a resume", async () => {
    const body = seededBytes(MB, 27)
    const server = await serve({ body, script: (i) => (i === 0 ? { cutAfter: 40_000 } : { hang: true }) })
    const controller = new AbortController()
    const res = await request(server.origin, {
      dispatcher: agentWith(virtualPolicy().policy),
      signal: controller.signal,
    })
    const reading = readToEnd(res.body)
    await server.until(() => server.requests.length === 2)
    const reason = new Error('stop')
    controller.abort(reason)
    const { bytes, error } = await reading
    expect(error).toBe(reason)
    expect(bytes.length).toBe(40_000)
    await server.until(() => server.connectionClosed(1))
  })

  it("ends the body with the caller's abort reason when it aborts while a continuation streams", async () => {
    const body = seededBytes(8 * MB, 28)
    const server = await serve({ body, script: cutAt([10_000]) })
    const controller = new AbortController()
    const res = await request(server.origin, {
      dispatcher: agentWith(virtualPolicy().policy),
      signal: controller.signal,
    })
    const reason = new Error('enough')
    const { received, error: failure } = await readUntil(res.body, 20_000, () => controller.abort(reason))
    expect(failure).toBe(reason)
    expect(received).toBeLessThan(body.length)
    await server.until(() => server.connectionClosed(1))
  })

  it("gives up at the deadline counted from the request's start: deadlineMs bounds the whole download", async () => {
    const body = seededBytes(MB, 30)
    const server = await serve({ body, script: deadlineScript })
    const { policy, clock, sleeps } = virtualPolicy({ deadlineMs: 5_000, maxAttempts: 10 })
    const res = await request(server.origin, { dispatcher: agentWith(policy) })
    const reading = readToEnd(res.body)
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
    const body = seededBytes(MB, 31)
    const server = await serve({
      body,
      script: (i) => (i === 0 ? { cutAfter: 100_000 } : i === 1 ? { status: 503 } : undefined),
    })
    const { policy, sleeps } = virtualPolicy()
    const res = await request(server.origin, { dispatcher: agentWith(policy) })
    const { bytes, error } = await readToEnd(res.body)
    expect(error).toBeUndefined()
    expect(sha256(bytes)).toBe(sha256(body))
    expect(server.requests.map((r) => r.headers.range)).toEqual([undefined, 'bytes=100000-', 'bytes=100000-'])
    expect(sleeps).toHaveLength(2)
  })

  it('resumes through a paused caller without losing or reordering bytes', async () => {
    const body = seededBytes(4 * MB, 32)
    const server = await serve({ body, script: cutAt([1_000_000, 2_000_000]) })
    const res = await request(server.origin, { dispatcher: agentWith(virtualPolicy().policy), highWaterMark: 1024 })
    const chunks: Buffer[] = []
    for await (const chunk of res.body) {
      chunks.push(chunk as Buffer)
      // A slow reader: undici pauses the connection while the stream is full.
      if (chunks.length % 16 === 0) await new Promise((resolve) => setImmediate(resolve))
    }
    expect(sha256(Buffer.concat(chunks))).toBe(sha256(body))
  })

  it('costs a resumable 200 that is not cut no AbortController, no signal and no timer', async () => {
    const body = seededBytes(256 * 1024, 33)
    const server = await serve({ body })
    const measure = async (dispatcher: Dispatcher): Promise<{ controllers: number; timers: number }> => {
      // Warm the connection first, so that only the requests themselves are counted.
      await request(server.origin, { dispatcher }).then((res) => res.body.dump())
      const made = { controllers: 0, timers: 0 }
      const OriginalController = globalThis.AbortController
      const originalSetTimeout = globalThis.setTimeout
      globalThis.AbortController = class extends OriginalController {
        constructor() {
          super()
          made.controllers += 1
        }
      }
      globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
        made.timers += 1
        return originalSetTimeout(...args)
      }) as typeof setTimeout
      try {
        for (let i = 0; i < 20; i++) {
          const res = await request(server.origin, { dispatcher })
          expect(sha256(Buffer.from(await res.body.arrayBuffer()))).toBe(sha256(body))
        }
      } finally {
        globalThis.AbortController = OriginalController
        globalThis.setTimeout = originalSetTimeout
      }
      return made
    }
    const off = await measure(agentWith(httpPolicy(), { resume: false }))
    const on = await measure(agentWith(httpPolicy()))
    expect(on.controllers).toBe(0)
    // undici arms its own keep-alive timer as a connection goes idle; redress adds none.
    expect(on.timers).toBeLessThanOrEqual(off.timers)
  })
})
