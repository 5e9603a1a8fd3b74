export type { NetworkErrorClassification, NetworkErrorDetails, NetworkErrorPhase } from './classifyNetworkError.ts'
export { classifyNetworkError } from './classifyNetworkError.ts'
export type { RetryStatuses } from './classifyResponse.ts'
export { classifyResponse } from './classifyResponse.ts'
export { classifyStatus } from './classifyStatus.ts'
export type { RedressRequestOptions } from './HttpRequestRun.ts'
export { defaultOperationName } from './HttpRequestRun.ts'
export type { HeadersGetter, HeadersLike, HeaderValue } from './headers/getHeader.ts'
export { getHeader } from './headers/getHeader.ts'
export { parseHttpDate } from './headers/parseHttpDate.ts'
export { parseRetryAfter } from './headers/parseRetryAfter.ts'
export { retryAfterFromHeaders } from './headers/retryAfterFromHeaders.ts'
export type { HttpAdapterOptions } from './httpAdapter.ts'
export { httpClassifier } from './httpClassifier.ts'
export type { HttpPolicyOptions } from './httpPolicy.ts'
export {
  HTTP_POLICY_DEFAULTS,
  HTTP_TOKEN_BUDGET_DEFAULTS,
  HttpRetryPolicy,
  httpPolicy,
  isHttpRetryPolicy,
} from './httpPolicy.ts'
export { IDEMPOTENT_METHODS, isIdempotent } from './isIdempotent.ts'
export type { NotRetryableReason } from './NotRetryableReason.ts'
export { CONNECT_PHASE_ERROR_CODES, NETWORK_ERROR_CODES } from './networkErrorCodes.ts'
export { OriginBreakers } from './OriginBreakers.ts'
export { MAX_TRACKED_ORIGINS, OriginBudgets } from './OriginBudgets.ts'
export { provesNotProcessed } from './provesNotProcessed.ts'
export type { HttpRequestFacts, RequestClassifierOptions, RequestClassifiers } from './requestClassifiers.ts'
export { REQUEST_CLASSIFIER_DEFAULTS, requestClassifiers } from './requestClassifiers.ts'
