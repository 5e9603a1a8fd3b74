export type { NetworkErrorClassification, NetworkErrorDetails, NetworkErrorPhase } from './classifyNetworkError.ts'
export { classifyNetworkError } from './classifyNetworkError.ts'
export type { RetryStatuses } from './classifyResponse.ts'
export { classifyResponse } from './classifyResponse.ts'
export { classifyStatus } from './classifyStatus.ts'
export { DISCARD_DRAIN_MAX_BYTES } from './DISCARD_DRAIN_MAX_BYTES.ts'
export type { HeadersGetter, HeadersLike, HeaderValue } from './getHeader.ts'
export { getHeader } from './getHeader.ts'
export type {
  HttpAdapter,
  HttpAdapterOptions,
  HttpAttemptRequest,
  HttpRequestSummary,
  RedressRequestOptions,
} from './httpAdapter.ts'
export { createHttpAdapter, defaultOperationName, readRequestOptions } from './httpAdapter.ts'
export { httpClassifier } from './httpClassifier.ts'
export type { HttpPolicyOptions } from './httpPolicy.ts'
export { HTTP_POLICY_DEFAULTS, HTTP_TOKEN_BUDGET_DEFAULTS, HttpRetryPolicy, httpPolicy } from './httpPolicy.ts'
export { IDEMPOTENT_METHODS, isIdempotent } from './isIdempotent.ts'
export { isOneShotBody } from './isOneShotBody.ts'
export type { NotRetryableReason } from './NotRetryableReason.ts'
export { CONNECT_PHASE_ERROR_CODES, NETWORK_ERROR_CODES } from './networkErrorCodes.ts'
export { MAX_TRACKED_ORIGINS, OriginBudgets } from './OriginBudgets.ts'
export { parseHttpDate } from './parseHttpDate.ts'
export { parseRetryAfter } from './parseRetryAfter.ts'
export { provesNotProcessed } from './provesNotProcessed.ts'
export type { HttpRequestFacts, RequestClassifierOptions, RequestClassifiers } from './requestClassifiers.ts'
export { REQUEST_CLASSIFIER_DEFAULTS, requestClassifiers } from './requestClassifiers.ts'
export { resolveRequestUrl } from './resolveRequestUrl.ts'
export { retryAfterFromHeaders } from './retryAfterFromHeaders.ts'
export type { HttpSettlement } from './settleHttpOutcome.ts'
export { settleHttpOutcome } from './settleHttpOutcome.ts'
