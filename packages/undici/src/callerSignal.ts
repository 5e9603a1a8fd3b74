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
 * The runs under way with one caller signal, and the one listener they share on it. However many
 * requests share a signal, redress adds one listener to it (undici's `request()` adds its own per
 * request, as without redress): a listener per run would pass Node's limit of 10 twice as early as
 * plain undici and print a `MaxListenersExceededWarning` (issue 14, defect 4).
 */
class SignalShare {
  readonly runs: Set<RedressController> = new Set()
  readonly #signal: SignalLike

  constructor(signal: SignalLike) {
    this.#signal = signal
  }

  /** The shared listener: aborts every run under way with the signal's reason. */
  readonly onAbort = (): void => {
    SHARES.delete(this.#signal)
    this.#unlisten()
    const reason = this.#signal.reason ?? abortError()
    // A run that ends leaves the set: abort a copy.
    for (const run of [...this.runs]) run.abort(reason)
    this.runs.clear()
  }

  /** Adds the shared listener; false when the signal offers no way to listen. */
  listen(): boolean {
    const signal = this.#signal
    if (typeof signal.addEventListener === 'function') signal.addEventListener('abort', this.onAbort)
    else if (typeof signal.on === 'function') signal.on('abort', this.onAbort)
    else return false
    return true
  }

  /** Ends the run's use of the signal; the listener goes with the last run. */
  leave(run: RedressController): void {
    if (!this.runs.delete(run) || this.runs.size > 0) return
    SHARES.delete(this.#signal)
    this.#unlisten()
  }

  #unlisten(): void {
    const signal = this.#signal
    if (typeof signal.removeEventListener === 'function') signal.removeEventListener('abort', this.onAbort)
    else signal.off?.('abort', this.onAbort)
  }
}

/** The caller signals of runs under way, each with its share. */
const SHARES = new WeakMap<object, SignalShare>()

/**
 * Aborts `controller` when the caller's `opts.signal` aborts (at once if it has already). Runs
 * under way with the same signal share one listener on it.
 *
 * @param value the caller's `opts.signal`: an `AbortSignal` or an `EventEmitter`, or anything else (ignored)
 * @returns what stops listening, when a listener was added
 */
export function listenForAbort(value: unknown, controller: RedressController): (() => void) | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const signal = value as SignalLike
  if (signal.aborted === true) {
    controller.abort(signal.reason ?? abortError())
    return undefined
  }
  let share = SHARES.get(signal)
  if (share === undefined) {
    share = new SignalShare(signal)
    if (!share.listen()) return undefined
    SHARES.set(signal, share)
  }
  share.runs.add(controller)
  const joined = share
  return () => joined.leave(controller)
}

/** What a run aborted without a reason ends with, as `AbortSignal.abort()` would. */
export function abortError(): DOMException {
  return new DOMException('This operation was aborted', 'AbortError')
}
