import { type HttpRequest, UNKNOWN_ORIGIN } from '@redress/core/adapter'
import type { RedressRequestOptions } from '@redress/core/http'
import type { Dispatcher } from 'undici'
import { isReplayableBody } from './isReplayableBody.ts'

/**
 * One intercepted request as the shared runner sees it, read from undici's dispatch options.
 *
 * undici builds those options with an object spread (`{ ...opts, origin, path, method }`), which
 * on Node 20 gives every request's options a hidden class of its own: each property read from
 * them misses V8's caches and costs far more than an ordinary read. So the success path reads
 * only what it needs (the method and the per-request options, read by the interceptor, and the
 * origin, read here); the path, the headers and the body are read from the options when
 * something asks (a failure, hedging, a resumable response).
 */
export class UndiciRequest implements HttpRequest {
  readonly method: string
  readonly origin: string | URL
  readonly redress: RedressRequestOptions | undefined
  // The caller's signal may be an EventEmitter: the run listens to it and aborts itself.
  readonly signal: undefined = undefined
  readonly #opts: Dispatcher.DispatchOptions
  #oneShotBody: boolean | undefined

  /**
   * @param opts the dispatch options as the caller gave them
   * @param method `opts.method` (or `GET`), already read
   * @param redress the request's checked `redress` options
   */
  constructor(opts: Dispatcher.DispatchOptions, method: string, redress: RedressRequestOptions | undefined) {
    this.#opts = opts
    this.method = method
    // Unknown when a composed `Client` adds its own below us.
    this.origin = opts.origin ?? UNKNOWN_ORIGIN
    this.redress = redress
  }

  /** The path, resolved against the origin only if an attempt fails; nothing is parsed before. */
  get url(): string {
    return this.#opts.path
  }

  get headers(): HttpRequest['headers'] {
    return this.#opts.headers as HttpRequest['headers']
  }

  get oneShotBody(): boolean {
    this.#oneShotBody ??= !isReplayableBody(this.#opts.body)
    return this.#oneShotBody
  }
}
