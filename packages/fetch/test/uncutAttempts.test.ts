import { virtualPolicy } from '@redress/test-support'
import { describe, expect, it } from 'vitest'
import { redressFetch } from '../src/redressFetch.ts'

// Under a policy that cuts no attempt (no finite deadline, no attemptTimeoutMs), nothing can end
// a request before fetch answers its first attempt, so the caller's promise is the one derived
// from fetch's (see FetchCall.send). These check that every way a run goes on or ends from there
// reaches the caller exactly as under a policy that cuts attempts (whose caller's promise is the
// run's own).

/** A fetch answering each call with the next of `script`: a status, or an error to reject (or throw) with. */
function scriptedFetch(script: ReadonlyArray<number | { reject: unknown } | { throw: unknown }>) {
  const sent: Response[] = []
  let calls = 0
  const fetchFn: typeof fetch = (): Promise<Response> => {
    const step = script[Math.min(calls, script.length - 1)]
    calls++
    if (typeof step === 'number') {
      const response = new Response(`status ${step}`, { status: step })
      sent.push(response)
      return Promise.resolve(response)
    }
    if (step !== undefined && 'throw' in step) throw step.throw
    return Promise.reject(step?.reject)
  }
  return { fetchFn, calls: () => calls, sent }
}

const POLICIES = [
  ['cuts no attempt', { deadlineMs: Infinity }],
  ['cuts attempts', {}],
] as const

describe.each(POLICIES)('redressFetch under a policy that %s', (_name, limits) => {
  const send = (script: Parameters<typeof scriptedFetch>[0], init?: RequestInit) => {
    const scripted = scriptedFetch(script)
    const { policy } = virtualPolicy({ ...limits, budget: null })
    const pending = redressFetch({ fetch: scripted.fetchFn, policy })('https://example.test/r', init)
    return { ...scripted, pending }
  }

  it.each([
    ['a first-try 200', 200, 1],
    ['the last response when every attempt gets a 503', 503, 3],
  ])('resolves with %s, body intact', async (_case, status, attempts) => {
    const { pending, calls } = send([status])
    const response = await pending
    expect(response.status).toBe(status)
    expect(await response.text()).toBe(`status ${status}`)
    expect(calls()).toBe(attempts)
  })

  it('retries a 503 and resolves with the 200 that follows, releasing the 503', async () => {
    const { pending, calls, sent } = send([503, 200])
    const response = await pending
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('status 200')
    expect(calls()).toBe(2)
    expect(sent[0]?.bodyUsed).toBe(true)
  })

  it('retries a network error and resolves with the response that follows', async () => {
    const reset = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } })
    const { pending, calls } = send([{ reject: reset }, 200])
    expect((await pending).status).toBe(200)
    expect(calls()).toBe(2)
  })

  it('rejects with the original error when the failure is not retried', async () => {
    const reset = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } })
    // A POST without an Idempotency-Key is not retried after a reset.
    const { pending, calls } = send([{ reject: reset }, 200], { method: 'POST', body: 'x' })
    await expect(pending).rejects.toBe(reset)
    expect(calls()).toBe(1)
  })

  it('rejects with the error fetch throws synchronously, as fetch would reject', async () => {
    const thrown = new TypeError('bad header')
    const { pending } = send([{ throw: thrown }], { method: 'POST', body: 'x' })
    await expect(pending).rejects.toBe(thrown)
  })

  it('rejects with the error of an invalid per-request option, without calling fetch', async () => {
    const { pending, calls } = send([200], { redress: { retry: 'no' as unknown as boolean } })
    await expect(pending).rejects.toThrow(/redress\.retry/)
    expect(calls()).toBe(0)
  })
})
