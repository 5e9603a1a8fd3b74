import type { HttpAdapter, HttpRunHooks } from '@redress/core/adapter'

/** What every request of one `redressFetch` shares: the runner, the wrapped fetch and how attempts are sent. */
export interface FetchSettings {
  /** The shared runner, under the adapter's policy. */
  readonly adapter: HttpAdapter
  /** What the runner does with fetch's responses. */
  readonly hooks: HttpRunHooks
  /** The wrapped fetch. */
  readonly baseFetch: typeof fetch
  /** True when the policy cuts attempts (a finite deadline or `attemptTimeoutMs`). */
  readonly cutsAttempts: boolean
  /** True when `baseFetch` is Node's own, which is aborted through its dispatcher, not a signal. */
  readonly viaDispatcher: boolean
  /** The largest one-shot body in `init.body` read into memory to be sent again, in bytes. */
  readonly maxBufferedBodyBytes: number
  /** The largest body of a `Request` input read into memory to be sent again, in bytes. */
  readonly maxBufferedRequestBodyBytes: number
}
