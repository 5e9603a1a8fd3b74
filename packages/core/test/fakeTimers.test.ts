import { RetryPolicy, ServerError } from '@redress/core'
import { FakeClock } from '@redress/core/testing'
import { afterEach, describe, expect, it, vi } from 'vitest'

// Issue 13: FakeClock must work under vitest's default fake timers, which fake setImmediate.
describe('FakeClock under vi.useFakeTimers()', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('drives a retried call with attempt timeouts to its end, with every timer faked', async () => {
    vi.useFakeTimers()
    const clock = new FakeClock()
    const policy = new RetryPolicy({ clock, random: () => 0, strategy: () => 1_000, attemptTimeoutMs: 5_000 })
    let calls = 0
    const call = policy.call(async () => {
      if (++calls < 3) throw new ServerError('down')
      return 'ok'
    })
    await clock.runAll()
    await expect(call).resolves.toBe('ok')
    expect(calls).toBe(3)
    expect(clock.now()).toBe(2_000)
    // Nothing was scheduled on the faked timers: the engine waited only through the clock.
    expect(vi.getTimerCount()).toBe(0)
  })

  it('advance() wakes sleeps under fake timers too', async () => {
    vi.useFakeTimers()
    const clock = new FakeClock()
    let woke = false
    void clock.sleep(500).then(() => {
      woke = true
    })
    await clock.advance(499)
    expect(woke).toBe(false)
    await clock.advance(1)
    expect(woke).toBe(true)
  })
})
