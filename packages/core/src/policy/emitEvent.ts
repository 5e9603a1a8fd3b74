import type { EventName } from '../EventName.ts'
import { type DiagnosticsChannelLike, publishDiagnostics } from '../observability/diagnosticsPublisher.ts'
import type { EventTags, RetryHooks } from './RetryOptions.ts'

/**
 * Calls the metric and log hooks of the policy and of the call (both, policy first),
 * then publishes the event on its diagnostics channel when one is given (the caller
 * passes it only when it has subscribers). A hook that throws is isolated: the run goes
 * on unchanged.
 */
export function emitEvent(
  hooks: readonly RetryHooks[],
  event: EventName,
  attempt: number,
  sleepMs: number,
  tags: EventTags,
  fields: Readonly<Record<string, unknown>>,
  channel?: DiagnosticsChannelLike,
): void {
  for (const h of hooks) {
    if (h.onMetric !== undefined) {
      try {
        h.onMetric(event, attempt, sleepMs, tags)
      } catch {
        // isolated by contract
      }
    }
    if (h.onLog !== undefined) {
      try {
        h.onLog(event, { ...tags, ...fields, attempt, sleep_ms: sleepMs })
      } catch {
        // isolated by contract
      }
    }
  }
  if (channel !== undefined) {
    publishDiagnostics(
      channel,
      Object.freeze({
        event,
        attempt,
        sleepMs,
        tags: Object.freeze({ ...tags }),
        fields: Object.freeze({ ...tags, ...fields, attempt, sleep_ms: sleepMs }),
      }),
    )
  }
}

/** Calls one optional hook with an argument, isolating any throw. */
export function callHook<A>(hook: ((arg: A) => void) | undefined, arg: A): void {
  if (hook === undefined) return
  try {
    hook(arg)
  } catch {
    // isolated by contract
  }
}

/** Runs a call into user-replaceable code (a budget, an observer), isolating any throw. */
export function safeCall(f: () => void): void {
  try {
    f()
  } catch {
    // budgets and observers are user-replaceable; a throwing one must not break the run
  }
}
