import type { RetryOutcome } from '../policy/RetryOptions.ts'
import { rejectionOf } from '../policy/rejectionOf.ts'

/** How an HTTP run ends for the caller: a response to hand back, or a value to reject with. */
export type HttpSettlement<R> =
  | { readonly kind: 'response'; readonly response: R }
  | { readonly kind: 'error'; readonly error: unknown }

/**
 * Turns the outcome of an HTTP run into what the HTTP client's caller sees, the same way for
 * every adapter: a success, or a run that stopped on a response (any stop reason except an
 * abort, an open breaker or the throttle, including a deferred retry), hands back that last
 * response, body intact — an HTTP client resolves with responses; every other stop rejects
 * exactly as `policy.call` would (`rejectionOf`): the original last error (same object), the
 * abort reason, a `CircuitOpenError`, or a `ThrottledError` (a local refusal: nothing was sent).
 */
export function settleHttpOutcome<R>(outcome: RetryOutcome<R>): HttpSettlement<R> {
  if (outcome.ok) return { kind: 'response', response: outcome.value as R }
  const stop = outcome.stopReason
  if (
    // Literals, checked by the StopReason type: reading the StopReason table would keep it in
    // every adapter's bundle.
    stop !== 'ABORTED' &&
    stop !== 'CIRCUIT_OPEN' &&
    stop !== 'THROTTLED' &&
    outcome.cause === 'result'
  ) {
    return { kind: 'response', response: outcome.lastResult as R }
  }
  return { kind: 'error', error: rejectionOf(outcome) }
}
