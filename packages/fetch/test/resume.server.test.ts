import type { EventName } from '@redress/core'
import { isResumeError, RESUME_MIN_BODY_BYTES } from '@redress/core/http'
import { seededRandom } from '@redress/core/testing'
import {
  cutAt,
  cutOffsets,
  isPrefix,
  type RangeStep,
  rangeServers,
  readToEnd,
  seededBytes,
  sha256,
  virtualPolicy,
} from '@redress/test-support'
import { describe, expect, it } from 'vitest'
import { redressFetch } from '../src/redressFetch.ts'

const MB = 1_048_576
const serve = rangeServers()
/** A 503 whose Retry-After takes 4 s, a 200 cut at 60 000 bytes, then continuations that never answer. */
const deadlineScript = (i: number): RangeStep =>
  i === 0 ? { status: 503, headers: { 'retry-after': '4' } } : i === 1 ? { cutAfter: 60_000 } : { hang: true }

/** Reads a response's body to its end or its error: the bytes that arrived, and the error if any. */
const readAll = (response: Response) => readToEnd(response.body)

describe('redressFetch: resuming cut downloads', () => {
  it('delivers a 20 MB body cut three times at random offsets intact, sending each byte once', async () => {
    const body = seededBytes(20 * MB, 19)
    const offsets = cutOffsets(body.length, 3, seededRandom(19), 64 * 1024)
    const server = await serve({ body, script: cutAt(offsets) })
    const logged: Array<readonly [EventName, Readonly<Record<string, unknown>>]> = []
    const { policy } = virtualPolicy({ onLog: (event, fields) => logged.push([event, fields]) })
    const response = await redressFetch({ policy })(`${server.origin}/file.bin`)
    expect(response.status).toBe(200)
    expect(response.url).toBe(`${server.origin}/file.bin`)
    expect(response.headers.get('content-length')).toBe(String(body.length))
    const { bytes, error } = await readAll(response)
    expect(error).toBeUndefined()
    expect(bytes.length).toBe(body.length)
    expect(sha256(bytes)).toBe(sha256(body))
    // One request per cut, each for exactly the rest, guarded by the ETag.
    expect(server.requests.map((r) => [r.headers.range, r.headers['if-match'], r.headers['if-range']])).toEqual([
      [undefined, undefined, undefined],
      ...offsets.map((at) => [`bytes=${at}-`, '"rep-1"', '"rep-1"']),
    ])
    expect(server.bodyBytesSent).toBe(body.length)
    // Each resume is a retry tagged as one, with its offset in the log fields.
    const retries = logged.filter(([event]) => event === 'retry').map(([, fields]) => fields)
    expect(retries).toHaveLength(3)
    expect(retries.map((f) => [f['resume'], f['resume_offset'], f['class'], f['host']])).toEqual(
      offsets.map((at) => ['true', at, 'TRANSIENT', new URL(server.origin).host]),
    )
  })

  it("resumes with If-Unmodified-Since and If-Range when the validator is a strong Last-Modified, keeping the caller's other headers", async () => {
    const body = seededBytes(MB, 2)
    const server = await serve({ body, validator: 'last-modified', script: cutAt([300_000]) })
    const { policy } = virtualPolicy()
    const headers = new Headers({ 'x-token': 'abc', 'if-none-match': '"stale"', range: 'bytes=0-' })
    const { bytes, error } = await readAll(await redressFetch({ policy })(server.origin, { headers }))
    expect(error).toBeUndefined()
    expect(sha256(bytes)).toBe(sha256(body))
    // The caller's headers go on, but its Range and conditionals.
    expect(server.requests[1]?.headers['if-none-match']).toBeUndefined()
    expect(server.requests[1]?.headers).toMatchObject({
      'x-token': 'abc',
      range: 'bytes=300000-',
      'if-unmodified-since': 'Tue, 15 Nov 1994 08:12:31 GMT',
      'if-range': 'Tue, 15 Nov 1994 08:12:31 GMT',
    })
  })

  it('continues a 206 the caller asked for, up to the end of its range', async () => {
    const body = seededBytes(MB, 3)
    const server = await serve({ body, script: cutAt([100_000 - 1_000]) })
    const { policy } = virtualPolicy()
    const response = await redressFetch({ policy })(server.origin, { headers: { range: 'bytes=1000-500999' } })
    expect(response.status).toBe(206)
    const { bytes, error } = await readAll(response)
    expect(error).toBeUndefined()
    expect(Buffer.from(bytes).equals(Buffer.from(body.subarray(1_000, 501_000)))).toBe(true)
    expect(server.requests[1]?.headers.range).toBe('bytes=100000-500999')
  })

  it('ends the body with a ResumeError when the server ignores Range (200), after the bytes that were right', async () => {
    const body = seededBytes(MB, 4)
    const server = await serve({ body, script: (i) => (i === 0 ? { cutAfter: 400_000 } : { ignoreRange: true }) })
    const { policy } = virtualPolicy()
    const { bytes, error } = await readAll(await redressFetch({ policy })(server.origin))
    expect(isResumeError(error)).toBe(true)
    expect(error).toMatchObject({ name: 'ResumeError', reason: 'range_ignored', offset: 400_000, status: 200 })
    expect(bytes.length).toBe(400_000)
    expect(isPrefix(bytes, body)).toBe(true)
  })

  it('ends the body with a ResumeError when the validator changed (412 to If-Match)', async () => {
    const body = seededBytes(MB, 5)
    const server = await serve({ body, script: (i) => (i === 0 ? { cutAfter: 123_456 } : { changed: true }) })
    const { policy } = virtualPolicy()
    const { bytes, error } = await readAll(await redressFetch({ policy })(server.origin))
    expect(error).toMatchObject({ reason: 'validator_changed', offset: 123_456, status: 412 })
    expect(isPrefix(bytes, body)).toBe(true)
    expect(server.requests).toHaveLength(2)
  })

  it('ends the body with a ResumeError when a careless server sends a 206 of the changed resource', async () => {
    const body = seededBytes(MB, 6)
    const server = await serve({
      body,
      script: (i) => (i === 0 ? { cutAfter: 5_000 } : { changed: true, ignoreConditionals: true }),
    })
    const { policy } = virtualPolicy()
    const { bytes, error } = await readAll(await redressFetch({ policy })(server.origin))
    expect(error).toMatchObject({ reason: 'validator_changed', offset: 5_000, status: 206 })
    expect(bytes.length).toBe(5_000)
  })

  it('ends the body with a ResumeError when Content-Range is off by one', async () => {
    const body = seededBytes(MB, 7)
    const server = await serve({
      body,
      script: (i) => (i === 0 ? { cutAfter: 777_777 } : { shiftContentRange: 1 }),
    })
    const { policy } = virtualPolicy()
    const { bytes, error } = await readAll(await redressFetch({ policy })(server.origin))
    expect(error).toMatchObject({ reason: 'content_range_mismatch', offset: 777_777, status: 206 })
    expect((error as Error).message).toContain('starts at 777778')
    expect(bytes.length).toBe(777_777)
    expect(isPrefix(bytes, body)).toBe(true)
  })

  it('does not resume a response without a validator: the cut reaches the caller as before', async () => {
    const body = seededBytes(MB, 8)
    const server = await serve({ body, validator: 'none', script: cutAt([200_000]) })
    const { policy } = virtualPolicy()
    const response = await redressFetch({ policy })(server.origin)
    const { bytes, error } = await readAll(response)
    expect(error).toMatchObject({ name: 'TypeError', message: 'terminated' })
    expect(bytes.length).toBe(200_000)
    expect(server.requests).toHaveLength(1)
  })

  it('leaves a body shorter than RESUME_MIN_BODY_BYTES as it is: a cut reaches the caller', async () => {
    const body = seededBytes(RESUME_MIN_BODY_BYTES - 1, 15)
    const server = await serve({ body, script: cutAt([10_000]) })
    const { error } = await readAll(await redressFetch({ policy: virtualPolicy().policy })(server.origin))
    expect(error).toMatchObject({ message: 'terminated' })
    expect(server.requests).toHaveLength(1)
  })

  it('can be turned off per adapter and per request', async () => {
    const body = seededBytes(MB, 9)
    const server = await serve({ body, script: () => ({ cutAfter: 1_000 }) })
    const off = await readAll(await redressFetch({ policy: virtualPolicy().policy, resume: false })(server.origin))
    expect(off.error).toMatchObject({ message: 'terminated' })
    const perRequest = await readAll(
      await redressFetch({ policy: virtualPolicy().policy })(server.origin, { redress: { resume: false } }),
    )
    expect(perRequest.error).toMatchObject({ message: 'terminated' })
    expect(server.requests.map((r) => r.headers.range)).toEqual([undefined, undefined])
    await expect(redressFetch()(server.origin, { redress: { resume: 'no' as never } })).rejects.toThrow(
      'redressFetch: redress.resume must be a boolean, got "no"',
    )
    expect(() => redressFetch({ resume: 1 as never })).toThrow('redressFetch: resume must be a boolean')
  })

  it("ends the body with the caller's abort reason when it aborts during a resume", async () => {
    const body = seededBytes(MB, 10)
    const server = await serve({ body, script: (i) => (i === 0 ? { cutAfter: 50_000 } : { hang: true }) })
    const { policy } = virtualPolicy()
    const controller = new AbortController()
    const response = await redressFetch({ policy })(server.origin, { signal: controller.signal })
    const reading = readAll(response)
    await server.until(() => server.requests.length === 2)
    const reason = new Error('user navigated away')
    controller.abort(reason)
    const { bytes, error } = await reading
    expect(error).toBe(reason)
    expect(bytes.length).toBe(50_000)
    // The continuation in flight was aborted: its connection is closed, not left hanging.
    await server.until(() => server.connectionClosed(1))
  })

  it("ends the body with the caller's abort reason when it aborts while a continuation streams", async () => {
    const body = seededBytes(4 * MB, 11)
    const server = await serve({ body, script: cutAt([10_000]) })
    const { policy } = virtualPolicy()
    const controller = new AbortController()
    const response = await redressFetch({ policy })(server.origin, { signal: controller.signal })
    const reader = response.body?.getReader()
    let received = 0
    while (received <= 10_000) received += (await reader?.read())?.value?.length ?? 0
    const reason = new Error('enough')
    controller.abort(reason)
    await expect(
      (async () => {
        for (;;) if ((await reader?.read())?.done !== false) return 'done'
      })(),
    ).rejects.toBe(reason)
  })

  it("gives up at the deadline counted from the request's start: deadlineMs bounds the whole download", async () => {
    const body = seededBytes(MB, 12)
    const server = await serve({ body, script: deadlineScript })
    const { policy, clock, sleeps } = virtualPolicy({ deadlineMs: 5_000, maxAttempts: 10 })
    const response = await redressFetch({ policy })(server.origin)
    const reading = readAll(response)
    await server.until(() => server.requests.length === 3)
    // The 503's Retry-After took 4 s of the 5: the continuation has what is left, not 5 s more.
    expect(sleeps[0]).toBe(4_000)
    expect(Math.max(...clock.pendingDueTimes)).toBe(5_000)
    await clock.advance(5_000 - clock.now())
    const { error } = await reading
    expect(error).toMatchObject({ reason: 'gave_up', stopReason: 'DEADLINE_EXCEEDED', offset: 60_000 })
    expect((error as Error).cause).toMatchObject({ name: 'TimeoutError' })
    expect(clock.now()).toBe(5_000)
    expect(server.requests).toHaveLength(3)
    await server.until(() => server.connectionClosed(2))
  })

  it('retries a continuation answered 503, under the policy, then splices the 206', async () => {
    const body = seededBytes(MB, 13)
    const server = await serve({
      body,
      script: (i) => (i === 0 ? { cutAfter: 1 } : i === 1 ? { status: 503 } : undefined),
    })
    const { policy, sleeps } = virtualPolicy()
    const { bytes, error } = await readAll(await redressFetch({ policy })(server.origin))
    expect(error).toBeUndefined()
    expect(sha256(bytes)).toBe(sha256(body))
    expect(server.requests.map((r) => r.headers.range)).toEqual([undefined, 'bytes=1-', 'bytes=1-'])
    expect(sleeps).toHaveLength(2)
  })

  it('leaves a 200 that is not cut as it is, whole', async () => {
    const body = seededBytes(300_000, 14)
    const server = await serve({ body })
    const response = await redressFetch({ policy: virtualPolicy().policy })(server.origin)
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(body)
  })
})

/** The ways redressFetch sends an attempt, each of which hands the run's response to the resumer at its own point. */
const TRANSPORTS: ReadonlyArray<readonly [string, typeof fetch | undefined, { deadlineMs?: number }]> = [
  ["Node's fetch (aborted through its dispatcher)", undefined, {}],
  ['another fetch, with a deadline (a signal per attempt)', (input, init) => fetch(input, init), {}],
  [
    'another fetch, with no deadline (the init passed as it is)',
    (input, init) => fetch(input, init),
    { deadlineMs: Infinity },
  ],
]

describe('redressFetch: resuming, whichever way the attempts are sent', () => {
  it.each(TRANSPORTS)('resumes a body cut once, through %s', async (_name, transport, limits) => {
    const body = seededBytes(MB, 16)
    const server = await serve({ body, script: cutAt([300_000]) })
    const { policy } = virtualPolicy(limits)
    const send = redressFetch(transport === undefined ? { policy } : { policy, fetch: transport })
    const { bytes, error } = await readAll(await send(server.origin))
    expect(error).toBeUndefined()
    expect(sha256(bytes)).toBe(sha256(body))
    expect(server.requests.map((r) => r.headers.range)).toEqual([undefined, 'bytes=300000-'])
  })

  it.each(TRANSPORTS)('resumes the 200 a retry got after a 503, through %s', async (_name, transport, limits) => {
    const body = seededBytes(MB, 17)
    const server = await serve({
      body,
      script: (i) => (i === 0 ? { status: 503 } : i === 1 ? { cutAfter: 100_000 } : undefined),
    })
    const { policy } = virtualPolicy(limits)
    const send = redressFetch(transport === undefined ? { policy } : { policy, fetch: transport })
    const { bytes, error } = await readAll(await send(server.origin))
    expect(error).toBeUndefined()
    expect(sha256(bytes)).toBe(sha256(body))
    expect(server.requests.map((r) => r.headers.range)).toEqual([undefined, undefined, 'bytes=100000-'])
  })

  it.each(TRANSPORTS)(
    "resumes a request made with the caller's signal, through %s",
    async (_name, transport, limits) => {
      const body = seededBytes(MB, 18)
      const server = await serve({ body, script: cutAt([500_000]) })
      const { policy } = virtualPolicy(limits)
      const send = redressFetch(transport === undefined ? { policy } : { policy, fetch: transport })
      const { bytes, error } = await readAll(await send(server.origin, { signal: new AbortController().signal }))
      expect(error).toBeUndefined()
      expect(sha256(bytes)).toBe(sha256(body))
      expect(server.requests.map((r) => r.headers.range)).toEqual([undefined, 'bytes=500000-'])
    },
  )

  it.each(TRANSPORTS)(
    'hands a cut to the caller when the request turned resume off, through %s',
    async (_name, transport, limits) => {
      const body = seededBytes(MB, 20)
      const server = await serve({ body, script: cutAt([1_000]) })
      const { policy } = virtualPolicy(limits)
      const send = redressFetch(transport === undefined ? { policy } : { policy, fetch: transport })
      const { error } = await readAll(await send(server.origin, { redress: { resume: false } }))
      expect(error).toMatchObject({ message: 'terminated' })
      expect(server.requests).toHaveLength(1)
    },
  )
})
