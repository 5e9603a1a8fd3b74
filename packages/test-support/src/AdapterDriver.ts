import type { HttpAdapterOptions, ResumableRequestOptions } from '@redress/core/http'

/**
 * A request body as the conformance suite describes it; each adapter turns it into its own type.
 * `text` is a string the adapter can send again; `stream` is the adapter's one-shot stream
 * (a `ReadableStream` for fetch, a `Readable` for undici and axios's http adapter) yielding
 * `chunks` in order, which must never be sent twice.
 */
export type ConformanceBody =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'stream'; readonly chunks: readonly string[] }

/** One request of a conformance scenario. */
export interface ConformanceRequest {
  /** The method, upper case. */
  readonly method: string
  /** The path, e.g. `/item/3`, joined to the client's origin. */
  readonly path: string
  /** Request headers. @default none */
  readonly headers?: Readonly<Record<string, string>>
  /** The body. @default none */
  readonly body?: ConformanceBody
  /** The caller's signal. @default none */
  readonly signal?: AbortSignal
  /**
   * The per-request options, passed as the adapter takes them (`config.redress`, `init.redress`,
   * the dispatch options' `redress`). @default none
   */
  readonly redress?: ResumableRequestOptions
}

/** The response a request ended with: a success, or the last response handed back, body read whole. */
export interface ConformanceResponse {
  readonly status: number
  /** The body decoded as UTF-8. */
  readonly body: string
}

/** A client of one adapter, made for one scenario. */
export interface ConformanceClient {
  /**
   * Sends `request` through the adapter. Resolves with any HTTP response the adapter handed back
   * (a 503 included, when the adapter rejects with it attached, like axios); rejects with what the
   * adapter rejects with when there was no response (a network error, an abort).
   */
  send(request: ConformanceRequest): Promise<ConformanceResponse>
  /** Closes what the client opened (agents, pools). */
  close(): Promise<void>
}

/** What a driver needs to make a client. */
export interface ConformanceClientOptions {
  /** `http://127.0.0.1:<port>`, the fault server's origin (or a closed port's). */
  readonly origin: string
  /**
   * The adapter's options: a policy on virtual time, and nothing else. Absent: the same client and
   * transport without redress, which `hostileUpstreamConformance` compares the adapter with.
   */
  readonly redress?: HttpAdapterOptions | undefined
  /**
   * At most this many keep-alive connections to the origin, in a pool of the client's own;
   * `undefined` means the adapter's usual transport (Node's global fetch, a fresh agent). A driver
   * whose transport has no pool it can size says so with `sizedPool: false` and ignores this.
   * @default undefined
   */
  readonly connections?: number | undefined
}

/** How the conformance suite drives one adapter. */
export interface AdapterDriver {
  /** Names the adapter in the suite's titles, e.g. `redressFetch` or `installRedress (axios http)`. */
  readonly name: string
  /** Makes a client against `options.origin` whose requests run under `options.redress`. */
  makeClient(options: ConformanceClientOptions): ConformanceClient
  /**
   * Whether the client honours `connections`. When `false` (axios's fetch adapter on Node's global
   * fetch, whose pool has no size), the pool scenario allows up to 100 sockets for its 1 000
   * requests instead of `connections`: still far fewer than one per discarded response.
   * @default true
   */
  readonly sizedPool?: boolean
  /**
   * Whether `error` is what the adapter rejects with when the caller aborts with `reason`.
   * @default error === reason (the caller's own reason, as fetch and undici reject)
   */
  isAbortRejection?(error: unknown, reason: unknown): boolean
}
