import { type RetryHooks, type RetryOptions, RetryPolicy } from '@redress/core'
import { createHttpAdapter } from '@redress/core/adapter'
import { FakeClock } from '@redress/core/testing'

/** Per-call extras handed to the adapter layer beside the hooks under test. */
export interface ScriptedHttpRunExtra {
  readonly signal?: AbortSignal
  readonly beforeSleep?: RetryHooks['beforeSleep']
}

/**
 * Runs a GET of `http://api.test/users/1` through the shared HTTP adapter layer on a FakeClock:
 * the n-th attempt answers `statuses[n]` (the last repeats), every backoff sleep is 100 ms and
 * `random` is 0.5, unless `options` say otherwise. Settles once the run has ended.
 */
export async function scriptedHttpRun(
  hooks: RetryHooks,
  statuses: readonly number[],
  options: RetryOptions = {},
  extra: ScriptedHttpRunExtra = {},
  clock: FakeClock = new FakeClock(),
): Promise<void> {
  // The hooks under test go on the policy: the adapter runner takes no per-call hooks, and a
  // policy's hooks see exactly the events a call's would.
  const policy = new RetryPolicy({ clock, random: () => 0.5, strategy: () => 100, ...options, ...hooks })
  const adapter = createHttpAdapter({ policy }, 'test')
  let i = 0
  const run = adapter
    .run(
      {
        method: 'GET',
        url: 'http://api.test/users/1',
        headers: undefined,
        oneShotBody: false,
        redress: undefined,
        signal: extra.signal,
      },
      async () => ({ status: statuses[Math.min(i++, statuses.length - 1)] ?? 200, headers: new Headers() }),
      { release: () => {}, beforeSleep: extra.beforeSleep },
    )
    .catch(() => undefined)
  await clock.runAll()
  await run
}
