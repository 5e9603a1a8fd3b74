import { describe, expect, it } from 'vitest'
import type { AttemptContext, EventName, RetryOptions } from '../../index.ts'
import { FakeClock } from '../../testing/FakeClock.ts'
import { createHttpAdapter } from '../httpAdapter.ts'
import { httpPolicy } from '../httpPolicy.ts'
import type { ResumableDownload } from './ResumableDownload.ts'
import { isResumeError } from './ResumeError.ts'
import { Resumer } from './Resumer.ts'
import type { ResumeTransport } from './ResumeTransport.ts'

const MB = 1_048_576
const ETAG = '"v1"'

/** A response as the scripted transport hands it over. */
interface Reply {
  readonly status: number
  readonly headers: Record<string, string>
  released?: boolean
}

const partial = (from: number, headers: Record<string, string> = {}): Reply => ({
  status: 206,
  headers: { etag: ETAG, 'content-range': `bytes ${from}-${MB - 1}/${MB}`, ...headers },
})

function setup(options: RetryOptions = {}, redress: { operation?: string } = {}) {
  const clock = new FakeClock()
  const events: Array<readonly [EventName, Readonly<Record<string, unknown>>]> = []
  const policy = httpPolicy({
    clock,
    random: () => 0,
    strategy: () => 100,
    onLog: (event, fields) => events.push([event, fields]),
    ...options,
  })
  const resumer = new Resumer(createHttpAdapter({ policy }, 'test'), {}, 'test')
  const download = resumer.download(
    { method: 'GET', status: 200, headers: { etag: ETAG, 'content-length': String(MB) }, decodesBody: true },
    { url: 'http://files.test/big.bin', redress },
    resumer.startTime(),
  ) as ResumableDownload
  return { clock, events, resumer, download }
}

/** A transport answering the n-th continuation with `replies[n]` (an Error rejects). */
function scripted(replies: ReadonlyArray<Reply | Error>) {
  const sent: Array<Readonly<Record<string, string>>> = []
  const transport: ResumeTransport<Reply> = {
    send: async (headers: Readonly<Record<string, string>>, _ctx: AttemptContext) => {
      const reply = replies[sent.length] ?? new Error('script ran out')
      sent.push(headers)
      if (reply instanceof Error) throw reply
      return { ...reply }
    },
    head: (r) => r,
    firstBytes: async () => {},
    release: (r) => {
      r.released = true
    },
  }
  return { sent, transport }
}

/** Runs `p` to its end on the fake clock. */
async function settle<T>(clock: FakeClock, p: Promise<T>): Promise<T | { readonly rejected: unknown }> {
  const caught = p.catch((rejected: unknown) => ({ rejected }))
  await clock.runAll()
  return caught
}

const reset = (): Error => Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' })

describe('ResumableDownload', () => {
  it('runs the cut as attempt 1 of the policy, then splices a checked 206; the retry is tagged', async () => {
    const { clock, events, download } = setup()
    expect(download.deliver(300_000)).toBeUndefined()
    const { sent, transport } = scripted([partial(300_000)])
    const continuation = await settle(clock, download.resume(reset(), transport))
    expect(continuation).toMatchObject({ status: 206 })
    expect(sent).toEqual([{ range: 'bytes=300000-', 'if-match': ETAG, 'if-range': ETAG }])
    const retry = events.find(([event]) => event === 'retry')?.[1]
    expect(retry).toMatchObject({
      attempt: 1,
      resume: 'true',
      resume_offset: 300_000,
      class: 'TRANSIENT',
      err: 'UND_ERR_SOCKET',
      method: 'GET',
      host: 'files.test',
      operation: 'GET files.test',
      sleep_ms: 100,
    })
  })

  it('names the operation as the request says', async () => {
    const { clock, events, download } = setup({}, { operation: 'download' })
    await settle(clock, download.resume(reset(), scripted([partial(0)]).transport))
    expect(events.find(([event]) => event === 'retry')?.[1]).toMatchObject({ operation: 'download' })
  })

  it('passes the cut on unchanged when no continuation is sent: not retryable, no budget, past the deadline', async () => {
    const abort = new DOMException('aborted', 'AbortError')
    const a = setup()
    const first = scripted([partial(0)])
    expect(await settle(a.clock, a.download.resume(abort, first.transport))).toEqual({ rejected: abort })
    expect(first.sent).toHaveLength(0)

    const b = setup({ budget: { tryAcquire: () => false, recordSuccess: () => {}, recordFailure: () => {} } })
    const cut = reset()
    expect(await settle(b.clock, b.download.resume(cut, scripted([partial(0)]).transport))).toEqual({ rejected: cut })

    const c = setup({ deadlineMs: 1_000 })
    await c.clock.advance(1_000)
    const third = scripted([partial(0)])
    expect(await settle(c.clock, c.download.resume(cut, third.transport))).toEqual({ rejected: cut })
    expect(third.sent).toHaveLength(0)
  })

  it("counts the deadline from the request's start, not from its response: deadlineMs bounds the whole download", async () => {
    const clock = new FakeClock()
    const policy = httpPolicy({ clock, random: () => 0, strategy: () => 100, deadlineMs: 5_000 })
    const resumer = new Resumer(createHttpAdapter({ policy }, 'test'), {}, 'test')
    const startedAtMs = resumer.startTime()
    expect(startedAtMs).toBe(0)
    // The first response took 4 s of the deadline (attempts, backoff sleeps) before its headers.
    await clock.advance(4_000)
    const head = {
      method: 'GET',
      status: 200,
      headers: { etag: ETAG, 'content-length': String(MB) },
      decodesBody: true,
    }
    const download = resumer.download(head, { url: 'http://files.test/', redress: undefined }, startedAtMs)
    download?.deliver(1_000)
    const sentAtMs: number[] = []
    const hanging: ResumeTransport<Reply> = {
      send: (_headers, ctx) => {
        sentAtMs.push(clock.now())
        return new Promise((_resolve, reject) => ctx.onAbort(reject))
      },
      head: (r) => r,
      firstBytes: async () => {},
      release: () => {},
    }
    const outcome = download?.resume(reset(), hanging).catch((e: unknown) => e)
    await clock.runAll()
    expect(await outcome).toMatchObject({ reason: 'gave_up', stopReason: 'DEADLINE_EXCEEDED', offset: 1_000 })
    // One continuation, after the 100 ms backoff, abandoned at 5 s from the request's start.
    expect(sentAtMs).toEqual([4_100])
    expect(clock.now()).toBe(5_000)

    // Past the request's deadline, a cut is passed on as it is: nothing is sent.
    const late = resumer.download(head, { url: 'http://files.test/', redress: undefined }, startedAtMs)
    const cut = reset()
    expect(await late?.resume(cut, hanging).catch((e: unknown) => e)).toBe(cut)
    expect(sentAtMs).toHaveLength(1)
    // A policy with no deadline reads no clock for a request's start.
    const unbounded = new Resumer(
      createHttpAdapter({ policy: httpPolicy({ deadlineMs: Infinity }) }, 'test'),
      {},
      'test',
    )
    expect(unbounded.startTime()).toBeUndefined()
  })

  it('retries a retryable status under the policy and ends with a ResumeError when it runs out, releasing each', async () => {
    const { clock, download } = setup({ maxAttempts: 3 })
    const replies = [
      { status: 503, headers: {} },
      { status: 503, headers: {} },
    ]
    const { sent, transport } = scripted(replies)
    const outcome = await settle(clock, download.resume(reset(), transport))
    const error = (outcome as { rejected: unknown }).rejected
    expect(isResumeError(error)).toBe(true)
    expect(error).toMatchObject({ reason: 'status', status: 503, stopReason: 'MAX_ATTEMPTS_GLOBAL', offset: 0 })
    expect(sent).toHaveLength(2)
  })

  it('gives up with the last network error as the cause', async () => {
    const { clock, download } = setup({ maxAttempts: 3 })
    const last = reset()
    const outcome = await settle(clock, download.resume(reset(), scripted([reset(), last]).transport))
    expect((outcome as { rejected: unknown }).rejected).toMatchObject({
      reason: 'gave_up',
      stopReason: 'MAX_ATTEMPTS_GLOBAL',
      cause: last,
    })
  })

  it('refuses a 206 that does not continue the body, at once, and releases it', async () => {
    const { clock, download } = setup()
    download.deliver(10)
    const refused = partial(11)
    const replies = [refused]
    const sent: Reply[] = []
    const transport: ResumeTransport<Reply> = {
      send: async () => {
        const r = { ...(replies[sent.length] as Reply) }
        sent.push(r)
        return r
      },
      head: (r) => r,
      firstBytes: async () => {},
      release: (r) => {
        r.released = true
      },
    }
    const outcome = await settle(clock, download.resume(reset(), transport))
    expect((outcome as { rejected: unknown }).rejected).toMatchObject({ reason: 'content_range_mismatch', offset: 10 })
    expect(sent).toHaveLength(1)
    expect(sent[0]?.released).toBe(true)
  })

  it('counts delivered bytes: an overrun and a short end are ResumeErrors, a full body is complete', () => {
    const { download } = setup()
    expect(download.deliver(MB - 1)).toBeUndefined()
    expect(download.finish()).toMatchObject({ reason: 'content_range_mismatch', offset: MB - 1 })
    expect(download.complete).toBe(false)
    expect(download.deliver(2)).toMatchObject({ reason: 'content_range_mismatch' })
    expect(download.deliver(1)).toBeUndefined()
    expect(download.complete).toBe(true)
    expect(download.finish()).toBeUndefined()
  })

  it("ends with the caller's reason when cancelled during the backoff, sending nothing", async () => {
    const { clock, download } = setup()
    const { sent, transport } = scripted([partial(0)])
    const pending = download.resume(reset(), transport).catch((e: unknown) => e)
    await clock.advance(50)
    const reason = new Error('gone')
    download.cancel(reason)
    expect(await pending).toBe(reason)
    expect(sent).toHaveLength(0)
    expect(await download.resume(reset(), transport).catch((e: unknown) => e)).toBe(reason)
  })

  it('does not make a download of a short body, one without a validator, or one opted out', () => {
    const { resumer } = setup()
    const head = { method: 'GET', status: 200, decodesBody: true }
    const url = 'http://files.test/'
    expect(
      resumer.download({ ...head, headers: { etag: ETAG, 'content-length': '65535' } }, { url, redress: undefined }, 0),
    ).toBeUndefined()
    expect(
      resumer.download({ ...head, headers: { 'content-length': String(MB) } }, { url, redress: undefined }, 0),
    ).toBeUndefined()
    expect(
      resumer.download(
        { ...head, headers: { etag: ETAG, 'content-length': String(MB) } },
        { url, redress: { resume: false } },
        0,
      ),
    ).toBeUndefined()
    expect(resumer.download({ ...head, headers: { etag: ETAG } }, { url, redress: undefined }, 0)).toBeDefined()
  })
})
