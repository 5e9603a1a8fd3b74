/**
 * Calls code a user supplied (a hook, a classifier, a budget, a breaker …) so that nothing it
 * does can break a run: a throw returns `fallback`, and a returned promise that rejects is
 * isolated too (it gets a handler, so it never becomes an unhandled rejection that kills the
 * process). The value returned is otherwise passed back untouched.
 *
 * Every place redress calls user code goes through `isolate` or {@link isolateAsync}, and
 * every fallback is listed here:
 *
 * | user code                                                   | when it throws (or rejects)                          |
 * | ----------------------------------------------------------- | ---------------------------------------------------- |
 * | `onMetric`, `onLog`, `onAttemptStart`, `onAttemptEnd`, `beforeSleep` (policy and call) | ignored; the run goes on |
 * | `classifier`                                                | `UNKNOWN`                                            |
 * | `resultClassifier`                                          | the value is a success                               |
 * | a backoff strategy                                          | retry at once (0 ms)                                 |
 * | `sleep` (the sleep handler)                                 | `'sleep'`: the backoff happens as usual              |
 * | `sleeper` / `clock.sleep` failing for another reason than the abort | the retry goes on without waiting         |
 * | `abortIf`                                                   | `false`: not aborted                                 |
 * | `budget.tryAcquire()`                                       | `true`: a broken store never stops retries forever   |
 * | `budget.tryAcquire()` before a hedge                        | `false`: no hedge (a call never needs one to finish) |
 * | `circuitBreaker.state`, read before a hedge                 | not closed: no hedge                                 |
 * | `budget.recordSuccess()` / `recordFailure()`, outcome observers (`adaptive`) | ignored             |
 * | `circuitBreaker.admit()`                                    | admitted, no transition                              |
 * | `circuitBreaker.record()`                                   | no transition                                        |
 * | `throttle.admit()` (a client-side throttle)                 | `true`: admitted                                     |
 * | `throttle.recordSuccess()` / `recordFailure()`              | ignored                                              |
 * | `throttle.rejectionProbability`, read when it refuses a call | the `ThrottledError` carries no probability        |
 * | `retryStatuses` (a predicate or a set)                      | not listed: the status is not retried                |
 * | an HTTP adapter's `operation` namer                         | `defaultOperationName(request)`                      |
 * | `httpPolicy`'s `budgetFor` / `breakerFor` / `throttleFor` factory | that origin gets a local `TokenBudget` / `CircuitBreaker` / `AdaptiveThrottle` |
 * | a budget's `tokens`, a breaker's `state`, a throttle's `rejectionProbability`, read for `toJSON()` of the per-origin views | that origin is left out of the view |
 * | an adapter's release of a discarded response                | ignored (best effort)                                |
 * | an attempt's abort listener                                 | ignored; the other listeners still run               |
 * | a `diagnostics_channel` subscriber                          | ignored here (Node rethrows it asynchronously)       |
 * | `@redress/otel`'s `spanName`                                | the default span name (`redress <operation>`)        |
 * | `@redress/redis`'s `onLog` (Redis unavailable / restored)   | ignored; syncing goes on                             |
 * | `clock.now()` read to turn an HTTP-date into a delay        | `NaN`: HTTP-dates are ignored, delay-seconds are not |
 *
 * The arity overloads exist so hot paths pass arguments instead of allocating a closure.
 *
 * @param fallback what to return when `fn` throws synchronously
 * @param fn the user code
 * @param thisArg `this` for `fn` (pass the object whose method it is)
 */
export function isolate<R, F>(fallback: F, fn: () => R): R | F
export function isolate<T, R, F>(fallback: F, fn: (this: T) => R, thisArg: T): R | F
export function isolate<T, A, R, F>(fallback: F, fn: (this: T, a: A) => R, thisArg: T, a: A): R | F
export function isolate<T, A, B, R, F>(fallback: F, fn: (this: T, a: A, b: B) => R, thisArg: T, a: A, b: B): R | F
export function isolate<T, A, B, C, D, R, F>(
  fallback: F,
  fn: (this: T, a: A, b: B, c: C, d: D) => R,
  thisArg: T,
  a: A,
  b: B,
  c: C,
  d: D,
): R | F
export function isolate(
  fallback: unknown,
  fn: (this: unknown, ...args: unknown[]) => unknown,
  thisArg?: unknown,
  a?: unknown,
  b?: unknown,
  c?: unknown,
  d?: unknown,
): unknown {
  try {
    let result: unknown
    // biome-ignore lint/complexity/noArguments: the arity decides the call; rest parameters would allocate an array per call on hot paths
    switch (arguments.length) {
      case 2:
      case 3:
        result = fn.call(thisArg)
        break
      case 4:
        result = fn.call(thisArg, a)
        break
      case 5:
        result = fn.call(thisArg, a, b)
        break
      default:
        result = fn.call(thisArg, a, b, c, d)
    }
    if (typeof result === 'object' && result !== null) isolateRejection(result)
    return result
  } catch {
    return fallback
  }
}

/**
 * Awaits user code that may be asynchronous (the sleep handler, the backoff sleep): a throw or
 * a rejection returns `fallback`. See {@link isolate} for the table of fallbacks. As with
 * `isolate`, the arity overloads pass arguments without a closure.
 */
export function isolateAsync<T, A, R, F>(
  fallback: F,
  fn: (this: T, a: A) => R | PromiseLike<R>,
  thisArg: T,
  a: A,
): Promise<R | F>
export function isolateAsync<T, A, B, C, R, F>(
  fallback: F,
  fn: (this: T, a: A, b: B, c: C) => R | PromiseLike<R>,
  thisArg: T,
  a: A,
  b: B,
  c: C,
): Promise<R | F>
export async function isolateAsync(
  fallback: unknown,
  fn: (this: unknown, ...args: unknown[]) => unknown,
  thisArg: unknown,
  a: unknown,
  b?: unknown,
  c?: unknown,
): Promise<unknown> {
  try {
    // biome-ignore lint/complexity/noArguments: the arity decides the call, so user code sees only the arguments it was given
    return await (arguments.length === 4 ? fn.call(thisArg, a) : fn.call(thisArg, a, b, c))
  } catch {
    return fallback
  }
}

const ignore = (): void => {}

/** Gives a returned thenable a rejection handler, so its rejection is isolated, not unhandled. */
function isolateRejection(value: object): void {
  const then = (value as { then?: unknown }).then
  if (typeof then === 'function') then.call(value, undefined, ignore)
}
