import { httpPolicy } from '@redress/core/http'
import { virtualPolicy } from '@redress/test-support'
import { describe, expect, it } from 'vitest'
import { redressFetch } from '../src/redressFetch.ts'

/** A fetch that never settles and never looks at its signal: only redress can end the caller's wait. */
function deafFetch(): { readonly fetchFn: typeof fetch; readonly calls: () => number } {
  let n = 0
  const fetchFn: typeof fetch = () => {
    n++
    return new Promise<Response>(() => {})
  }
  return { fetchFn, calls: () => n }
}

describe('redressFetch: an attempt whose fetch ignores its abort', () => {
  it('rejects at the attempt timeout all the same', async () => {
    const { fetchFn, calls } = deafFetch()
    const { clock, policy } = virtualPolicy({ attemptTimeoutMs: 1_000, maxAttempts: 1 })
    const pending = redressFetch({ fetch: fetchFn, policy })('https://example.test/').catch((error: unknown) => error)
    await clock.until(() => clock.pendingDueTimes.includes(1_000))
    await clock.advance(1_000)
    expect(await pending).toMatchObject({ name: 'TimeoutError' })
    expect(calls()).toBe(1)
  })

  it("rejects with the caller's abort reason all the same, with or without a deadline", async () => {
    for (const policy of [httpPolicy(), httpPolicy({ deadlineMs: Infinity })]) {
      const { fetchFn } = deafFetch()
      const controller = new AbortController()
      const pending = redressFetch({ fetch: fetchFn, policy })('https://example.test/', { signal: controller.signal })
      const reason = new Error('caller gave up')
      controller.abort(reason)
      await expect(pending).rejects.toBe(reason)
    }
  })
})
