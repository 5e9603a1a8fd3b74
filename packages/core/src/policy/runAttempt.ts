import { Attempt, attemptTimeoutError, isThenable } from './Attempt.ts'
import type { DeadlineEntry, DeadlineQueue } from './DeadlineQueue.ts'
import { noop } from './noop.ts'
import type { AttemptContext } from './RetryOptions.ts'
import { RESOLVED } from './resolvedPromise.ts'
import type { ResolvedPolicy } from './resolveOptions.ts'

/** How one attempt ended, from the driver's point of view. */
export type AttemptResult =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'error'; readonly error: unknown }
  /** The attempt timer fired: per-attempt timeout (`deadline: false`) or the total deadline. */
  | { readonly kind: 'timeout'; readonly error: unknown; readonly deadline: boolean }
  | { readonly kind: 'aborted'; readonly reason: unknown }

/** An armed attempt timer: the deadline queue the attempt waits in, or the function that disarms its timer. */
export type ArmedTimer = DeadlineQueue | (() => void)

/**
 * Arms the timer that cuts an attempt after `timeoutMs`, through whatever the policy waits
 * with: the policy's shared {@link DeadlineQueue} for the system clock (no timer of its own),
 * the injected clock's `sleep`, or a real timer for a clock with only `now`. `entry.expire` is
 * called when the time is up; {@link disarm} undoes it when the attempt settles first.
 */
export function armAttemptTimer(
  policy: ResolvedPolicy,
  timeoutMs: number,
  startMs: number,
  entry: DeadlineEntry,
): ArmedTimer {
  const queue = policy.deadlines
  if (queue !== undefined && queue.durationMs === timeoutMs) {
    queue.add(entry, startMs)
    return queue
  }
  return startTimer(policy, timeoutMs, () => entry.expire())
}

/**
 * Calls `fire` after `ms` through whatever the policy waits with (an injected clock's `sleep`, or
 * a real timer for the system clock or a clock with only `now`); returns the function that
 * cancels it. Used for attempt timers off the deadline queue and for hedge delays.
 */
export function startTimer(p: ResolvedPolicy, ms: number, fire: () => void): () => void {
  if (p.realTime || p.clock.sleep === undefined) {
    // setTimeout clamps anything over 2^31-1 ms to 1 ms: such a timer never fires.
    if (!(ms <= 2_147_483_647)) return noop
    const timer = setTimeout(fire, Math.max(0, ms))
    return () => clearTimeout(timer)
  }
  const controller = new AbortController()
  p.clock.sleep(ms, controller.signal).then(
    () => {
      if (!controller.signal.aborted) fire()
    },
    () => {},
  )
  return () => controller.abort()
}

/** Disarms a timer armed by {@link armAttemptTimer} for an attempt that settled before it. */
export function disarm(armed: ArmedTimer): void {
  if (typeof armed === 'function') armed()
  else armed.settled()
}

/**
 * Runs one attempt (after the first), enforcing the timer (`timeoutMs`, already clipped to
 * the deadline) and the caller's signal: whichever comes first settles the attempt and
 * aborts the context `fn` received. No timer or listener survives the attempt.
 */
export function runAttempt(
  fn: (ctx: AttemptContext) => unknown,
  attempt: number,
  timeoutMs: number,
  isDeadline: boolean,
  signal: AbortSignal | undefined,
  policy: ResolvedPolicy,
): Promise<AttemptResult> {
  const ctx = new Attempt(attempt)
  let returned: unknown
  try {
    returned = fn(ctx)
  } catch (error) {
    return Promise.resolve({ kind: 'error', error })
  }
  if (!isThenable(returned)) return Promise.resolve({ kind: 'value', value: returned })
  const pending = returned

  return new Promise<AttemptResult>((resolve) => {
    let armed: ArmedTimer | undefined
    const entry: DeadlineEntry = {
      expiresAtMs: undefined,
      pending: true,
      expire(): void {
        if (!this.pending) return
        const error = attemptTimeoutError(timeoutMs, isDeadline)
        ;(this as { pending: boolean }).pending = false
        armed = undefined
        cleanup()
        ctx.abort(error)
        resolve({ kind: 'timeout', error, deadline: isDeadline })
      },
    }
    const cleanup = (): void => {
      signal?.removeEventListener('abort', onAbort)
    }
    const finish = (result: AttemptResult): void => {
      if (!entry.pending) return
      ;(entry as { pending: boolean }).pending = false
      if (armed !== undefined) disarm(armed)
      cleanup()
      resolve(result)
    }
    const onAbort = (): void => {
      if (!entry.pending) return
      ctx.abort(signal?.reason)
      finish({ kind: 'aborted', reason: signal?.reason })
    }
    pending.then(
      (value) => finish({ kind: 'value', value }),
      (error: unknown) => finish({ kind: 'error', error }),
    )
    if (signal !== undefined) {
      // fn itself may have aborted the caller's signal before this listener existed.
      if (signal.aborted) {
        onAbort()
        return
      }
      signal.addEventListener('abort', onAbort, { once: true })
    }
    if (!Number.isFinite(timeoutMs)) return
    // Arm the timer one microtask later: an operation whose promise is already settled
    // finishes first and never pays for a timer.
    RESOLVED.then(() => {
      if (entry.pending) armed = armAttemptTimer(policy, timeoutMs, policy.clock.now(), entry)
    })
  })
}
