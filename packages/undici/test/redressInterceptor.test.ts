import { type Readable, Writable } from 'node:stream'
import { ErrorClass, type RetryPolicy } from '@redress/core'
import { type HttpPolicyOptions, httpPolicy } from '@redress/core/http'
import {
  type FaultScript,
  type FaultServer,
  startFaultServer,
  virtualPolicy,
  WatchedClock,
} from '@redress/test-support'
import { Agent, Client, type Dispatcher, Pool, request, stream } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { redressInterceptor } from '../src/redressInterceptor.ts'

const closers: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

async function server(script: FaultScript): Promise<FaultServer> {
  const s = await startFaultServer(script)
  closers.push(() => s.close())
  return s
}

/** A policy on virtual time whose backoff sleeps are recorded and skipped, with no budget. */
function instant(extra: HttpPolicyOptions = {}): { policy: RetryPolicy; sleeps: number[] } {
  return virtualPolicy({ budget: null, ...extra })
}

function agentWith(policy: RetryPolicy): Dispatcher {
  const agent = new Agent()
  closers.push(() => agent.close())
  return agent.compose(redressInterceptor({ policy }))
}

describe('redressInterceptor: statuses', () => {
  it('retries a 503 and hands the 200 to the caller with its body', async () => {
    const s = await server([
      { status: 503, body: 'busy' },
      { status: 200, body: 'hello' },
    ])
    const { policy, sleeps } = instant()
    const res = await request(`${s.origin}/a`, { dispatcher: agentWith(policy) })
    expect(res.statusCode).toBe(200)
    expect(await res.body.text()).toBe('hello')
    expect(s.requests).toHaveLength(2)
    expect(sleeps).toHaveLength(1)
  })

  it('hands over the last response intact when the attempts run out', async () => {
    let n = 0
    const s = await server(() => {
      n += 1
      return { status: 503, headers: { 'x-attempt': String(n) }, body: `busy ${n}` }
    })
    const { policy, sleeps } = instant()
    const res = await request(s.origin, { dispatcher: agentWith(policy) })
    expect(res.statusCode).toBe(503)
    expect(res.headers['x-attempt']).toBe('3')
    expect(await res.body.text()).toBe('busy 3')
    expect(s.requests).toHaveLength(3)
    expect(sleeps).toHaveLength(2)
  })

  it('does not retry a 404', async () => {
    const s = await server([{ status: 404, body: 'nope' }])
    const { policy } = instant()
    const res = await request(s.origin, { dispatcher: agentWith(policy) })
    expect(res.statusCode).toBe(404)
    expect(await res.body.text()).toBe('nope')
    expect(s.requests).toHaveLength(1)
  })

  it('does not retry a POST that got a 503', async () => {
    const s = await server([{ status: 503 }, { status: 200 }])
    const { policy } = instant()
    const res = await request(s.origin, { dispatcher: agentWith(policy), method: 'POST', body: 'x' })
    await res.body.dump()
    expect(res.statusCode).toBe(503)
    expect(s.requests).toHaveLength(1)
  })

  it('retries a POST carrying an Idempotency-Key, replaying its string body', async () => {
    const s = await server([{ status: 503 }, { status: 201 }])
    const { policy } = instant()
    const res = await request(s.origin, {
      dispatcher: agentWith(policy),
      method: 'POST',
      headers: { 'idempotency-key': 'k-1' },
      body: '{"a":1}',
    })
    await res.body.dump()
    expect(res.statusCode).toBe(201)
    expect(s.requests.map((r) => r.body)).toEqual(['{"a":1}', '{"a":1}'])
  })

  it('replays a Buffer body on retry', async () => {
    const s = await server([{ status: 502 }, { status: 200 }])
    const { policy } = instant()
    const res = await request(s.origin, { dispatcher: agentWith(policy), method: 'PUT', body: Buffer.from('bytes') })
    await res.body.dump()
    expect(res.statusCode).toBe(200)
    expect(s.requests.map((r) => r.body)).toEqual(['bytes', 'bytes'])
  })

  it('sends an async iterable body once', async () => {
    const s = await server([{ status: 503 }, { status: 200 }])
    const { policy } = instant()
    async function* chunks(): AsyncGenerator<Buffer> {
      yield Buffer.from('it')
    }
    // undici sends async iterables though its body type does not list them.
    const body = chunks() as unknown as Readable
    const res = await request(s.origin, { dispatcher: agentWith(policy), method: 'PUT', body })
    await res.body.dump()
    expect(res.statusCode).toBe(503)
    expect(s.requests).toHaveLength(1)
  })

  it('sends the request once, untouched, with redress: { retry: false }', async () => {
    const s = await server([{ status: 503 }, { status: 200 }])
    const { policy } = instant()
    const res = await request(s.origin, { dispatcher: agentWith(policy), redress: { retry: false } })
    await res.body.dump()
    expect(res.statusCode).toBe(503)
    expect(s.requests).toHaveLength(1)
  })

  it('names the operation from the per-request option', async () => {
    const s = await server([{ status: 503 }, { status: 200 }])
    const operations: unknown[] = []
    const { policy } = instant({ onMetric: (_event, _attempt, _sleep, tags) => operations.push(tags.operation) })
    const res = await request(s.origin, { dispatcher: agentWith(policy), redress: { operation: 'getThing' } })
    await res.body.dump()
    expect(operations).toEqual(['getThing', 'getThing'])
  })

  it('rejects a malformed per-request option with a TypeError naming it', async () => {
    const s = await server([{ status: 200 }])
    const { policy } = instant()
    const dispatcher = agentWith(policy)
    await expect(
      request(s.origin, { dispatcher, redress: { retry: 'no' } as unknown as { retry: boolean } }),
    ).rejects.toThrow(/redress\.retry/)
    expect(s.requests).toHaveLength(0)
  })

  it('does not multiply attempts when composed twice', async () => {
    const s = await server([{ status: 503 }])
    const { policy } = instant()
    const agent = new Agent()
    closers.push(() => agent.close())
    const dispatcher = agent.compose(redressInterceptor({ policy }), redressInterceptor({ policy }))
    const res = await request(s.origin, { dispatcher })
    await res.body.dump()
    expect(res.statusCode).toBe(503)
    expect(s.requests).toHaveLength(3)
  })
})

describe('redressInterceptor: network errors', () => {
  it('retries after a headers timeout', async () => {
    const s = await server([{ hang: true }, { status: 200, body: 'late' }])
    const { policy } = instant()
    // undici's own 50 ms headers timeout cuts the first attempt (it hangs: the real timer always
    // fires first). The retry keeps the agent's default, so it never races the loopback answer on
    // a loaded machine.
    const dispatched: Array<number | null | undefined> = []
    const firstAttemptTimesOut: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
      dispatched.push(opts.headersTimeout)
      return dispatch(dispatched.length === 1 ? { ...opts, headersTimeout: 50 } : opts, handler)
    }
    const agent = new Agent()
    closers.push(() => agent.close())
    const dispatcher = agent.compose(firstAttemptTimesOut, redressInterceptor({ policy }))
    const res = await request(s.origin, { dispatcher })
    expect(await res.body.text()).toBe('late')
    expect(s.requests).toHaveLength(2)
    expect(dispatched).toHaveLength(2)
  })

  it('passes an error in the body through to the caller, without a second request', async () => {
    const s = await server([{ status: 200, partialBody: 'half', declaredLength: 100 }, { status: 200 }])
    const { policy } = instant()
    const res = await request(s.origin, { dispatcher: agentWith(policy) })
    expect(res.statusCode).toBe(200)
    await expect(res.body.text()).rejects.toThrow()
    expect(s.requests).toHaveLength(1)
  })
})

describe('redressInterceptor: aborts', () => {
  it('aborts the attempt in flight through the signal, and sends nothing more', async () => {
    const s = await server([{ hang: true }, { status: 200 }])
    const { policy, sleeps } = instant()
    const controller = new AbortController()
    const pending = request(s.origin, { dispatcher: agentWith(policy), signal: controller.signal })
    await s.until(() => s.requests.length === 1)
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
    expect(sleeps).toHaveLength(0)
    expect(s.requests).toHaveLength(1)
  })

  it('dispatches nothing for a signal aborted before the request', async () => {
    const s = await server([{ status: 200 }])
    const { policy } = instant()
    const reason = new Error('already')
    await expect(request(s.origin, { dispatcher: agentWith(policy), signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    )
    expect(s.requests).toHaveLength(0)
  })

  it('gives the handler a controller whose abort() ends the backoff sleep at once', async () => {
    const s = await server([{ status: 503, headers: { 'retry-after': '30' } }, { status: 200 }])
    const clock = new WatchedClock()
    const policy = httpPolicy({ budget: null, sleeper: (ms, signal) => clock.sleep(ms, signal) })
    const dispatcher = agentWith(policy)
    const events: string[] = []
    let controller: Dispatcher.DispatchController | undefined
    const done = new Promise<unknown>((resolve) => {
      dispatcher.dispatch(
        { origin: s.origin, path: '/', method: 'GET' },
        {
          onRequestStart: (c) => {
            controller = c
            events.push('start')
          },
          onResponseStart: () => events.push('response'),
          onResponseEnd: () => resolve('end'),
          onResponseError: (_c, error) => resolve(error),
        },
      )
    })
    await clock.until(() => clock.pendingCount === 1)
    const reason = new Error('stop')
    controller?.abort(reason)
    expect(await done).toBe(reason)
    expect(events).toEqual(['start'])
    await clock.advance(60_000)
    expect(s.requests).toHaveLength(1)
  })
})

describe('redressInterceptor: connections', () => {
  it('drains a small retried body so the keep-alive connection is reused', async () => {
    const s = await server([{ status: 503, body: 'x'.repeat(1000) }, { status: 200 }])
    const { policy } = instant()
    const client = new Client(s.origin)
    closers.push(() => client.close())
    const res = await client.compose(redressInterceptor({ policy })).request({ path: '/', method: 'GET' })
    await res.body.dump()
    expect(res.statusCode).toBe(200)
    expect(s.totalSockets).toBe(1)
  })

  it('does not hold the connection for a retried 503 with a multi-megabyte body', async () => {
    const big = Buffer.alloc(8 * 1024 * 1024, 'a')
    const s = await server([
      { status: 503, body: big },
      { status: 200, body: 'ok' },
    ])
    const { policy } = instant()
    const pool = new Pool(s.origin, { connections: 1 })
    closers.push(() => pool.close())
    const res = await pool.compose(redressInterceptor({ policy })).request({ path: '/', method: 'GET' })
    expect(await res.body.text()).toBe('ok')
    // The 503's socket was closed rather than drained; the 200 came on a fresh one.
    expect(s.totalSockets).toBe(2)
    await s.until(() => s.openSockets === 1)
  })

  it('does not hold the connection for a retried chunked 503 of unknown length', async () => {
    const s = await server([{ status: 503, body: Buffer.alloc(4 * 1024 * 1024), chunked: true }, { status: 200 }])
    const { policy } = instant()
    const pool = new Pool(s.origin, { connections: 1 })
    closers.push(() => pool.close())
    const res = await pool.compose(redressInterceptor({ policy })).request({ path: '/', method: 'GET' })
    await res.body.dump()
    expect(res.statusCode).toBe(200)
    // Read up to DISCARD_DUMP_MAX_BYTES, then cut: the 200 came on a fresh socket.
    expect(s.requests).toHaveLength(2)
    expect(s.totalSockets).toBe(2)
  })
})

describe('redressInterceptor: forwarded bodies', () => {
  it("forwards a multi-megabyte body after a retry, under the caller's back-pressure", async () => {
    const big = Buffer.alloc(6 * 1024 * 1024, 'b')
    const s = await server([{ status: 503 }, { status: 200, body: big }])
    const { policy } = instant()
    const res = await request(s.origin, { dispatcher: agentWith(policy), highWaterMark: 1024 })
    let length = 0
    for await (const chunk of res.body) {
      length += (chunk as Buffer).length
      // A slow reader: undici pauses the connection through the caller's controller.
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(length).toBe(big.length)
  })

  it('hands trailers and the whole body of a first-try success through unchanged', async () => {
    const s = await server([{ status: 200, headers: { 'x-a': '1' }, body: 'plain' }])
    const { policy, sleeps } = instant()
    const res = await request(s.origin, { dispatcher: agentWith(policy) })
    expect(res.headers['x-a']).toBe('1')
    expect(await res.body.text()).toBe('plain')
    expect(sleeps).toHaveLength(0)
  })
})

describe('redressInterceptor: undici APIs', () => {
  it('works with undici.stream', async () => {
    const s = await server([{ status: 503 }, { status: 200, body: 'streamed' }])
    const { policy } = instant()
    const chunks: Buffer[] = []
    await stream(
      s.origin,
      { dispatcher: agentWith(policy), method: 'GET' },
      () =>
        new Writable({
          write(chunk: Buffer, _enc, cb) {
            chunks.push(chunk)
            cb()
          },
        }),
    )
    expect(Buffer.concat(chunks).toString()).toBe('streamed')
    expect(s.requests).toHaveLength(2)
  })

  it('keeps the class of a retried status visible in the outcome hooks', async () => {
    const s = await server([{ status: 503 }, { status: 200 }])
    const classes: unknown[] = []
    const { policy } = instant({ beforeSleep: (ctx) => classes.push(ctx.errorClass) })
    const res = await request(s.origin, { dispatcher: agentWith(policy) })
    await res.body.dump()
    expect(classes).toEqual([ErrorClass.SERVER_ERROR])
  })
})

describe('redressInterceptor: options', () => {
  it('rejects unknown or malformed options at construction, naming them', () => {
    expect(() => redressInterceptor({ retries: 3 } as never)).toThrow(/redressInterceptor: unknown option "retries"/)
    expect(() => redressInterceptor({ maxRetryAfterMs: -1 })).toThrow(RangeError)
    expect(() => redressInterceptor({ policy: {} as never })).toThrow(/policy must be a RetryPolicy/)
  })

  it('gives up at once on a Retry-After above maxRetryAfterMs and hands back that response', async () => {
    const s = await server([{ status: 503, headers: { 'retry-after': '120' }, body: 'later' }, { status: 200 }])
    const sleeps: number[] = []
    const policy = httpPolicy({ budget: null, sleeper: async (ms) => void sleeps.push(ms) })
    const agent = new Agent()
    closers.push(() => agent.close())
    const dispatcher = agent.compose(redressInterceptor({ policy, maxRetryAfterMs: 10_000 }))
    const res = await request(s.origin, { dispatcher })
    expect(res.statusCode).toBe(503)
    expect(await res.body.text()).toBe('later')
    expect(sleeps).toHaveLength(0)
    expect(s.requests).toHaveLength(1)
  })
})

describe('redressInterceptor: attempt timeouts and handler errors', () => {
  it('aborts an attempt that outlives attemptTimeoutMs and retries it, on virtual time', async () => {
    const s = await server([{ hang: true }, { status: 200, body: 'second' }])
    // The attempt timeout runs on the fake clock; the backoff sleep is recorded and skipped.
    const { clock, policy, sleeps } = virtualPolicy({ budget: null, attemptTimeoutMs: 5_000 })
    const pending = request(s.origin, { dispatcher: agentWith(policy) })
    await s.until(() => s.requests.length === 1)
    await clock.advance(5_000)
    await s.until(() => s.requests.length === 2)
    expect(sleeps).toHaveLength(1)
    const res = await pending
    expect(await res.body.text()).toBe('second')
    // The timed-out attempt's socket was closed, not left hanging.
    await s.until(() => s.openSockets === 1)
  })

  it('ends with onResponseError when the handler throws in onResponseStart', async () => {
    const s = await server([{ status: 503 }, { status: 200, body: 'x' }])
    const { policy } = instant()
    const dispatcher = agentWith(policy)
    const boom = new Error('handler bug')
    const ended = await new Promise<unknown>((resolve) => {
      dispatcher.dispatch(
        { origin: s.origin, path: '/', method: 'GET' },
        {
          // undici treats a handler without onRequestStart as a legacy (onHeaders…) one.
          onRequestStart: () => {},
          onResponseStart: () => {
            throw boom
          },
          onResponseEnd: () => resolve('end'),
          onResponseError: (_c, error) => resolve(error),
        },
      )
    })
    expect(ended).toBe(boom)
    expect(s.requests).toHaveLength(2)
  })
})
