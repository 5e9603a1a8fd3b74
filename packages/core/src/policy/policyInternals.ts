import type { CallFinish, CallSink, DeferredCall } from './callFinish.ts'
import type { Operation, RetryPolicy } from './RetryPolicy.ts'
import type { ResolvedPolicy } from './resolveOptions.ts'

/**
 * What the HTTP adapter runner needs of a policy beyond its public API, reached through a
 * `Symbol.for` key so that a policy built by another copy of `@redress/core` (the CJS and ESM
 * builds, or two installed versions with the same internal protocol) works with this copy's
 * adapters. The protocol number in the key changes when this shape does. Internal.
 */
export interface PolicyInternals {
  /** The validated options. */
  readonly resolved: ResolvedPolicy
  /** Runs `fn` with call options an adapter builds only when an attempt fails. */
  runDeferred<R>(fn: Operation<unknown>, deferred: DeferredCall, finish: CallFinish<R>): Promise<R>
  /**
   * Optional (a copy of core before it has none): `runDeferred` without promises — `sink` sends
   * the attempts and receives the result (see `CallSink`).
   */
  runSink?<R>(deferred: DeferredCall, finish: CallFinish<R>, sink: CallSink<R>): void
}

export const INTERNALS: unique symbol = Symbol.for('@redress/core/RetryPolicy#1') as never

/**
 * True for a `RetryPolicy` (or `HttpRetryPolicy`) from any copy of `@redress/core` that speaks
 * this copy's internal protocol. `instanceof RetryPolicy` answers the same.
 */
export function isRetryPolicy(value: unknown): value is RetryPolicy {
  return policyInternals(value) !== undefined
}

/** The internals of a policy from any compatible copy of core, else `undefined`. Never throws. Internal. */
export function policyInternals(value: unknown): PolicyInternals | undefined {
  try {
    if (typeof value !== 'object' || value === null) return undefined
    const get = (value as { [INTERNALS]?: unknown })[INTERNALS]
    return typeof get === 'function' ? (get.call(value) as PolicyInternals) : undefined
  } catch {
    return undefined
  }
}
