/**
 * `@redress/core/adapter`: what HTTP client adapters (`@redress/fetch`, `@redress/axios`,
 * `@redress/undici`, and third-party ones) and integrations (`@redress/otel`, `@redress/redis`)
 * need from the engine, and users do not: the HTTP runner, and the guard that isolates user code
 * (`isolate`) and validates options (`clockOption`) in core's dialect.
 *
 * Nothing here is part of the user-facing contract of `@redress/core` or
 * `@redress/core/http`; it may change in any minor release of 0.x. Adapters should pin
 * `@redress/core` to the same minor version they were built against.
 *
 * @packageDocumentation
 */
export { describeValue, INSPECT } from '../describeValue.ts'
export { isolate } from '../guard/isolate.ts'
export { clockOption } from '../guard/validate.ts'
export type { ResolvedHedge } from '../hedge/HedgeOptions.ts'
export type { BuiltCall } from '../http/BuiltCall.ts'
export { DISCARD_DRAIN_MAX_BYTES, DISCARD_DRAIN_MAX_MS } from '../http/discardLimits.ts'
export type { HttpRequest, HttpRequestSummary } from '../http/HttpRequest.ts'
export { UNKNOWN_ORIGIN } from '../http/HttpRequest.ts'
export { HttpRequestRun } from '../http/HttpRequestRun.ts'
export type { HttpRunHooks } from '../http/HttpRunHooks.ts'
export type { HttpRunSettings } from '../http/HttpRunSettings.ts'
export type { HttpAdapter, HttpRunSink } from '../http/httpAdapter.ts'
export { createHttpAdapter } from '../http/httpAdapter.ts'
export { isOneShotBody } from '../http/isOneShotBody.ts'
export { readRequestOptions } from '../http/readRequestOptions.ts'
export { resolveRequestUrl } from '../http/resolveRequestUrl.ts'
export { checkContinuation } from '../http/resume/checkContinuation.ts'
export { continuationHeaders, RESUME_REPLACED_HEADERS } from '../http/resume/continuationHeaders.ts'
export { continuationRequestHeaders } from '../http/resume/continuationRequestHeaders.ts'
export type { ContentRange } from '../http/resume/parseContentRange.ts'
export { parseContentRange } from '../http/resume/parseContentRange.ts'
export { ResumableDownload } from '../http/resume/ResumableDownload.ts'
export { readResumeOption, withoutResume } from '../http/resume/ResumeOptions.ts'
export type { ResumeRequest } from '../http/resume/ResumeRequest.ts'
export type { ResumerSettings } from '../http/resume/Resumer.ts'
export { Resumer } from '../http/resume/Resumer.ts'
export type { ResumableResponseHead, ResumeTarget } from '../http/resume/ResumeTarget.ts'
export { resumableStatus, resumeTargetOf } from '../http/resume/ResumeTarget.ts'
export type { ResumeTransport } from '../http/resume/ResumeTransport.ts'
export type { ResumeValidator } from '../http/resume/ResumeValidator.ts'
export { resumeValidatorOf, sameValidator } from '../http/resume/ResumeValidator.ts'
export type { HttpSettlement } from '../http/settleHttpOutcome.ts'
export { settleHttpOutcome } from '../http/settleHttpOutcome.ts'
export type { Abandonable, CallSink, Cancellable, DeferredCall, FirstAttemptCall } from '../policy/callFinish.ts'
export type { PromiseOwner } from '../policy/ownedPromise.ts'
export { ownedPromise } from '../policy/ownedPromise.ts'
