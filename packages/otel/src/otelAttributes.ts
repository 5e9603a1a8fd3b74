/**
 * The attribute keys `@redress/otel` writes on spans, span events and metric points.
 * The HTTP and error keys are OpenTelemetry's stable semantic conventions (a test checks
 * them against `@opentelemetry/semantic-conventions`); the `redress.*` keys are ours and
 * stable.
 */
export const OTEL_ATTRIBUTES: {
  /** The run's operation name (the `operation` tag). */
  readonly OPERATION: 'redress.operation'
  /** The error class of the last failure (`SERVER_ERROR`, `RATE_LIMIT` …). */
  readonly CLASS: 'redress.class'
  /** Why the run stopped (`StopReason`); absent on success. */
  readonly STOP_REASON: 'redress.stop_reason'
  /** Attempts made by the run (on the span) or the event's attempt (on a span event). */
  readonly ATTEMPTS: 'redress.attempts'
  /** The sleep before the next attempt, in ms (span events of `retry`). */
  readonly SLEEP_MS: 'redress.sleep_ms'
  /** The circuit breaker's state after a transition or at a rejection. */
  readonly CIRCUIT_STATE: 'redress.circuit.state'
  /** The hedge delay, in ms (span events of `hedge`). */
  readonly HEDGE_AFTER_MS: 'redress.hedge.after_ms'
  /** The attempt whose result a hedged run returned (on the span, when the run hedged and succeeded). */
  readonly WINNING_ATTEMPT: 'redress.winning_attempt'
  /** OTel semconv: resends of an HTTP request, `attempts - 1`, set when the run was an HTTP request. */
  readonly HTTP_REQUEST_RESEND_COUNT: 'http.request.resend_count'
  /** OTel semconv: the HTTP method (the `method` tag adapters add). */
  readonly HTTP_REQUEST_METHOD: 'http.request.method'
  /** OTel semconv: the host (the `host` tag adapters add). */
  readonly SERVER_ADDRESS: 'server.address'
  /** OTel semconv: the last HTTP status seen (the `status` tag). */
  readonly HTTP_RESPONSE_STATUS_CODE: 'http.response.status_code'
  /** OTel semconv: the failure's type — an HTTP status ≥ 400, else the error's code or name, else its class. */
  readonly ERROR_TYPE: 'error.type'
  /** OTel semconv: the last error's message (span events only; never on metrics). */
  readonly EXCEPTION_MESSAGE: 'exception.message'
} = Object.freeze({
  OPERATION: 'redress.operation',
  CLASS: 'redress.class',
  STOP_REASON: 'redress.stop_reason',
  ATTEMPTS: 'redress.attempts',
  SLEEP_MS: 'redress.sleep_ms',
  CIRCUIT_STATE: 'redress.circuit.state',
  HEDGE_AFTER_MS: 'redress.hedge.after_ms',
  WINNING_ATTEMPT: 'redress.winning_attempt',
  HTTP_REQUEST_RESEND_COUNT: 'http.request.resend_count',
  HTTP_REQUEST_METHOD: 'http.request.method',
  SERVER_ADDRESS: 'server.address',
  HTTP_RESPONSE_STATUS_CODE: 'http.response.status_code',
  ERROR_TYPE: 'error.type',
  EXCEPTION_MESSAGE: 'exception.message',
} as const)
