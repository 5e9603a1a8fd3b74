import { type AttemptEndContext, EventName, type RetryHooks, StopReason } from '@redress/core'
import { NAIVE_BASE_MS, NAIVE_RETRIES, type NaiveAttempt } from './clients/naiveClient.ts'
import { type CallResult, isFailedCall } from './DemoClient.ts'
import { errorCode } from './errorCode.ts'
import type { Printer } from './Printer.ts'
import type { ScenarioStep } from './scenario.ts'

const STOP_WHY: Readonly<Record<StopReason, string>> = {
  MAX_ATTEMPTS_GLOBAL: 'the attempt cap is reached',
  MAX_ATTEMPTS_PER_CLASS: "this class's attempt cap is reached",
  DEADLINE_EXCEEDED: "waiting longer would pass the call's deadline",
  MAX_UNKNOWN_ATTEMPTS: 'too many failures of unknown kind',
  NON_RETRYABLE_CLASS: 'this failure is not retryable',
  NO_STRATEGY: 'no backoff strategy for this class',
  BUDGET_EXHAUSTED: "this origin's retry budget is spent (too many recent failures): fail fast, add no load",
  SCHEDULED: 'handed to an external scheduler',
  ABORTED: 'the caller aborted',
  CIRCUIT_OPEN: 'the circuit breaker is open',
  THROTTLED: 'this origin rejects most calls: refused on the client, never sent',
}

const REASON_WHY: Readonly<Record<string, string>> = {
  non_idempotent: 'a POST whose body reached the server may have been processed: never sent twice',
  body_not_replayable: 'the body was a one-shot stream, already sent',
  aborted: 'the caller aborted',
}

/**
 * Turns what happened to each request into a readable timeline: one line per attempt
 * (status or error code, error class, duration, then the sleep and why, or the stop and
 * why), then what the caller got. Redress runs feed it through the policy's hooks; the
 * naive loop feeds it directly.
 */
export class TimelineRecorder {
  readonly #out: Printer
  readonly #durations = new Map<number, { durationMs: number; error: unknown }>()
  #started = 0

  constructor(out: Printer) {
    this.#out = out
  }

  /** Hooks to pass to the policy, so every attempt the adapters make is shown. */
  hooks(): Required<Pick<RetryHooks, 'onLog' | 'onAttemptEnd'>> {
    return {
      onAttemptEnd: (ctx: AttemptEndContext) => {
        this.#durations.set(ctx.attempt, { durationMs: ctx.durationMs, error: ctx.error })
      },
      onLog: (event, fields) => this.#onLog(event, fields),
    }
  }

  /** Announces a request. */
  begin(step: ScenarioStep): void {
    this.#durations.clear()
    this.#started = performance.now()
    const p = this.#out
    p.line(`  ${p.paint('bold', `${step.method} ${step.path}`)}  ${p.paint('dim', `(${step.fault})`)}`)
  }

  /** Reports what the caller got; returns the call's duration in ms. */
  end(result: CallResult): number {
    const elapsedMs = performance.now() - this.#started
    const p = this.#out
    const got =
      result.status !== undefined
        ? p.paint(result.status < 400 ? 'green' : 'red', String(result.status))
        : p.paint('red', `error ${result.error ?? 'unknown'}`)
    p.line(`    ${p.paint('dim', '└')} caller got ${got} after ${ms(elapsedMs)}`)
    return elapsedMs
  }

  /** Records one attempt of the naive loop. */
  naive(a: NaiveAttempt): void {
    const p = this.#out
    const what =
      a.sleepMs !== undefined
        ? `${p.paint('yellow', `→ sleep ${ms(a.sleepMs)}`)}  (${NAIVE_BASE_MS} ms · 2^${a.attempt - 1}, whatever the failure)`
        : isFailedCall(a)
          ? p.paint('red', `✗ gives up after ${NAIVE_RETRIES} retries`)
          : p.paint('green', '✓ done')
    this.#attemptLine(a.attempt, a.status !== undefined ? String(a.status) : (a.error ?? '?'), '', a.durationMs, what)
  }

  #onLog(event: string, f: Readonly<Record<string, unknown>>): void {
    if (event.startsWith('circuit_')) return
    const p = this.#out
    const attempt = typeof f['attempt'] === 'number' ? f['attempt'] : 0
    const seen = this.#durations.get(attempt)
    const status = f['status']
    const outcome =
      typeof status === 'number' ? String(status) : seen?.error !== undefined ? errorCode(seen.error) : '—'
    const cls = typeof f['class'] === 'string' ? f['class'] : ''
    let what: string
    if (event === EventName.SUCCESS) {
      what = p.paint('green', '✓ success')
    } else if (event === EventName.RETRY) {
      const sleepMs = typeof f['sleep_ms'] === 'number' ? f['sleep_ms'] : 0
      const retryAfter = f['retry_after_ms']
      const why =
        f['sleep_source'] === 'retry_after' && typeof retryAfter === 'number'
          ? `server's Retry-After ${ms(retryAfter)} + jitter`
          : 'strategy: decorrelated jitter'
      what = `${p.paint('yellow', `→ sleep ${ms(sleepMs)}`)}  (${why})`
    } else {
      const reason = f['stop_reason']
      const detail = typeof f['reason'] === 'string' ? REASON_WHY[f['reason']] : undefined
      const why = detail ?? (isStopReason(reason) ? STOP_WHY[reason] : event)
      what = `${p.paint('red', `✗ stop: ${String(reason ?? event)}`)}  (${why})`
    }
    this.#attemptLine(attempt, outcome, cls, seen?.durationMs ?? 0, what)
  }

  #attemptLine(attempt: number, outcome: string, cls: string, durationMs: number, what: string): void {
    const p = this.#out
    const ok = /^[23]\d\d$/.test(outcome)
    p.line(
      `    #${attempt}  ${p.paint(ok ? 'green' : 'red', outcome.padEnd(14))} ${p.paint('cyan', cls.padEnd(13))} ${p.paint('dim', ms(durationMs).padStart(8))}  ${what}`,
    )
  }
}

function isStopReason(value: unknown): value is StopReason {
  return typeof value === 'string' && Object.hasOwn(StopReason, value)
}

/** A duration for people: whole milliseconds. */
export function ms(value: number): string {
  return `${Math.round(value)} ms`
}
