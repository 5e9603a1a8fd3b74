import type { AttemptContext } from './RetryOptions.ts'
import type { ResolvedPolicy } from './resolveOptions.ts'

/** How one attempt ended, from the driver's point of view. */
export type AttemptResult =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'error'; readonly error: unknown }
  /** The attempt timer fired: per-attempt timeout (`deadline: false`) or the total deadline. */
  | { readonly kind: 'timeout'; readonly error: unknown; readonly deadline: boolean }
  | { readonly kind: 'aborted'; readonly reason: unknown }

/**
 * The context handed to `fn`. Its `AbortController` is created only when `fn` reads
 * `signal`, which keeps the success path cheap for operations that ignore it.
 */
class LazyAttemptContext implements AttemptContext {
  readonly attempt: number
  #controller: AbortController | undefined
  #reason: unknown
  #aborted = false
  #listeners: Array<(reason: unknown) => void> | undefined

  constructor(attempt: number) {
    this.attempt = attempt
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController()
      if (this.#aborted) this.#controller.abort(this.#reason)
    }
    return this.#controller.signal
  }

  onAbort(listener: (reason: unknown) => void): () => void {
    if (this.#aborted) {
      listener(this.#reason)
      return noop
    }
    if (this.#listeners === undefined) this.#listeners = []
    const listeners = this.#listeners
    listeners.push(listener)
    return () => {
      const i = listeners.indexOf(listener)
      if (i !== -1) listeners.splice(i, 1)
    }
  }

  abort(reason: unknown): void {
    if (this.#aborted) return
    this.#aborted = true
    this.#reason = reason
    this.#controller?.abort(reason)
    const listeners = this.#listeners
    if (listeners === undefined) return
    this.#listeners = undefined
    for (const listener of listeners) {
      try {
        listener(reason)
      } catch {
        // a listener's failure must not stop the others or the run
      }
    }
  }
}

// A promise reaction is cheaper than queueMicrotask, which Node routes through async_hooks.
const RESOLVED: Promise<void> = Promise.resolve()

const noop = (): void => {}

/** A `TimeoutError` like the one `AbortSignal.timeout` produces. */
function timeoutError(message: string): Error {
  return new DOMException(message, 'TimeoutError')
}

/**
 * Runs one attempt, enforcing the timer (`timeoutMs`, already clipped to the
 * deadline) and the caller's signal: whichever comes first settles the attempt and
 * aborts the signal `fn` received. No timer or listener survives the attempt.
 */
export function runAttempt(
  fn: (ctx: AttemptContext) => unknown,
  attempt: number,
  timeoutMs: number,
  isDeadline: boolean,
  signal: AbortSignal | undefined,
  policy: ResolvedPolicy,
): Promise<AttemptResult> {
  const ctx = new LazyAttemptContext(attempt)
  let returned: unknown
  try {
    returned = fn(ctx)
  } catch (error) {
    return Promise.resolve({ kind: 'error', error })
  }
  if (!isThenable(returned)) return Promise.resolve({ kind: 'value', value: returned })
  const pending = returned

  return new Promise<AttemptResult>((resolve) => {
    let settled = false
    let timer: ReturnType<typeof setTimeout> | undefined
    let timerAbort: AbortController | undefined
    const finish = (result: AttemptResult): void => {
      if (settled) return
      settled = true
      if (timer !== undefined) clearTimeout(timer)
      timerAbort?.abort()
      signal?.removeEventListener('abort', onAbort)
      resolve(result)
    }
    const onAbort = (): void => {
      ctx.abort(signal?.reason)
      finish({ kind: 'aborted', reason: signal?.reason })
    }
    const onTimer = (): void => {
      if (settled) return
      const error = timeoutError(
        isDeadline ? `deadline reached after ${timeoutMs} ms` : `attempt timed out after ${timeoutMs} ms`,
      )
      ctx.abort(error)
      finish({ kind: 'timeout', error, deadline: isDeadline })
    }
    pending.then(
      (value) => finish({ kind: 'value', value }),
      (error: unknown) => finish({ kind: 'error', error }),
    )
    if (signal !== undefined) {
      // fn itself may have aborted the caller's signal before this listener existed.
      if (signal.aborted) {
        onAbort()
        return
      }
      signal.addEventListener('abort', onAbort, { once: true })
    }
    if (!Number.isFinite(timeoutMs)) return
    // Arm the timer one microtask later: an operation whose promise is already settled
    // (a cache hit, a memoised value) finishes first and never pays for a timer. Anything
    // that really waits gets its timer a microtask late, which no deadline can notice.
    RESOLVED.then(() => {
      if (settled) return
      if (policy.realTime || policy.clock.sleep === undefined) {
        if (timeoutMs <= 2_147_483_647) timer = setTimeout(onTimer, timeoutMs)
      } else {
        timerAbort = new AbortController()
        policy.clock.sleep(timeoutMs, timerAbort.signal).then(onTimer, () => {})
      }
    })
  })
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}
