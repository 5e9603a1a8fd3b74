/**
 * Hedged requests ("The Tail at Scale", Dean and Barroso, CACM 2013): when an attempt has not
 * settled after a delay, another attempt of the same operation starts alongside it, and the
 * first result the policy accepts wins; the others are aborted at once. Off unless configured.
 *
 * Hedges are attempts: each counts toward `maxAttempts`, needs a token from the retry budget
 * (`tryAcquire()`) and a closed circuit breaker, and the deadline bounds them all. The HTTP
 * adapters hedge only idempotent requests whose body can be sent again.
 *
 * @example
 * // a second copy after the operation's running 95th-percentile latency
 * new RetryPolicy({ hedge: {} })
 * // a second copy after 50 ms, a third after 100 ms
 * httpPolicy({ hedge: { afterMs: 50, maxHedges: 2 } })
 */
export interface HedgeOptions {
  /**
   * Start a hedge once the attempts in flight have not settled after this many ms (and each
   * further hedge this many ms after the previous one). Without it, the delay is the running
   * `quantile` of the operation's recent latency. Finite and > 0.
   * @default undefined (the running quantile)
   */
  afterMs?: number | undefined
  /**
   * Without `afterMs`, hedge after this quantile of the operation's recent latency (the latest
   * `HEDGE_DEFAULTS.windowSamples` successful calls — per origin in the HTTP adapters), so about
   * `1 - quantile` of calls outlast the delay; and never more: a history sends a hedge only while
   * its hedges stay within `1 - quantile` of its calls plus `HEDGE_DEFAULTS.burstHedges` (a busy
   * machine that makes fast responses late cannot make hedging multiply the load), and never
   * sooner than `HEDGE_DEFAULTS.medianMultiple` (2) times the median latency. Until there are `HEDGE_DEFAULTS.minSamples` samples,
   * the delay is twice the slowest sample so far, or `HEDGE_DEFAULTS.startAfterMs` with none.
   * In (0, 1).
   * @default 0.95
   */
  quantile?: number | undefined
  /** At most this many hedges per call (across its retries). A whole number >= 1. @default 1 */
  maxHedges?: number | undefined
}

/** The per-call form of {@link HedgeOptions}: fields given replace the policy's. */
export interface CallHedgeOptions extends HedgeOptions {
  /**
   * The latency history the quantile is read from and fed to: calls with the same key share
   * one. The HTTP adapters set it to the request's origin. @default the call's `operation` name
   */
  latencyKey?: string | undefined
}

/** The defaults of {@link HedgeOptions} and of the latency history behind `quantile`, resolved once. */
export const HEDGE_DEFAULTS: {
  /** The latency quantile a hedge waits for, without `afterMs`. */
  readonly quantile: 0.95
  /** Hedges per call. */
  readonly maxHedges: 1
  /** The delay (ms) of a hedge before an operation has any latency sample. */
  readonly startAfterMs: 100
  /** Samples before the quantile is used; with fewer, twice the slowest sample is. */
  readonly minSamples: 20
  /** The latest successful calls kept per operation (or origin): the "recent" latency. */
  readonly windowSamples: 128
  /** Operations (or origins) whose latency is kept; the least recently used are forgotten. */
  readonly maxKeys: 512
  /**
   * Without `afterMs`, the hedges a latency history may send at once beyond its share: hedges
   * stay within `1 - quantile` of its calls, plus this many.
   */
  readonly burstHedges: 10
  /**
   * Without `afterMs`, the delay is never shorter than this many times the history's median
   * latency: a hedge answers about a median after it starts, so one sent for a response that is
   * only a little late cannot win, and would spend a share of hedges the slow tail needs.
   */
  readonly medianMultiple: 2
} = Object.freeze({
  quantile: 0.95,
  maxHedges: 1,
  startAfterMs: 100,
  minSamples: 20,
  windowSamples: 128,
  maxKeys: 512,
  burstHedges: 10,
  medianMultiple: 2,
} as const)

/**
 * Hedging as a run applies it: validated, defaulted and merged (policy, then call). Not a user
 * option: adapters meet it only in `HttpRunSettings.hedge`, which `createHttpAdapter` fills.
 */
export interface ResolvedHedge {
  /** The fixed delay of a hedge, in ms (`HedgeOptions.afterMs`); `undefined` for the running quantile. */
  readonly afterMs: number | undefined
  /** The latency quantile a hedge waits for without `afterMs`, in (0, 1). */
  readonly quantile: number
  /** At most this many hedges per call (a whole number >= 1). */
  readonly maxHedges: number
  /** Which latency history the quantile comes from; `undefined` for the call's operation. */
  readonly latencyKey: string | undefined
}
