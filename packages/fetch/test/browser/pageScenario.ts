// Bundled by esbuild with @redress/fetch and @redress/core as published (their dist/, through
// their exports maps) and loaded by the test page in Chromium: it runs one redressFetch call as a
// scenario describes and reports what happened. It runs in the browser, not in Node.

import { httpPolicy } from '@redress/core/http'
import { redressFetch } from '@redress/fetch'

/** One call to make in the page. */
export interface ScenarioSpec {
  readonly url: string
  readonly method?: string
  readonly body?: string
  /** Send a `Request` with the body, as ky does, instead of a URL and init. */
  readonly asRequest?: boolean
  /** `'instant'` records each backoff sleep and skips it; `'real'` (the default) sleeps. */
  readonly sleep?: 'instant' | 'real'
  /** `redressFetch`'s option of that name. */
  readonly maxBufferedRequestBodyBytes?: number
  /** Abort the call's signal once its backoff sleep has begun. */
  readonly abortDuringBackoff?: boolean
}

/** One engine event, as `onMetric` saw it. */
export interface ScenarioEvent {
  readonly event: string
  readonly attempt: number
  readonly sleepMs: number
  readonly errorClass: string | undefined
  readonly stopReason: string | undefined
}

/** What the call came to. */
export interface ScenarioResult {
  readonly status?: number
  readonly body?: string
  /** `Retry-After` as the page can read it on each failed response (`null`: hidden by CORS or absent). */
  readonly retryAfterSeen: Array<string | null>
  readonly error?: { readonly name: string; readonly message: string; readonly isAbortReason: boolean }
  readonly events: ScenarioEvent[]
}

const ABORT_REASON = new Error('the user navigated away')

async function runScenario(spec: ScenarioSpec): Promise<ScenarioResult> {
  const events: ScenarioEvent[] = []
  const retryAfterSeen: Array<string | null> = []
  const controller = new AbortController()
  const policy = httpPolicy({
    random: () => 0,
    onMetric: (event, attempt, sleepMs, tags) => {
      events.push({
        event,
        attempt,
        sleepMs,
        errorClass: tags['class'] as string | undefined,
        stopReason: tags['stop_reason'] as string | undefined,
      })
    },
    onAttemptEnd: (ctx) => {
      const response = ctx.value as Response | undefined
      if (!ctx.ok && response instanceof Response) retryAfterSeen.push(response.headers.get('retry-after'))
    },
    // A macrotask after the sleep was decided, the sleep is under way: abort it then.
    beforeSleep: () => {
      if (spec.abortDuringBackoff === true) setTimeout(() => controller.abort(ABORT_REASON), 0)
    },
    ...(spec.sleep === 'instant' ? { sleeper: async () => {} } : {}),
  })
  const send = redressFetch(
    spec.maxBufferedRequestBodyBytes === undefined
      ? { policy }
      : { policy, maxBufferedRequestBodyBytes: spec.maxBufferedRequestBodyBytes },
  )
  const init: RequestInit = { method: spec.method ?? 'GET', signal: controller.signal }
  if (spec.body !== undefined) init.body = spec.body
  try {
    const response = await (spec.asRequest === true ? send(new Request(spec.url, init)) : send(spec.url, init))
    return { status: response.status, body: await response.text(), retryAfterSeen, events }
  } catch (error) {
    const e = error as { name?: unknown; message?: unknown }
    return {
      error: { name: String(e.name), message: String(e.message), isAbortReason: error === ABORT_REASON },
      retryAfterSeen,
      events,
    }
  }
}

;(globalThis as unknown as { runScenario: typeof runScenario }).runScenario = runScenario
