import type { RedressController } from './RedressController.ts'

/** undici accepts an `AbortSignal` or an `EventEmitter` that emits `'abort'` as `opts.signal`. */
interface SignalLike {
  readonly aborted?: unknown
  readonly reason?: unknown
  addEventListener?(type: 'abort', listener: () => void): void
  removeEventListener?(type: 'abort', listener: () => void): void
  on?(type: 'abort', listener: () => void): void
  off?(type: 'abort', listener: () => void): void
}

/**
 * Aborts `controller` when the caller's `opts.signal` aborts (at once if it has already).
 *
 * @param value the caller's `opts.signal`: an `AbortSignal` or an `EventEmitter`, or anything else (ignored)
 * @returns what stops listening, when a listener was added
 */
export function listenForAbort(value: unknown, controller: RedressController): (() => void) | undefined {
  if (typeof value !== 'object') return undefined
  const signal = value as SignalLike
  const onAbort = (): void => controller.abort(signal.reason ?? abortError())
  if (signal.aborted === true) {
    onAbort()
    return undefined
  }
  if (typeof signal.addEventListener === 'function') {
    signal.addEventListener('abort', onAbort)
    return () => signal.removeEventListener?.('abort', onAbort)
  }
  if (typeof signal.on === 'function') {
    signal.on('abort', onAbort)
    return () => signal.off?.('abort', onAbort)
  }
  return undefined
}

/** What a run aborted without a reason ends with, as `AbortSignal.abort()` would. */
export function abortError(): DOMException {
  return new DOMException('This operation was aborted', 'AbortError')
}
