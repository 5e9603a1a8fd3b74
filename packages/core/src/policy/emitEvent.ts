import type { EventName } from '../events/EventName.ts'
import { isolate } from '../guard/isolate.ts'
import { type DiagnosticsChannelLike, publishDiagnostics } from '../observability/diagnosticsPublisher.ts'
import type { EventTags, RetryHooks } from './RetryOptions.ts'

/**
 * Calls the metric and log hooks of the policy and of the call (both, policy first),
 * then publishes the event on its diagnostics channel when one is given (the caller
 * passes it only when it has subscribers). A hook that throws, or returns a promise that
 * rejects, is isolated (`isolate`): the run goes on unchanged.
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
    if (h.onMetric !== undefined) isolate(undefined, h.onMetric, h, event, attempt, sleepMs, tags)
    if (h.onLog !== undefined) isolate(undefined, h.onLog, h, event, { ...tags, ...fields, attempt, sleep_ms: sleepMs })
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

/** Calls one optional hook with an argument, isolated (`isolate`). */
export function callHook<A>(hook: ((arg: A) => unknown) | undefined, arg: A): void {
  if (hook !== undefined) isolate(undefined, hook, undefined, arg)
}
