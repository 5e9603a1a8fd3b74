import type { CircuitState, ErrorClass } from '@redress/core'
import type { BreakerSyncReply, BreakerSyncRequest } from './BreakerSync.ts'

/** One failure in the store's window. */
export interface StoredBreakerFailure {
  /** When it happened, by the store's clock, in ms. */
  readonly atMs: number
  /** Its class. */
  readonly errorClass: ErrorClass
}

/** A fleet breaker as the store keeps it (the Lua script: one hash and one sorted set). */
export interface StoredBreaker {
  /** The state. */
  readonly state: CircuitState
  /** When it last opened, by the store's clock, in ms. */
  readonly openedAtMs: number
  /** Counts transitions. */
  readonly generation: number
  /** The owner holding the probe lease, or `''`. */
  readonly prober: string
  /** When the probe lease ends, by the store's clock, in ms. */
  readonly probeExpiresAtMs: number
  /** Failures in the window (closed only), oldest first. */
  readonly failures: readonly StoredBreakerFailure[]
}

/** The store side of one breaker sync: the stored breaker after it, and the reply. */
export interface BreakerSyncResult {
  /** The breaker to store. */
  readonly stored: StoredBreaker
  /** What the process is told. */
  readonly reply: BreakerSyncReply
}

const CLOSED: StoredBreaker = Object.freeze({
  state: 'closed',
  openedAtMs: 0,
  generation: 0,
  prober: '',
  probeExpiresAtMs: 0,
  failures: Object.freeze([]),
})

/**
 * What the breaker's Lua script does, as a pure function of the stored breaker, one request
 * and the store's clock, in this order: the prober's message about its probe (outcome, renewal
 * or release — only from the current prober, for the current generation); the request's
 * failures, counted in one window for the fleet while closed (a threshold reached opens the
 * breaker); and, when the request wants the probe, the election — open for `recoveryTimeoutMs`
 * → half-open with this process as prober, or half-open with no live lease → this process.
 * Key expiry is not modelled. `pnpm sim` runs the fleet on this; the package's tests check that
 * the script on a real Redis answers the same.
 *
 * @param stored the breaker as stored (`undefined`: no key, i.e. closed)
 * @param nowMs the store's clock, in ms
 */
export function applyBreakerSync(
  stored: StoredBreaker | undefined,
  request: BreakerSyncRequest,
  nowMs: number,
): BreakerSyncResult {
  const b = stored ?? CLOSED
  let { state, openedAtMs, generation, prober, probeExpiresAtMs } = b
  let failures = b.failures
  const { owner, probe } = request
  if (state === 'half_open' && prober === owner && request.probeGeneration === generation) {
    if (probe === 'success') {
      state = 'closed'
      generation++
      prober = ''
      probeExpiresAtMs = 0
      failures = []
    } else if (probe === 'failure') {
      state = 'open'
      openedAtMs = nowMs
      generation++
      prober = ''
      probeExpiresAtMs = 0
    } else if (probe === 'release') {
      prober = ''
      probeExpiresAtMs = 0
    } else if (probe === 'hold') {
      probeExpiresAtMs = nowMs + request.probeLeaseMs
    }
  }
  let count = 0
  if (state === 'closed' && (failures.length > 0 || request.failures.length > 0)) {
    const cutoff = nowMs - request.windowMs
    const added = request.failures
      .filter((f) => f.ageMs < request.windowMs)
      .map((f) => ({ atMs: nowMs - f.ageMs, errorClass: f.errorClass }))
    failures = [...failures, ...added].filter((f) => f.atMs > cutoff).sort((x, y) => x.atMs - y.atMs)
    count = failures.length
    let trip = count >= request.failureThreshold
    for (const { errorClass, threshold } of request.classThresholds) {
      if (failures.filter((f) => f.errorClass === errorClass).length >= threshold) trip = true
    }
    if (trip) {
      state = 'open'
      openedAtMs = nowMs
      generation++
      count = 0
      failures = []
    }
  }
  if (probe === 'want') {
    if (state === 'open' && nowMs - openedAtMs >= request.recoveryTimeoutMs) {
      state = 'half_open'
      generation++
      prober = owner
      probeExpiresAtMs = nowMs + request.probeLeaseMs
    } else if (state === 'half_open' && (prober === '' || probeExpiresAtMs <= nowMs)) {
      prober = owner
      probeExpiresAtMs = nowMs + request.probeLeaseMs
    }
  }
  return {
    stored: { state, openedAtMs, generation, prober, probeExpiresAtMs, failures },
    reply: {
      state,
      generation,
      openedAgoMs: state === 'open' ? nowMs - openedAtMs : 0,
      probeMine: state === 'half_open' && prober === owner,
      proberPresent: state === 'half_open' && prober !== '' && probeExpiresAtMs > nowMs,
      failures: count,
    },
  }
}
