/**
 * A strategy per error class: wait for the server on RATE_LIMIT, back off hard on
 * SERVER_ERROR, retry TRANSIENT blips quickly, and cap CONCURRENCY conflicts at two
 * attempts. The timeline of each run shows which strategy picked each sleep.
 *
 * Run: pnpm --filter @redress/examples exec node --conditions=@redress/source --import tsx per-class-strategies/index.ts
 */
import assert from 'node:assert/strict'
import {
  ConcurrencyError,
  decorrelatedJitter,
  ErrorClass,
  equalJitter,
  RateLimitError,
  RetryPolicy,
  retryAfterOr,
  ServerError,
  StopReason,
  TransientError,
  tokenBackoff,
} from '@redress/core'
import { seededRandom } from '@redress/core/testing'

const policy = new RetryPolicy({
  strategies: {
    [ErrorClass.RATE_LIMIT]: retryAfterOr(decorrelatedJitter({ baseMs: 100, maxMs: 400 }), { jitterMs: 10 }),
    [ErrorClass.SERVER_ERROR]: equalJitter({ baseMs: 20, maxMs: 200 }),
    [ErrorClass.TRANSIENT]: tokenBackoff({ baseMs: 5, maxMs: 50 }),
    [ErrorClass.CONCURRENCY]: () => 5,
  },
  perClassMaxAttempts: { [ErrorClass.CONCURRENCY]: 2 },
  maxAttempts: 5,
  random: seededRandom(1),
})

function failing(errors: Error[]): () => Promise<string> {
  return async () => {
    const next = errors.shift()
    if (next !== undefined) throw next
    return 'done'
  }
}

const runs = {
  'rate limited (server says 30 ms)': [new RateLimitError('429', { retryAfterMs: 30 }), new RateLimitError('429')],
  'server errors': [new ServerError('502'), new ServerError('503'), new ServerError('503')],
  'transient blips': [new TransientError('reset'), new TransientError('reset')],
  'write conflicts': [new ConcurrencyError('409'), new ConcurrencyError('409'), new ConcurrencyError('409')],
}
for (const [label, errors] of Object.entries(runs)) {
  const outcome = await policy.execute(failing(errors), { captureTimeline: true })
  console.log(`${label}: ${outcome.ok ? 'ok' : `gave up (${outcome.stopReason})`} after ${outcome.attempts} attempts`)
  for (const t of outcome.timeline ?? []) {
    if (t.decision === 'retry') {
      console.log(`  #${t.attempt} ${t.errorClass} → sleep ${Math.round(t.sleepMs ?? 0)} ms (${t.sleepSource})`)
    }
  }
  if (label === 'write conflicts') assert.equal(outcome.stopReason, StopReason.MAX_ATTEMPTS_PER_CLASS)
  else assert.equal(outcome.ok, true)
  if (label.startsWith('rate limited')) assert.equal(outcome.timeline?.[0]?.sleepSource, 'retry_after')
}
