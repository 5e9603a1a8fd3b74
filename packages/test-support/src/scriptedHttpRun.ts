import { type RetryHooks, type RetryOptions, RetryPolicy } from '@redress/core'
import { createHttpAdapter } from '@redress/core/http'
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
  const policy = new RetryPolicy({ clock, random: () => 0.5, strategy: () => 100, ...options })
  const adapter = createHttpAdapter({ policy }, 'test')
  const call = adapter.callOptions(
    { method: 'GET', url: new URL('http://api.test/users/1'), headers: undefined, bodyReplayable: true },
    undefined,
    { ...hooks, ...extra },
  )
  let i = 0
  const run = policy.execute(
    async () => ({ status: statuses[Math.min(i++, statuses.length - 1)] ?? 200, headers: new Headers() }),
    call,
  )
  await clock.runAll()
  await run
}
