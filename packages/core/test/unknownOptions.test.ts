/**
 * Issue 13: a key that is no option — a typo such as `{ opertion: 'x' }` — fails loudly, in a call's
 * options and in a request's `redress` options, as it does in every constructor's; and the
 * operation handed to `policy.call`, `policy.execute` and `retry` is checked by one validator.
 */
import { describe, expect, it } from 'vitest'
import { readRequestOptions } from '../src/adapter/index.ts'
import { type CallOptions, ErrorClass, RetryPolicy, retry } from '../src/index.ts'

const typo = { opertion: 'x' } as unknown as CallOptions

describe('call options', () => {
  const policy = new RetryPolicy({ strategy: () => 0 })
  const unknown = /^call options: unknown option "opertion"; expected one of operation, signal, /

  it('rejects a call whose options have an unknown key, naming it, without running the operation', async () => {
    let runs = 0
    const op = async (): Promise<number> => ++runs
    await expect(policy.call(op, typo)).rejects.toThrow(TypeError)
    await expect(policy.call(op, typo)).rejects.toThrow(unknown)
    await expect(policy.execute(op, typo)).rejects.toThrow(unknown)
    expect(runs).toBe(0)
  })

  it('refuses an unknown key in context(), start() and resume() at once', () => {
    expect(() => policy.context(typo)).toThrow(unknown)
    expect(() => policy.start(typo)).toThrow(unknown)
    const state = policy.start().state
    expect(() => policy.resume(state, typo)).toThrow(unknown)
  })

  it('accepts every option of CallOptions, and a key whose value is undefined', async () => {
    const all: Required<CallOptions> = {
      operation: 'op',
      signal: new AbortController().signal,
      abortIf: () => false,
      classifier: () => ErrorClass.TRANSIENT,
      resultClassifier: () => undefined,
      budget: null,
      circuitBreaker: undefined,
      throttle: null,
      maxRetryAfterMs: 1_000,
      hedge: false,
      tags: { a: 'b' },
      captureTimeline: true,
      onMetric: () => {},
      onLog: () => {},
      onAttemptStart: () => {},
      onAttemptEnd: () => {},
      beforeSleep: () => {},
    }
    expect(await policy.call(async () => 'ok', all)).toBe('ok')
    expect(await policy.call(async () => 'ok', { operation: undefined })).toBe('ok')
  })

  it('ignores an inherited key, as Object.keys does', async () => {
    const inherited = Object.create({ opertion: 'x' }) as CallOptions
    expect(await policy.call(async () => 'ok', inherited)).toBe('ok')
  })
})

describe('the operation', () => {
  const policy = new RetryPolicy()

  it('rejects call() and execute() with a TypeError naming what was got (a rejection, not a throw)', async () => {
    const call = policy.call('nope' as never)
    await expect(call).rejects.toThrow(new TypeError('policy.call(fn): fn must be a function, got "nope"'))
    const execute = policy.execute(undefined as never)
    await expect(execute).rejects.toThrow(new TypeError('policy.call(fn): fn must be a function, got undefined'))
  })

  it('throws from retry(...)(fn) when fn is no function', () => {
    expect(() => retry()(42 as never)).toThrow(new TypeError('retry(...)(fn): fn must be a function, got 42'))
  })
})

describe("a request's redress options (readRequestOptions, which fetch, axios and undici all use)", () => {
  it('throws a TypeError naming an unknown key', () => {
    expect(() => readRequestOptions({ opertion: 'x' }, 'redressFetch')).toThrow(
      new TypeError(
        'redressFetch: unknown option "redress.opertion"; expected one of retry, operation, retryNonIdempotent, hedge, resume',
      ),
    )
  })

  it('accepts every per-request option', () => {
    const all = { retry: true, operation: 'x', retryNonIdempotent: false, hedge: false, resume: false } as const
    expect(readRequestOptions(all, 'redressFetch')).toBe(all)
  })
})
