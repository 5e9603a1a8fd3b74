/**
 * A custom classifier for an SDK's own errors: map each error kind to a redress class (and
 * pass the server's retry hint through), and fall back to `defaultClassifier` for everything
 * else — network codes, HTTP statuses, timeouts.
 *
 * Run: pnpm --filter @redress/examples exec node --conditions=@redress/source --import tsx custom-classifier/index.ts
 */
import assert from 'node:assert/strict'
import {
  type Classification,
  type Classifier,
  decorrelatedJitter,
  defaultClassifier,
  ErrorClass,
  RetryPolicy,
  retryAfterOr,
  StopReason,
} from '@redress/core'

/** The error an imaginary payments SDK throws. */
class PaymentsError extends Error {
  override readonly name = 'PaymentsError'
  constructor(
    readonly kind: 'card_declined' | 'throttled' | 'unavailable' | 'idempotency_conflict' | 'bad_api_key',
    readonly retryAfterSeconds?: number,
  ) {
    super(`payments: ${kind}`)
  }
}

const paymentsClassifier: Classifier = (error: unknown): ErrorClass | Classification => {
  if (!(error instanceof PaymentsError)) return defaultClassifier(error)
  switch (error.kind) {
    case 'card_declined':
      return ErrorClass.PERMANENT
    case 'bad_api_key':
      return ErrorClass.AUTH
    case 'idempotency_conflict':
      return ErrorClass.CONCURRENCY
    case 'unavailable':
      return ErrorClass.SERVER_ERROR
    case 'throttled':
      return error.retryAfterSeconds === undefined
        ? ErrorClass.RATE_LIMIT
        : { errorClass: ErrorClass.RATE_LIMIT, retryAfterMs: error.retryAfterSeconds * 1000 }
  }
}

const policy = new RetryPolicy({
  classifier: paymentsClassifier,
  // retryAfterOr makes the classification's retryAfterMs win over the jittered backoff.
  strategy: retryAfterOr(decorrelatedJitter({ baseMs: 10, maxMs: 50 }), { jitterMs: 5 }),
  maxAttempts: 4,
})

/** Charges a card through the "SDK", failing with the given errors first. */
function flakyCharge(failures: PaymentsError[]): () => Promise<string> {
  return async () => {
    const next = failures.shift()
    if (next !== undefined) throw next
    return 'ch_123'
  }
}

for (const [label, failures, expectOk] of [
  [
    'throttled, then unavailable, then ok',
    [new PaymentsError('throttled', 0.02), new PaymentsError('unavailable')],
    true,
  ],
  ['card declined', [new PaymentsError('card_declined')], false],
  ['bad API key', [new PaymentsError('bad_api_key')], false],
] as const) {
  const outcome = await policy.execute(flakyCharge([...failures]), { operation: 'charge', captureTimeline: true })
  console.log(`${label}:`)
  for (const t of outcome.timeline ?? []) {
    console.log(
      `  #${t.attempt} ${t.errorClass ?? 'ok'} → ${t.decision}${t.sleepMs === undefined ? '' : ` after ${Math.round(t.sleepMs)} ms (${t.sleepSource})`}${t.stopReason ? ` (${t.stopReason})` : ''}`,
    )
  }
  assert.equal(outcome.ok, expectOk)
  if (!expectOk) assert.equal(outcome.stopReason, StopReason.NON_RETRYABLE_CLASS)
}

// The server's retry hint reached the engine: the first sleep honoured 20 ms.
const hinted = await policy.execute(flakyCharge([new PaymentsError('throttled', 0.02)]), { captureTimeline: true })
assert.equal(hinted.timeline?.[0]?.sleepSource, 'retry_after')
console.log('a throttled charge waited for the SDK’s retryAfterSeconds before retrying')
