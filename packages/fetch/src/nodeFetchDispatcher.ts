/** How an attempt tells whoever can abort it that it was given up on (an `AttemptContext` has it). */
export interface AttemptAbort {
  /** Calls `listener` with the reason once the attempt is given up on (at once, if it already was). */
  onAbort(listener: (reason: unknown) => void): unknown
}

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

/**
 * Sends one attempt through Node's fetch with an {@link AttemptDispatcher} as its dispatcher, so
 * that the engine abandoning the attempt aborts the request; `undefined` when there is no
 * dispatcher to wrap yet (Node makes its global one on the process's first fetch).
 *
 * A request that names no dispatcher of its own (a string or `URL` input, no `init.dispatcher`)
 * goes through the global one: Node's fetch reads it once, synchronously, inside the `fetch`
 * call, so the wrapper is put in its place for that call only and the caller's init is passed as
 * it is. Adding `dispatcher` to the init instead would cost every such request a copy of the
 * init, and Node's `Request` its "init is not empty" steps (about 600 bytes and a URL-list copy
 * per request, where an absent init costs nothing). Anything else gets the wrapper in its init,
 * around `init.dispatcher` or the global one.
 */
export function fetchThroughDispatcher(
  baseFetch: typeof fetch,
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  ctx: AttemptAbort,
): Promise<Response> | undefined {
  const slots = globalThis as Record<symbol, unknown>
  const global = slots[GLOBAL_DISPATCHER]
  const given = (init as { dispatcher?: unknown } | undefined)?.dispatcher
  if (given === undefined && isDispatcher(global) && (typeof input === 'string' || input instanceof URL)) {
    const attempt = new AttemptDispatcher(global, ctx)
    try {
      slots[GLOBAL_DISPATCHER] = attempt
    } catch {
      // A read-only slot: the wrapper goes in the init (below).
    }
    if (slots[GLOBAL_DISPATCHER] === attempt) {
      try {
        return baseFetch(input, init)
      } finally {
        // Unless the call itself set a new global dispatcher, which stays.
        if (slots[GLOBAL_DISPATCHER] === attempt) slots[GLOBAL_DISPATCHER] = global
      }
    }
    return baseFetch(input, { ...init, dispatcher: attempt } as RequestInit)
  }
  const dispatcher = given ?? global
  if (!isDispatcher(dispatcher)) return undefined
  return baseFetch(input, { ...init, dispatcher: new AttemptDispatcher(dispatcher, ctx) } as RequestInit)
}

function isDispatcher(d: unknown): d is DispatcherLike {
  return typeof d === 'object' && d !== null && typeof (d as DispatcherLike).dispatch === 'function'
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
  readonly #ctx: AttemptAbort

  constructor(inner: DispatcherLike, ctx: AttemptAbort) {
    this.#inner = inner
    this.#ctx = ctx
  }

  /** A mock dispatcher (undici's `MockAgent`) changes how fetch hands over the body. */
  get isMockActive(): boolean | undefined {
    return this.#inner.isMockActive
  }

  dispatch(options: object, handler: object): boolean {
    const h = handler as FetchHandler
    // A v7 handler (onRequestStart) is passed as it is, with only its controller watched; Node's
    // fetch (undici 6) hands over a legacy handler, wrapped in one class of fixed shape (not an
    // object made per request from the handler as prototype: that would give every request a
    // new hidden class and make undici's calls into the handler megamorphic).
    const wrapped =
      typeof h.onRequestStart === 'function' ? new ControllerWatch(h, this.#ctx) : new LegacyHandler(h, this.#ctx)
    return this.#inner.dispatch(options, wrapped)
  }
}

type Legacy = Required<Pick<LegacyFetchHandler, 'onConnect' | 'onHeaders' | 'onData' | 'onComplete' | 'onError'>> &
  LegacyFetchHandler

/** The legacy undici handler API, as Node's fetch implements it (state kept on the handler itself). */
interface LegacyFetchHandler {
  onConnect?(abort: (reason?: unknown) => void, context?: unknown): void
  onResponseStarted?(): void
  onHeaders?(status: number, rawHeaders: unknown, resume: () => void, statusText: string): boolean
  onData?(chunk: unknown): boolean
  onComplete?(trailers: unknown): void
  onError?(error: unknown): void
  onUpgrade?(status: number, rawHeaders: unknown, socket: unknown): void
  onBodySent?(chunk: unknown): void
  onRequestSent?(): void
}

/** Forwards every legacy callback to fetch's handler (as its own `this`), and hooks `onConnect`'s abort. */
class LegacyHandler implements LegacyFetchHandler {
  readonly #h: Legacy
  readonly #ctx: AttemptAbort

  constructor(handler: FetchHandler, ctx: AttemptAbort) {
    this.#h = handler as Legacy
    this.#ctx = ctx
  }

  onConnect(abort: (reason?: unknown) => void, context?: unknown): void {
    // undici's abort is a plain function of the reason: it is the listener itself.
    this.#ctx.onAbort(abort)
    this.#h.onConnect(abort, context)
  }

  onResponseStarted(): void {
    this.#h.onResponseStarted?.()
  }

  onHeaders(status: number, rawHeaders: unknown, resume: () => void, statusText: string): boolean {
    return this.#h.onHeaders(status, rawHeaders, resume, statusText)
  }

  onData(chunk: unknown): boolean {
    return this.#h.onData(chunk)
  }

  onComplete(trailers: unknown): void {
    this.#h.onComplete(trailers)
  }

  onError(error: unknown): void {
    this.#h.onError(error)
  }

  onUpgrade(status: number, rawHeaders: unknown, socket: unknown): void {
    this.#h.onUpgrade?.(status, rawHeaders, socket)
  }

  onBodySent(chunk: unknown): void {
    this.#h.onBodySent?.(chunk)
  }

  onRequestSent(): void {
    this.#h.onRequestSent?.()
  }
}

/** A v7 handler whose controller is aborted when the engine abandons the attempt. */
class ControllerWatch {
  readonly #h: Required<Pick<FetchHandler, 'onRequestStart'>> & Record<string, unknown>
  readonly #ctx: AttemptAbort

  constructor(handler: FetchHandler, ctx: AttemptAbort) {
    this.#h = handler as Required<Pick<FetchHandler, 'onRequestStart'>> & Record<string, unknown>
    this.#ctx = ctx
  }

  onRequestStart(controller: { abort(reason?: unknown): void }, context: unknown): void {
    this.#ctx.onAbort((reason) => controller.abort(reason))
    this.#h.onRequestStart(controller, context)
  }

  onRequestUpgrade(...args: unknown[]): void {
    forward(this.#h, 'onRequestUpgrade', args)
  }

  onResponseStart(...args: unknown[]): void {
    forward(this.#h, 'onResponseStart', args)
  }

  onResponseData(...args: unknown[]): void {
    forward(this.#h, 'onResponseData', args)
  }

  onResponseEnd(...args: unknown[]): void {
    forward(this.#h, 'onResponseEnd', args)
  }

  onResponseError(...args: unknown[]): void {
    forward(this.#h, 'onResponseError', args)
  }
}

/** Calls `handler[name](...args)` with the handler as `this`, when it has that callback. */
function forward(handler: Record<string, unknown>, name: string, args: unknown[]): void {
  const f = handler[name]
  if (typeof f === 'function') f.apply(handler, args)
}
