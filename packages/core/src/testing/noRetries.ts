/**
 * Options that turn retries off: spread them into a policy's options to keep every
 * other behaviour (classification, events, breaker, timeouts) and make one attempt.
 *
 * @example
 * const policy = new RetryPolicy({ ...productionOptions, ...noRetries() })
 */
export function noRetries(): { readonly maxAttempts: 1 } {
  return Object.freeze({ maxAttempts: 1 })
}
