import type { Classification } from '../Classification.ts'
import type { ErrorClass } from '../ErrorClass.ts'
import type { EventName } from '../events/EventName.ts'

/**
 * Tags passed with every event. Keys are snake_case and stable: `operation`, `class`,
 * `err`, `stop_reason`, `cause`, `state`; adapters add `method`, `host`, `status`.
 */
export type EventTags = Readonly<Record<string, string | number | undefined>>

/**
 * The metric hook: one call per event.
 * @param event the event name (see `EventName`)
 * @param attempt the 1-based attempt the event is about (0 before any attempt)
 * @param sleepMs the sleep chosen before the next attempt, in ms (0 unless `retry`/`scheduled`)
 * @param tags low-cardinality tags
 */
export type MetricHook = (event: EventName, attempt: number, sleepMs: number, tags: EventTags) => void

/** The log hook: one call per event, with the tags plus `attempt`, `sleep_ms`, `elapsed_ms` and details. */
export type LogHook = (event: EventName, fields: Readonly<Record<string, unknown>>) => void

/** Passed to `onAttemptStart`. */
export interface AttemptStartContext {
  /** The attempt about to start (1-based). */
  readonly attempt: number
  /** The operation name, if any. */
  readonly operation: string | undefined
  /** Milliseconds since the run started. */
  readonly elapsedMs: number
}

/** Passed to `onAttemptEnd`. */
export interface AttemptEndContext extends AttemptStartContext {
  /** True when the attempt produced a value the result classifier accepted. */
  readonly ok: boolean
  /** The failure's class, when it failed. */
  readonly errorClass: ErrorClass | undefined
  /** The error thrown, when it threw. */
  readonly error: unknown
  /** The value returned, when it returned. */
  readonly value: unknown
  /** How long the attempt took, in ms. */
  readonly durationMs: number
}

/** Passed to `beforeSleep` and to the `sleep` handler. */
export interface SleepContext {
  /** The attempt that just failed (1-based). */
  readonly attempt: number
  /** The operation name, if any. */
  readonly operation: string | undefined
  /** The sleep the strategy chose, in ms. */
  readonly sleepMs: number
  /** The failure's class. */
  readonly errorClass: ErrorClass
  /** The failure's full classification. */
  readonly classification: Classification
  /** The error thrown by the failed attempt (undefined when a result failed). */
  readonly error: unknown
  /** The value returned by the failed attempt (undefined when it threw). */
  readonly result: unknown
  /** Milliseconds left before the deadline. */
  readonly remainingMs: number
}

/**
 * Decides what to do with a computed sleep: `'sleep'` (the default) waits and
 * retries; `'defer'` stops the run with `SCHEDULED` so an external scheduler can retry
 * after `nextSleepMs`; `'abort'` stops the run with `ABORTED`.
 */
export type SleepHandler = (ctx: SleepContext) => 'sleep' | 'defer' | 'abort' | Promise<'sleep' | 'defer' | 'abort'>

/** The hooks that may be given on the policy, per call, or both (both are called). */
export interface RetryHooks {
  /** Called once per event. A hook that throws is isolated: the call goes on unchanged. */
  onMetric?: MetricHook | undefined
  /** Called once per event with structured fields. Isolated like `onMetric`. */
  onLog?: LogHook | undefined
  /** Called before each attempt. Isolated. */
  onAttemptStart?: ((ctx: AttemptStartContext) => void) | undefined
  /** Called after each attempt. Isolated. */
  onAttemptEnd?: ((ctx: AttemptEndContext) => void) | undefined
  /** Called after a retry is decided, before the sleep. Isolated. */
  beforeSleep?: ((ctx: SleepContext) => void) | undefined
}
