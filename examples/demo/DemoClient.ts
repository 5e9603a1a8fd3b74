import type { ScenarioStep } from './scenario.ts'

/** What the caller got back from one request, after any retries. */
export interface CallResult {
  /** The HTTP status the caller saw, when a response came back. */
  readonly status: number | undefined
  /** The error code or name the caller saw, when the call failed without a response. */
  readonly error: string | undefined
}

/** One HTTP client of the demo, sending scenario steps to the flaky upstream. */
export interface DemoClient {
  /** Shown in the timeline and the summary, e.g. `redressFetch`. */
  readonly name: string
  /** Sends one step and reports what the caller saw; never throws. */
  send(step: ScenarioStep): Promise<CallResult>
  /** Frees the client's sockets. */
  close(): Promise<void>
}

/** True when the caller got no response, a 5xx or a 429: what the naive loop retries and the summary counts as failed. */
export function isFailedCall(result: CallResult): boolean {
  return result.status === undefined || result.status >= 500 || result.status === 429
}
