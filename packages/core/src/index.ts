export type {
  CircuitBreakerOptions,
  CircuitBreakerSnapshot,
  CircuitBreakerSnapshotFailure,
} from './breaker/CircuitBreaker.ts'
export { CIRCUIT_BREAKER_DEFAULTS, CircuitBreaker } from './breaker/CircuitBreaker.ts'
export type {
  BreakerAdmission,
  BreakerOutcome,
  CircuitBreakerLike,
  CircuitState,
} from './breaker/CircuitBreakerLike.ts'
export type { BudgetOptions, BudgetView } from './budget/Budget.ts'
export { Budget } from './budget/Budget.ts'
export type { RatioBudgetOptions, RatioBudgetView } from './budget/RatioBudget.ts'
export { RATIO_BUDGET_DEFAULTS, RatioBudget } from './budget/RatioBudget.ts'
export type { RetryBudget } from './budget/RetryBudget.ts'
export type { TokenBudgetOptions, TokenBudgetView } from './budget/TokenBudget.ts'
export { TOKEN_BUDGET_DEFAULTS, TokenBudget } from './budget/TokenBudget.ts'
export type { Classification, Classifier, ResultClassifier } from './Classification.ts'
export type { Clock, RandomSource, Sleeper } from './Clock.ts'
export { systemClock } from './Clock.ts'
export { defaultClassifier } from './classify/defaultClassifier.ts'
export { strictClassifier } from './classify/strictClassifier.ts'
export { ERROR_CLASSES, ErrorClass, isErrorClass, NON_RETRYABLE_CLASSES } from './ErrorClass.ts'
export { AbortRetryError, isAbortRetryError } from './errors/AbortRetryError.ts'
export { CircuitOpenError, isCircuitOpenError } from './errors/CircuitOpenError.ts'
export { ConcurrencyError } from './errors/ConcurrencyError.ts'
export { isMarkerError, MarkerError } from './errors/MarkerError.ts'
export { PermanentError } from './errors/PermanentError.ts'
export { RateLimitError } from './errors/RateLimitError.ts'
export { isRedressError, RedressError } from './errors/RedressError.ts'
export type { RetryExhaustedInfo } from './errors/RetryExhaustedError.ts'
export { isRetryExhaustedError, RetryExhaustedError } from './errors/RetryExhaustedError.ts'
export { ServerError } from './errors/ServerError.ts'
export { isThrottledError, ThrottledError } from './errors/ThrottledError.ts'
export { TransientError } from './errors/TransientError.ts'
export { EventName } from './events/EventName.ts'
export { CIRCUIT_TRANSITION_EVENTS, isTerminalEvent } from './events/isTerminalEvent.ts'
export { StopReason } from './events/StopReason.ts'
export type { CallHedgeOptions, HedgeOptions } from './hedge/HedgeOptions.ts'
export { HEDGE_DEFAULTS } from './hedge/HedgeOptions.ts'
export type { DiagnosticsMessage } from './observability/diagnosticsChannels.ts'
export { DIAGNOSTICS_CHANNELS } from './observability/diagnosticsChannels.ts'
export { isRetryPolicy } from './policy/policyInternals.ts'
export type {
  AttemptContext,
  AttemptEndContext,
  AttemptStartContext,
  CallOptions,
  EventTags,
  LogHook,
  MetricHook,
  RetryHooks,
  RetryOptions,
  RetryOutcome,
  SleepContext,
  SleepHandler,
  TimelineEntry,
} from './policy/RetryOptions.ts'
export { RETRY_DEFAULTS } from './policy/RetryOptions.ts'
export type { Operation, StartOptions } from './policy/RetryPolicy.ts'
export { AsyncRetryPolicy, RetryPolicy } from './policy/RetryPolicy.ts'
export type { RunState } from './policy/RunState.ts'
export type { Retried, RetryDecorator } from './policy/retry.ts'
export { retry } from './policy/retry.ts'
export type { StepDecision } from './policy/StepRun.ts'
export { StepRun } from './policy/StepRun.ts'
export type { AdaptiveOptions } from './strategies/adaptive.ts'
export { ADAPTIVE_DEFAULTS, adaptive } from './strategies/adaptive.ts'
export type { BackoffBounds } from './strategies/backoffOptions.ts'
export type { DecorrelatedJitterOptions } from './strategies/decorrelatedJitter.ts'
export { DECORRELATED_JITTER_DEFAULTS, decorrelatedJitter } from './strategies/decorrelatedJitter.ts'
export type { EqualJitterOptions } from './strategies/equalJitter.ts'
export { EQUAL_JITTER_DEFAULTS, equalJitter } from './strategies/equalJitter.ts'
export type { FullJitterOptions } from './strategies/fullJitter.ts'
export { FULL_JITTER_DEFAULTS, fullJitter } from './strategies/fullJitter.ts'
export type { RetryAfterOrOptions } from './strategies/retryAfterOr.ts'
export { RETRY_AFTER_OR_DEFAULTS, retryAfterOr } from './strategies/retryAfterOr.ts'
export type { AnyStrategy, BackoffContext, LegacyStrategy, OutcomeObserver, Strategy } from './strategies/Strategy.ts'
export type { TokenBackoffOptions } from './strategies/tokenBackoff.ts'
export { TOKEN_BACKOFF_DEFAULTS, tokenBackoff } from './strategies/tokenBackoff.ts'
export type { AdaptiveThrottleOptions, AdaptiveThrottleView } from './throttle/AdaptiveThrottle.ts'
export { ADAPTIVE_THROTTLE_DEFAULTS, AdaptiveThrottle } from './throttle/AdaptiveThrottle.ts'
export type { AdmissionThrottle } from './throttle/AdmissionThrottle.ts'
