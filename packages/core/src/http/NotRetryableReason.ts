/**
 * Why an HTTP failure of a retryable class was marked `retryable: false`, found in the
 * classification's `details.reason`:
 * - `'non_idempotent'`: the method is not idempotent and the failure does not prove the server
 *   left the request unprocessed;
 * - `'body_not_replayable'`: a one-shot body (a stream) was already sent and cannot be sent again;
 * - `'status_not_retryable'`: the status is not among the `retryStatuses` the caller chose;
 * - `'aborted'`: the request was aborted (`AbortError`); the engine handles the caller's own abort;
 * - `'invalid_request'`: the request itself is malformed (a URL or header the client rejects), so
 *   sending it again cannot help.
 */
export type NotRetryableReason =
  | 'non_idempotent'
  | 'body_not_replayable'
  | 'status_not_retryable'
  | 'aborted'
  | 'invalid_request'
