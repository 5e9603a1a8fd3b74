import type { Classification } from '../Classification.ts'
import { AbortRetryError, isAbortRetryError } from '../errors/AbortRetryError.ts'
import { isolate } from '../guard/isolate.ts'
import type { ResolvedHedge } from '../hedge/HedgeOptions.ts'
import type { LatencyWindow } from '../hedge/LatencyWindow.ts'
import { mayHedge } from '../hedge/mayHedge.ts'
import { attemptTimeoutError, isThenable } from './Attempt.ts'
import type { RaceEnd } from './RaceEnd.ts'
import { abortRacers, LOST, Racer } from './Racer.ts'
import type { AttemptContext } from './RetryOptions.ts'
import type { Run } from './Run.ts'
import type { ResolvedPolicy } from './resolveOptions.ts'
import { type AttemptResult, armAttemptTimer, disarm, startTimer } from './runAttempt.ts'
import { yieldToIo } from './yieldToIo.ts'

/**
 * One wave of a hedged run: the first attempt, then — each time the attempts in flight have not
 * settled after `delayMs` — a hedge alongside them, while `mayHedge` allows (hedges and attempts
 * left, deadline not reached, breaker closed, a budget token). The first value the policy accepts
 * wins and every other attempt in flight is aborted at once through its own signal. A failure
 * while another attempt is in flight is recorded (`run.recordWait`) and the wave goes on; the
 * failure that leaves none in flight ends the wave, and the driver applies the retry rules to it.
 * The deadline ends the wave (each attempt's timer is clipped to it), as does the caller's abort
 * (every attempt aborts with its reason). Nothing — timer, listener — outlives the wave.
 */
export class HedgedRace {
  readonly #run: Run
  readonly #fn: (ctx: AttemptContext) => unknown
  readonly #p: ResolvedPolicy
  readonly #signal: AbortSignal | undefined
  readonly #abortIf: (() => boolean) | undefined
  readonly #hedge: ResolvedHedge
  readonly #delayMs: number
  readonly #latency: LatencyWindow | undefined
  readonly #inFlight: Racer[] = []
  #latest: Racer | undefined
  #waveStartMs = 0
  #done = false
  #resolve: ((end: RaceEnd) => void) | undefined
  #cancelHedgeTimer: (() => void) | undefined
  readonly #onCallerAbort = (): void => this.#callerAborted()

  /**
   * @param delayMs the hedge delay, in ms
   * @param latency the latency window a win in this wave is recorded in (the first wave only)
   */
  constructor(
    run: Run,
    fn: (ctx: AttemptContext) => unknown,
    p: ResolvedPolicy,
    signal: AbortSignal | undefined,
    abortIf: (() => boolean) | undefined,
    hedge: ResolvedHedge,
    delayMs: number,
    latency: LatencyWindow | undefined,
  ) {
    this.#run = run
    this.#fn = fn
    this.#p = p
    this.#signal = signal
    this.#abortIf = abortIf
    this.#hedge = hedge
    this.#delayMs = delayMs
    this.#latency = latency
  }

  /** Runs the wave from attempt `n` (already begun by the run at `nowMs`). */
  run(n: number, nowMs: number): Promise<RaceEnd> {
    this.#waveStartMs = nowMs
    const promise = new Promise<RaceEnd>((resolve) => {
      this.#resolve = resolve
    })
    this.#signal?.addEventListener('abort', this.#onCallerAbort, { once: true })
    this.#launch(n, nowMs)
    // fn may have aborted the caller's signal, or settled at once.
    if (!this.#done && this.#signal?.aborted === true) this.#callerAborted()
    if (!this.#done) this.#armHedge()
    return promise
  }

  #launch(n: number, startMs: number): void {
    const p = this.#p
    const deadline = this.#run.state.deadlineAtMs
    const remaining = deadline === null ? Infinity : deadline - startMs
    const timeoutMs = p.attemptTimeoutMs === undefined ? remaining : Math.min(p.attemptTimeoutMs, remaining)
    const racer = new Racer(this, n, startMs, timeoutMs, timeoutMs === remaining)
    this.#inFlight.push(racer)
    this.#latest = racer
    let returned: unknown
    try {
      returned = this.#fn(racer.ctx)
    } catch (error) {
      this.#settled(racer, { kind: 'error', error })
      return
    }
    if (!isThenable(returned)) {
      this.#settled(racer, { kind: 'value', value: returned })
      return
    }
    returned.then(
      (value) => this.#settled(racer, { kind: 'value', value }),
      (error: unknown) => this.#settled(racer, { kind: 'error', error }),
    )
    if (racer.pending && Number.isFinite(timeoutMs)) racer.armed = armAttemptTimer(p, timeoutMs, startMs, racer)
  }

  /** The attempt's timer fired: its own timeout, or the deadline. */
  expire(racer: Racer): void {
    if (!racer.pending) return
    // The deadline queue (or timer) has already forgotten the entry.
    racer.armed = undefined
    const error = attemptTimeoutError(racer.timeoutMs, racer.isDeadline)
    racer.ctx.abort(error)
    this.#settled(racer, { kind: 'timeout', error, deadline: racer.isDeadline })
  }

  #settled(racer: Racer, result: AttemptResult): void {
    if (!racer.pending) return
    racer.pending = false
    if (racer.armed !== undefined) {
      disarm(racer.armed)
      racer.armed = undefined
    }
    const inFlight = this.#inFlight
    inFlight.splice(inFlight.indexOf(racer), 1)
    if (this.#done) return
    const run = this.#run
    const now = this.#p.clock.now()
    let failed: Classification | undefined
    switch (result.kind) {
      case 'value':
        failed = run.classifyValue(result.value)
        if (failed === undefined) {
          this.#win(racer, result, now)
          return
        }
        break
      case 'timeout':
        if (result.deadline) {
          this.#end(racer, result, now, undefined, result.error)
          return
        }
        failed = run.classifyError(result.error)
        break
      case 'error':
        // An abort of the whole run: the driver ends it; nothing else may go on.
        if (isAbortRetryError(result.error) || this.#signal?.aborted === true) {
          this.#end(racer, result, now, undefined, result.error)
          return
        }
        failed = run.classifyError(result.error)
        break
      case 'aborted':
        this.#end(racer, result, now, undefined, result.reason)
        return
    }
    if (inFlight.length === 0) {
      this.#end(racer, result, now, result.kind === 'value' ? { failed } : undefined, undefined)
      return
    }
    // Another attempt may still win: this failure is counted, and the wave goes on.
    run.settleAttempt(racer.n, racer.startMs)
    if (result.kind === 'value') run.recordWait(failed, 'result', undefined, result.value, now)
    else run.recordWait(failed, 'error', result.error, undefined, now)
  }

  #win(racer: Racer, result: AttemptResult, now: number): void {
    // A DOMException costs a stack trace: made only when another attempt is still in flight.
    const cancelled = abortRacers(this.#inFlight, this.#inFlight.length === 0 ? undefined : LOST(racer.n))
    this.#latency?.record(now - this.#waveStartMs)
    this.#finish({
      result,
      attempt: racer.n,
      startMs: racer.startMs,
      endMs: now,
      verdict: { failed: undefined },
      cancelled,
    })
  }

  /** Ends the wave on `racer`'s result; the others still in flight abort with `abortReason`. */
  #end(racer: Racer, result: AttemptResult, now: number, verdict: RaceEnd['verdict'], abortReason: unknown): void {
    abortRacers(this.#inFlight, abortReason)
    this.#finish({ result, attempt: racer.n, startMs: racer.startMs, endMs: now, verdict, cancelled: [] })
  }

  #callerAborted(): void {
    const latest = this.#latest
    if (this.#done || latest === undefined) return
    const reason = this.#signal?.reason
    this.#end(latest, { kind: 'aborted', reason }, this.#p.clock.now(), undefined, reason)
  }

  #finish(end: RaceEnd): void {
    if (this.#done) return
    this.#done = true
    this.#cancelHedgeTimer?.()
    this.#cancelHedgeTimer = undefined
    this.#signal?.removeEventListener('abort', this.#onCallerAbort)
    this.#resolve?.(end)
  }

  #armHedge(): void {
    const run = this.#run
    if (run.hedges >= this.#hedge.maxHedges || run.state.attempts >= run.policy.maxAttempts) return
    this.#cancelHedgeTimer = startTimer(this.#p, this.#delayMs, () => this.#hedgeDue())
  }

  /** The hedge delay passed: the hedge first yields to the I/O already received (see `yieldToIo`). */
  #hedgeDue(): void {
    const cancel = yieldToIo(this.#p, () => this.#hedgeNow())
    if (cancel === undefined) this.#hedgeNow()
    else this.#cancelHedgeTimer = cancel
  }

  /** The hedge delay passed with attempts still in flight: start a hedge if allowed. */
  #hedgeNow(): void {
    this.#cancelHedgeTimer = undefined
    if (this.#done) return
    const run = this.#run
    const now = this.#p.clock.now()
    const abortIf = this.#abortIf
    if (abortIf !== undefined && isolate(false, abortIf) === true) {
      const latest = this.#latest as Racer
      const reason = new AbortRetryError('abortIf() returned true')
      this.#end(latest, { kind: 'aborted', reason }, now, undefined, reason)
      return
    }
    // Without afterMs, the latency window caps hedges at its share of calls; asked before the
    // budget, whose token mayHedge takes when everything else allows.
    if (this.#latency?.hasHedge === false) return
    const refused = mayHedge(
      {
        hedges: run.hedges,
        maxHedges: this.#hedge.maxHedges,
        attempts: run.state.attempts,
        maxAttempts: run.policy.maxAttempts,
        nowMs: now,
        deadlineAtMs: run.state.deadlineAtMs,
        breakerState: run.breakerState,
      },
      run.budget,
    )
    if (refused !== undefined) return
    this.#latency?.takeHedge()
    const n = run.startHedge(now, this.#delayMs, this.#inFlight.length)
    this.#launch(n, now)
    if (!this.#done) this.#armHedge()
  }
}
