import { vi } from 'vitest'

/** What {@link countSignalsAndTimers} has counted so far (each read gives the count at that moment). */
export interface SignalAndTimerCounts {
  /** `new AbortController()` calls: every `AbortSignal` but the static ones comes from one. */
  readonly abortControllers: number
  /** Calls of `AbortSignal.timeout`, `AbortSignal.any` and `AbortSignal.abort`. */
  readonly staticSignals: number
  /** Calls of the global `setTimeout`. */
  readonly setTimeoutCalls: number
}

/**
 * Counts, from now on, every `AbortController` constructed, every static `AbortSignal` made and
 * every `setTimeout` call: what a success path must not add per request. It stubs the global
 * `AbortController` with a counting subclass and spies on the rest through vitest; the caller
 * undoes them with `vi.restoreAllMocks()` and `vi.unstubAllGlobals()` (read the counts first).
 */
export function countSignalsAndTimers(): SignalAndTimerCounts {
  const Real = globalThis.AbortController
  let abortControllers = 0
  vi.stubGlobal(
    'AbortController',
    class CountedAbortController extends Real {
      constructor() {
        super()
        abortControllers++
      }
    },
  )
  const statics = [vi.spyOn(AbortSignal, 'timeout'), vi.spyOn(AbortSignal, 'any'), vi.spyOn(AbortSignal, 'abort')]
  const timers = vi.spyOn(globalThis, 'setTimeout')
  return {
    get abortControllers() {
      return abortControllers
    },
    get staticSignals() {
      return statics.reduce((sum, spy) => sum + spy.mock.calls.length, 0)
    },
    get setTimeoutCalls() {
      return timers.mock.calls.length
    },
  }
}
