import { getEventListeners } from 'node:events'
import { describe, expect, it } from 'vitest'
import { releaseCallerSignal, shareCallerSignal } from '../src/shareCallerSignal.ts'

const listeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length

describe('shareCallerSignal', () => {
  it('gives the first call the caller signal itself, and the others followers behind one listener', () => {
    const caller = new AbortController().signal
    const first = shareCallerSignal(caller)
    expect(first).toBe(caller)
    expect(listeners(caller)).toBe(0)
    const others = Array.from({ length: 20 }, () => shareCallerSignal(caller))
    expect(new Set(others).size).toBe(20)
    expect(others).not.toContain(caller)
    expect(listeners(caller)).toBe(1)
    for (const other of others) releaseCallerSignal(caller, other)
    expect(listeners(caller)).toBe(0)
    releaseCallerSignal(caller, first)
  })

  it('aborts every follower with the reason of the caller signal', () => {
    const controller = new AbortController()
    const caller = controller.signal
    const first = shareCallerSignal(caller)
    const followers = [shareCallerSignal(caller), shareCallerSignal(caller)]
    const reason = new Error('gone')
    controller.abort(reason)
    expect(first.reason).toBe(reason)
    expect(followers.map((f) => [f.aborted, f.reason])).toEqual([
      [true, reason],
      [true, reason],
    ])
    for (const used of [first, ...followers]) releaseCallerSignal(caller, used)
    expect(listeners(caller)).toBe(0)
  })

  it('hands the caller signal to the next call once the call that held it has ended', () => {
    const caller = new AbortController().signal
    const first = shareCallerSignal(caller)
    const follower = shareCallerSignal(caller)
    releaseCallerSignal(caller, first)
    expect(shareCallerSignal(caller)).toBe(caller)
    releaseCallerSignal(caller, caller)
    releaseCallerSignal(caller, follower)
    expect(listeners(caller)).toBe(0)
    // Everything was forgotten: a new call starts afresh with the caller's signal.
    expect(shareCallerSignal(caller)).toBe(caller)
    releaseCallerSignal(caller, caller)
  })

  it('passes an already-aborted signal through untracked', () => {
    const caller = AbortSignal.abort('early')
    expect(shareCallerSignal(caller)).toBe(caller)
    expect(shareCallerSignal(caller)).toBe(caller)
    expect(listeners(caller)).toBe(0)
    expect(() => releaseCallerSignal(caller, caller)).not.toThrow()
  })
})
