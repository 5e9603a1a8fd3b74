import type { EventName } from '../EventName.ts'
import type { EventTags, RetryHooks } from './RetryOptions.ts'

/**
 * Calls the metric and log hooks of the policy and of the call (both, policy first).
 * A hook that throws is isolated: the run goes on unchanged.
 */
export function emitEvent(
  hooks: readonly RetryHooks[],
  event: EventName,
  attempt: number,
  sleepMs: number,
  tags: EventTags,
  fields: Readonly<Record<string, unknown>>,
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
