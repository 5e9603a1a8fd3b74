import type { AttemptContext } from '@redress/core'

/** The part of an undici `Dispatcher` Node's fetch uses. */
interface DispatcherLike {
  dispatch(options: object, handler: object): boolean
  readonly isMockActive?: boolean | undefined
}

/** The handler Node's fetch gives its dispatcher: undici's legacy API (`onConnect`) or v7's (`onRequestStart`). */
interface FetchHandler {
  onConnect?(abort: (reason?: unknown) => void, context?: unknown): void
  onRequestStart?(controller: { abort(reason?: unknown): void }, context: unknown): void
}

// Where undici (and so Node's fetch) keeps the global dispatcher, across copies of undici.
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1')

/**
 * True for the `fetch` Node ships (undici's, loaded lazily from `internal/deps/undici`), which
 * takes a `dispatcher` in its init. Anything else (a browser's fetch, undici's package export,
 * a test double, a patched global) is not assumed to.
 */
export function isNodeFetch(f: unknown): boolean {
  try {
    return typeof f === 'function' && Function.prototype.toString.call(f).includes('internal/deps/undici')
  } catch {
    return false
  }
}

/** The dispatcher a Node fetch with this init would use, once one exists. */
export function dispatcherFor(init: RequestInit | undefined): DispatcherLike | undefined {
  const given = (init as { dispatcher?: unknown } | undefined)?.dispatcher
  const d = given ?? (globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER]
  return typeof d === 'object' && d !== null && typeof (d as DispatcherLike).dispatch === 'function'
    ? (d as DispatcherLike)
    : undefined
}

/**
 * The dispatcher one attempt of a Node fetch goes through: the real one, with the request's
 * handler wrapped so that the engine abandoning the attempt (its deadline or
 * `attemptTimeoutMs`) aborts the request through undici's own abort — freeing its connection —
 * without an `AbortSignal`, which Node's fetch makes expensive to take (a listener, a weak
 * reference and a finalization registration per request, on top of constructing the signal).
 */
export class AttemptDispatcher implements DispatcherLike {
  readonly #inner: DispatcherLike
  readonly #ctx: AttemptContext

  constructor(inner: DispatcherLike, ctx: AttemptContext) {
    this.#inner = inner
    this.#ctx = ctx
  }

  /** A mock dispatcher (undici's `MockAgent`) changes how fetch hands over the body. */
  get isMockActive(): boolean | undefined {
    return this.#inner.isMockActive
  }

  dispatch(options: object, handler: object): boolean {
    const ctx = this.#ctx
    const h = handler as FetchHandler
    // The handler keeps its state on `this`: the wrapper inherits it and only adds the hook.
    const wrapped = Object.create(handler) as FetchHandler
    if (typeof h.onRequestStart === 'function') {
      const start = h.onRequestStart
      wrapped.onRequestStart = function (this: FetchHandler, controller, context): void {
        ctx.onAbort((reason) => controller.abort(reason))
        start.call(this, controller, context)
      }
    } else if (typeof h.onConnect === 'function') {
      const connect = h.onConnect
      wrapped.onConnect = function (this: FetchHandler, abort, context): void {
        ctx.onAbort((reason) => abort(reason))
        connect.call(this, abort, context)
      }
    }
    return this.#inner.dispatch(options, wrapped)
  }
}
