/**
 * Unit-testing retry behaviour with `@redress/core/testing`: a `FakeClock` drives every
 * wait (backoff sleeps, attempt timeouts, the deadline) in virtual time and `seededRandom`
 * fixes the jitter, so a run that "takes" seconds finishes in microseconds — no real
 * waiting, no timing margins. Written with node:assert so it runs as a plain script; the
 * same code works inside vitest or node:test.
 *
 * Run: pnpm --filter @redress/examples exec node --conditions=@redress/source --import tsx testing-with-fake-clock/index.ts
 */
import assert from 'node:assert/strict'
import { decorrelatedJitter, RetryPolicy, ServerError, StopReason } from '@redress/core'
import { httpPolicy } from '@redress/core/http'
import { FakeClock, RecordingPolicy, seededRandom } from '@redress/core/testing'
import { redressFetch } from '@redress/fetch'

const realStart = performance.now()

// 1. Two 503s, then success: three attempts, two sleeps of virtual time.
{
  const clock = new FakeClock()
  const policy = new RecordingPolicy({
    strategy: decorrelatedJitter({ baseMs: 1_000, maxMs: 10_000 }),
    clock,
    random: seededRandom(42),
  })
  let calls = 0
  const pending = policy.call(async () => {
    calls++
    if (calls < 3) throw new ServerError('503')
    return 'ok'
  })
  await clock.runAll()
  assert.equal(await pending, 'ok')
  assert.equal(calls, 3)
  assert.deepEqual(
    policy.events.map((e) => e.event),
    ['retry', 'retry', 'success'],
  )
  assert.ok(clock.now() >= 2_000, 'two sleeps of at least baseMs each')
  console.log(`✓ retries two 503s: ${calls} attempts, ${Math.round(clock.now())} ms of virtual time`)
}

// 2. An attempt that hangs is cut by attemptTimeoutMs and retried; the deadline ends the run.
{
  const clock = new FakeClock()
  const policy = new RetryPolicy({ attemptTimeoutMs: 5_000, deadlineMs: 12_000, clock, random: seededRandom(1) })
  const outcome = policy.execute(
    ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
  )
  await clock.runAll()
  const result = await outcome
  assert.equal(result.ok, false)
  assert.equal(result.stopReason, StopReason.DEADLINE_EXCEEDED)
  assert.ok(result.elapsedMs <= 12_000)
  console.log(
    `✓ hanging attempts time out; the run stops at the deadline (${result.attempts} attempts, ${result.elapsedMs} ms virtual)`,
  )
}

// 3. An adapter under test: redressFetch over a stub fetch, Retry-After honoured in virtual time.
{
  const clock = new FakeClock()
  const statuses = [429, 200]
  const stubFetch: typeof fetch = async () => {
    const status = statuses.shift() ?? 500
    return new Response(status === 200 ? 'done' : null, {
      status,
      headers: status === 429 ? { 'retry-after': '30' } : {},
    })
  }
  const fetchWithRetries = redressFetch({ fetch: stubFetch, policy: httpPolicy({ clock, random: seededRandom(7) }) })
  const pending = fetchWithRetries('https://api.example.test/jobs')
  await clock.runAll()
  const res = await pending
  assert.equal(res.status, 200)
  assert.ok(clock.now() >= 30_000, 'waited the 30 s the server asked for')
  console.log(`✓ honours Retry-After: 30 → retried after ${Math.round(clock.now())} ms of virtual time`)
}

const realMs = performance.now() - realStart
assert.ok(realMs < 2_000)
console.log(`all checks passed in ${Math.round(realMs)} ms of real time`)
