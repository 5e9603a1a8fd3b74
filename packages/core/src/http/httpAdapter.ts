import { describeValue } from '../describeValue.ts'
import {
  booleanOption,
  functionOption,
  msOption,
  NON_NEGATIVE_OR_INFINITE,
  optionNames,
  optionsObject,
} from '../guard/validate.ts'
import { CALL_FINISH, type CallFinish, type CallSink, type DeferredCall } from '../policy/callFinish.ts'
import { policyInternals } from '../policy/policyInternals.ts'
import type { AttemptContext, RetryOutcome } from '../policy/RetryOptions.ts'
import type { RetryPolicy } from '../policy/RetryPolicy.ts'
import { defaultOperationName, type HttpRequest, type HttpRequestSummary } from './HttpRequest.ts'
import { HttpRequestRun } from './HttpRequestRun.ts'
import type { HttpRunHooks } from './HttpRunHooks.ts'
import type { HttpRunSettings } from './HttpRunSettings.ts'
import { httpPolicy, isHttpRetryPolicy } from './httpPolicy.ts'
import { settleHttpOutcome } from './settleHttpOutcome.ts'

/** Options shared by the fetch, axios and undici adapters. */
export interface HttpAdapterOptions {
  /** The policy to run requests under. @default httpPolicy() — HTTP defaults and a budget per origin */
  policy?: RetryPolicy | undefined
  /**
   * A server delay (`Retry-After`/RateLimit) above this many ms gives up at once and hands
   * back the last response. Applies to a custom `policy` too. @default 60000
   */
  maxRetryAfterMs?: number | undefined
  /**
   * Retry non-idempotent requests (POST, PATCH … without `Idempotency-Key`) after any
   * retryable failure, not only after one proving the server never saw them. @default false
   */
  retryNonIdempotent?: boolean | undefined
  /**
   * Names the operation of a request (the `operation` tag). Keep it low-cardinality: no
   * ids or query strings. @default `${method} ${host}`, e.g. `GET api.example.com`
   */
  operation?: ((request: HttpRequestSummary) => string) | undefined
}

/**
 * The shared runner every adapter drives: the policy, and `run`, which takes one request's
 * description and the adapter's way of sending an attempt, and owns the rest of the template —
 * deferred call options, execution, settlement and the release of discarded responses.
 */
export interface HttpAdapter {
  /** The policy requests run under. */
  readonly policy: RetryPolicy
  /** The policy's time limits, in ms (`Infinity` when unbounded), for adapters that arm their own. */
  readonly limits: { readonly deadlineMs: number; readonly attemptTimeoutMs: number | undefined }
  /**
   * True when the policy hedges (`hedge`): attempts of one request may then run at once, and
   * each needs its own way to be aborted (a request may also turn hedging on with `redress.hedge`).
   */
  readonly hedging: boolean
  /**
   * Runs one request under the policy. Resolves with the response the caller gets (a success,
   * or the last response of a run that stopped on one, body intact); rejects as `policy.call`
   * would (the original error, the abort reason, a `CircuitOpenError`). Every response given up
   * on is handed to `hooks.release` first.
   *
   * @param request the request's immutable facts
   * @param attempt sends one attempt and resolves with its response (any status)
   * @param hooks what the adapter does with discarded responses; may be per request
   * @param onStart receives the run, e.g. to abort it through a client's own controller
   */
  run<R>(
    request: HttpRequest,
    attempt: (ctx: AttemptContext) => Promise<R>,
    hooks: HttpRunHooks,
    onStart?: (run: HttpRequestRun) => void,
  ): Promise<R>
  /**
   * Runs a request prepared with {@link HttpAdapter.prepare} as `run` does, with no promise for
   * the run nor for its first attempt: `sink.first` sends the first attempt and reports its
   * outcome to the call it is given; `sink.attempt` sends any other (as `run`'s `attempt`); the
   * run ends with `sink.resolved` (the response the caller gets) or `sink.rejected`, once.
   *
   * @param run the request's run, from `prepare(request, hooks)`
   * @param sink sends the attempts and receives the end of the run
   */
  start<R>(run: HttpRequestRun, sink: HttpRunSink<R>): void
  /**
   * A run of `request` that is not started, under the adapter's settings: its `url`, and
   * `build()`, the call options its attempts run under once one failed (operation name,
   * request-aware classifiers, tags, the origin's budget, breaker and throttle,
   * `maxRetryAfterMs`) — for work the adapter runs under the policy itself (resuming a cut body).
   */
  prepare(request: HttpRequest, hooks: HttpRunHooks): HttpRequestRun
}

/**
 * An adapter's side of {@link HttpAdapter.start}: sends the attempts of one request and receives
 * how it ended (see `CallSink`), with no promise on the success path.
 */
export interface HttpRunSink<R> extends CallSink<R> {
  /** Sends one attempt after the first (or every attempt of a run that cannot start quietly). */
  attempt(ctx: AttemptContext): Promise<R>
}

const KNOWN_OPTIONS: ReadonlySet<string> = optionNames<HttpAdapterOptions>({
  policy: true,
  maxRetryAfterMs: true,
  retryNonIdempotent: true,
  operation: true,
})

/**
 * Validates an adapter's options and builds the shared HTTP runner every adapter drives: the
 * default policy when none is given, and a `run` whose success path reads nothing but the status
 * of the response — the request-aware classifiers (`requestClassifiers`), the origin's budget,
 * the `method` and `host` tags and the operation name are built when an attempt fails. Adapters
 * only move bytes; every rule lives here.
 *
 * @throws TypeError/RangeError naming the option, prefixed with `owner`.
 */
export function createHttpAdapter(options: HttpAdapterOptions | undefined, owner: string): HttpAdapter {
  const o = optionsObject(owner, options, KNOWN_OPTIONS) as HttpAdapterOptions
  const given = o.policy === undefined ? undefined : policyInternals(o.policy)
  if (o.policy !== undefined && given === undefined) {
    throw new TypeError(
      `${owner}: policy must be a RetryPolicy (e.g. httpPolicy()) from a compatible @redress/core, got ${describeValue(o.policy)}`,
    )
  }
  const maxRetryAfterMs = msOption(owner, 'maxRetryAfterMs', o.maxRetryAfterMs, NON_NEGATIVE_OR_INFINITE)
  const retryNonIdempotent = booleanOption(owner, 'retryNonIdempotent', o.retryNonIdempotent) ?? false
  const namer = functionOption(owner, 'operation', o.operation) ?? defaultOperationName
  const policy = o.policy ?? httpPolicy(maxRetryAfterMs === undefined ? {} : { maxRetryAfterMs })
  const internals = given ?? (policyInternals(policy) as NonNullable<typeof given>)
  const { resolved } = internals
  const settings: HttpRunSettings = isHttpRetryPolicy(policy)
    ? {
        namer,
        retryNonIdempotent,
        maxRetryAfterMs,
        creditSuccess: (run) => policy.creditSuccess(run),
        budgetFor: (origin) => policy.budgetFor(origin) ?? null,
        breakerFor: policy.breakerPerOrigin ? (origin) => policy.breakerFor(origin) : undefined,
        throttleFor: policy.throttlePerOrigin ? (run) => policy.throttleForRequest(run) : undefined,
        hedge: resolved.hedge,
      }
    : {
        namer,
        retryNonIdempotent,
        maxRetryAfterMs,
        creditSuccess: () => resolved.budget?.recordSuccess(),
        budgetFor: undefined,
        hedge: resolved.hedge,
      }
  const limits = Object.freeze({ deadlineMs: resolved.deadlineMs, attemptTimeoutMs: resolved.attemptTimeoutMs })

  const adapter: HttpAdapter = {
    policy,
    limits,
    hedging: resolved.hedge !== undefined,
    run<R>(
      request: HttpRequest,
      attempt: (ctx: AttemptContext) => Promise<R>,
      hooks: HttpRunHooks,
      onStart?: (run: HttpRequestRun) => void,
    ): Promise<R> {
      const run = new HttpRequestRun(request, settings, hooks)
      onStart?.(run)
      // The adapters' own path (`start`), with a promise around it: the first attempt reports
      // to the call it is given (which its context is, signal and onAbort included).
      return new Promise<R>((resolve, reject) => {
        adapter.start<R>(run, {
          first(call) {
            attempt(call).then(
              (value) => call.attemptSettled(value),
              (error: unknown) => call.attemptFailed(error),
            )
            return NOTHING_TO_ABANDON
          },
          attempt,
          resolved: resolve,
          rejected: reject,
        })
      })
    },
    start<R>(run: HttpRequestRun, sink: HttpRunSink<R>): void {
      const finish = HTTP_FINISH as CallFinish<R>
      // Hedged attempts leave responses nobody reads: they go through `tracked`, with promises.
      if (!run.hedged && internals.runSink !== undefined) {
        internals.runSink(run, finish, sink)
        return
      }
      const attempt = (ctx: AttemptContext): Promise<R> => sink.attempt(ctx)
      internals.runDeferred(run.hedged ? run.tracked(attempt) : attempt, run, finish).then(
        (response) => sink.resolved(response),
        (error: unknown) => sink.rejected(error),
      )
    },
    prepare: (request, hooks) => new HttpRequestRun(request, settings, hooks),
  }
  return adapter
}

/** `run`'s first attempt listens to its call (signal, onAbort): abandoning it needs nothing more. */
const NOTHING_TO_ABANDON = { abandon(): void {} }

/** How an HTTP run ends for the caller (see `settleHttpOutcome`), releasing a response given up on. */
const HTTP_FINISH: CallFinish<unknown> = {
  success: CALL_FINISH.success,
  outcome(outcome: RetryOutcome<unknown>, deferred: DeferredCall | undefined): unknown {
    const settled = settleHttpOutcome(outcome)
    const run = deferred instanceof HttpRequestRun ? deferred : undefined
    if (settled.kind === 'response') {
      run?.ended(settled.response)
      return settled.response
    }
    run?.release(outcome.lastResult)
    run?.ended(undefined)
    throw settled.error
  },
}
