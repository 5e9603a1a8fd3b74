import { type CallResult, type DemoClient, isFailedCall } from '../DemoClient.ts'
import { errorCode } from '../errorCode.ts'
import type { ScenarioStep } from '../scenario.ts'

/** One attempt of the naive loop, as its trace reports it. */
export interface NaiveAttempt {
  /** 1-based attempt. */
  readonly attempt: number
  /** The status received, if any. */
  readonly status: number | undefined
  /** The error code, if the attempt threw. */
  readonly error: string | undefined
  /** How long the attempt took, in ms. */
  readonly durationMs: number
  /** The sleep before the next attempt, in ms; undefined when the loop ends here. */
  readonly sleepMs: number | undefined
}

/** The loop every codebase has once: "retry five times, exponential backoff". */
export const NAIVE_RETRIES = 5
/** The naive loop's first backoff, doubled on each retry. */
export const NAIVE_BASE_MS = 50

/**
 * Plain `fetch` in a loop: retries any network error, 5xx or 429 up to five times, sleeping
 * 50, 100, 200, 400, 800 ms. No jitter, no deadline, no attempt timeout, no budget, no
 * `Retry-After`, no idea which requests are safe to send twice.
 */
export function naiveClient(origin: string, trace: (attempt: NaiveAttempt) => void): DemoClient {
  return {
    name: 'naive loop',
    async send(step: ScenarioStep): Promise<CallResult> {
      for (let attempt = 1; ; attempt++) {
        const started = performance.now()
        let result: CallResult
        try {
          const res = await fetch(`${origin}${step.path}`, {
            method: step.method,
            ...(step.body === undefined ? {} : { body: step.body, headers: { 'content-type': 'application/json' } }),
          })
          await res.arrayBuffer()
          result = { status: res.status, error: undefined }
        } catch (error) {
          result = { status: undefined, error: errorCode(error) }
        }
        const sleepMs =
          isFailedCall(result) && attempt <= NAIVE_RETRIES ? NAIVE_BASE_MS * 2 ** (attempt - 1) : undefined
        trace({ attempt, ...result, durationMs: performance.now() - started, sleepMs })
        if (sleepMs === undefined) return result
        await new Promise((resolve) => setTimeout(resolve, sleepMs))
      }
    },
    async close(): Promise<void> {},
  }
}
