import type { SleepContext } from '../policy/RetryOptions.ts'
import type { HttpRequest } from './HttpRequest.ts'

/** What an adapter does with the responses the runner hands it back. */
export interface HttpRunHooks {
  /** Frees a response nobody will read (before a backoff sleep, or when the run rejects). Never throws. */
  release(response: unknown): void
  /** Called just before each backoff sleep, after `release`. */
  beforeSleep?: ((ctx: SleepContext) => void) | undefined
  /**
   * Whether the request is well formed (e.g. fetch: its headers parse). Asked only on the failure
   * path; a malformed request's failure is the client's own error and is never retried.
   */
  isWellFormed?: ((request: HttpRequest) => boolean) | undefined
}
