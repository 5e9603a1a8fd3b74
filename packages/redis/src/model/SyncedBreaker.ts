import {
  type BreakerAdmission,
  CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitState,
  type Clock,
  type ErrorClass,
} from '@redress/core'
import type { BreakerSyncReply } from './BreakerSync.ts'
import type { PendingFailures } from './PendingFailures.ts'
import type { ProbeClaim } from './ProbeClaim.ts'
import { NO_SYNC_HOOKS, type SyncHooks } from './SyncHooks.ts'
import { TransitionReport } from './TransitionReport.ts'

const ADMITTED: BreakerAdmission = Object.freeze({ allowed: true, probe: false })
const REJECTED: BreakerAdmission = Object.freeze({ allowed: false, probe: false })

/**
 * A `FleetCircuitBreaker`'s decisions while its syncs succeed: this process's view of the fleet
 * breaker — the store's state at the last sync, as this process's own transitions have changed
 * it since (the answer to a sync that began before one of them never undoes it) — and the
 * admissions and transitions it answers from that view, each reported to the engine once
 * (`TransitionReport`). It also hands the view to a local `CircuitBreaker` when a sync fails
 * (`toLocal`), and takes it back from one when syncs succeed again (`rejoined`).
 */
export class SyncedBreaker {
  readonly #recoveryTimeoutMs: number
  readonly #clock: Clock
  readonly #probe: ProbeClaim
  readonly #failures: PendingFailures
  readonly #report = new TransitionReport()
  #hooks: SyncHooks = NO_SYNC_HOOKS
  #state: CircuitState = 'closed'
  #generation = 0
  #openUntil = 0
  #proberPresent = false
  #fleetFailures = 0
  /** Transitions this process made itself and reported through `record()`. */
  #ownTransitions = 0
  /** `#ownTransitions` when the sync in flight began. */
  #ownTransitionsAtSync = 0
  /** What the engine has not heard of the state the local breaker resumed (learnt from a sync, not yet reported). */
  #owed: 'open' | 'closed' | undefined

  /**
   * @param recoveryTimeoutMs how long the breaker stays open before a probe, in ms
   * @param probe the breaker's side of the fleet's half-open probe
   * @param failures the failures the fleet count of the last sync does not include yet
   */
  constructor(recoveryTimeoutMs: number, clock: Clock, probe: ProbeClaim, failures: PendingFailures) {
    this.#recoveryTimeoutMs = recoveryTimeoutMs
    this.#clock = clock
    this.#probe = probe
    this.#failures = failures
  }

  /** Installs the driver's hooks. */
  setSyncHooks(hooks: SyncHooks): void {
    this.#hooks = hooks
  }

  /** The fleet's state at the last sync, or the one this process entered since. */
  get state(): CircuitState {
    return this.#state
  }

  /** The fleet breaker's generation at the last sync (0 before the first). */
  get generation(): number {
    return this.#generation
  }

  /** Fleet-wide failures in the window at the last sync, while closed (0 once open here or in the fleet). */
  get fleetFailures(): number {
    return this.#state === 'closed' ? this.#fleetFailures : 0
  }

  /**
   * Closed: yes. Open: no, until `recoveryTimeoutMs` has passed; then this process asks for the
   * probe at its next sync (at once). Half-open: yes for the one process the store elected —
   * once — and no for everyone else.
   */
  admit(): BreakerAdmission {
    const state = this.#state
    const report = this.#report
    if (state === 'closed') {
      if (report.state === 'closed') return ADMITTED
      report.told('closed', this.#generation)
      return { allowed: true, probe: false, transition: 'closed' }
    }
    if (state === 'half_open') {
      const probe = this.#probe.take()
      if (probe !== undefined) {
        report.told('half_open', this.#generation)
        return probe
      }
      // Ask at every sync while rejected: the store only grants it when no live lease is held.
      if (!this.#probe.isOut && this.#probe.want(this.#proberPresent)) this.#hooks.urgent()
      const transition = report.open(state, this.#generation)
      return transition === undefined ? REJECTED : { allowed: false, probe: false, transition }
    }
    const transition = report.open(state, this.#generation)
    const retryInMs = this.#openUntil - this.#clock.now()
    if (retryInMs > 0) return { allowed: false, probe: false, retryInMs, transition }
    if (this.#probe.want()) this.#hooks.urgent()
    return transition === undefined ? REJECTED : { allowed: false, probe: false, transition }
  }

  /**
   * A failure of a trip class, of an operation admitted as a regular one: queued for the next
   * sync, it opens the breaker here at once (`'open'`) when, added to the fleet's count at the
   * last sync and to this process's failures that count did not include (in the sync in flight,
   * or queued), it reaches the threshold. Ignored unless closed.
   */
  recordFailure(errorClass: ErrorClass): 'open' | undefined {
    if (this.#state !== 'closed') return undefined
    const now = this.#clock.now()
    this.#failures.add(now, errorClass)
    if (!this.#failures.reachThreshold(this.#fleetFailures, now)) return undefined
    this.#state = 'open'
    this.#openUntil = now + this.#recoveryTimeoutMs
    this.#report.made('open', this.#generation)
    this.#ownTransitions++
    return 'open'
  }

  /** This process's probe ended: a failure of a trip class (`trips`) re-opens the breaker here, anything else closes it. */
  probeEnded(trips: boolean): CircuitState {
    if (trips) {
      this.#state = 'open'
      this.#openUntil = this.#clock.now() + this.#recoveryTimeoutMs
    } else {
      this.#state = 'closed'
      this.#failures.clear()
    }
    this.#report.made(this.#state, this.#generation)
    this.#ownTransitions++
    return this.#state
  }

  /** The local breaker that decides while syncs fail made a transition (reported through `record()`). */
  madeLocally(): void {
    this.#ownTransitions++
    this.#owed = undefined
  }

  /**
   * `admission`, the local breaker's, carrying the transition the engine was owed when the local
   * breaker took over (the fleet's state learnt at a sync but not yet reported), on its first
   * admission — unless the local breaker reports a transition of its own first. A probe is passed
   * on as it is: the local breaker knows it by identity, and its outcome reports a transition.
   */
  local(admission: BreakerAdmission): BreakerAdmission {
    const owed = this.#owed
    if (owed === undefined) return admission
    if (admission.transition !== undefined) this.#owed = undefined
    if (admission.transition !== undefined || admission.probe) return admission
    this.#owed = undefined
    return { ...admission, transition: owed }
  }

  /** A sync begins: its answer will not have seen the transitions this process makes from now on. */
  began(): void {
    this.#ownTransitionsAtSync = this.#ownTransitions
  }

  /**
   * Takes the fleet breaker's state from the answer to the last sync begun — unless this process
   * made a transition of its own since that sync began: the state then stays as this process
   * left it until the answer to a sync that carried it.
   */
  synced(reply: BreakerSyncReply, nowMs: number): void {
    this.#proberPresent = reply.proberPresent
    this.#fleetFailures = reply.failures
    if (this.#behind()) return
    this.#generation = reply.generation
    this.#state = reply.state
    if (reply.state === 'open') this.#openUntil = nowMs + this.#recoveryTimeoutMs - reply.openedAgoMs
    this.#report.synced(reply.state, reply.generation)
  }

  /**
   * Back from `local`, which decided while syncs failed: the engine last heard its state. When
   * the local breaker made a transition since the sync being answered began, its state is kept
   * until the answer to a sync that carried it.
   */
  rejoined(local: CircuitBreaker, nowMs: number): void {
    const behind = this.#behind()
    // While a transition is owed, the engine still knows the state it was told before.
    this.#report.rejoined(this.#owed === undefined ? local.state : undefined, behind ? this.#generation : undefined)
    this.#owed = undefined
    if (!behind) return
    if (local.state === 'closed') {
      this.#state = 'closed'
      return
    }
    // Half-open locally (a local probe out) waits for the fleet's probe like open does.
    const openedAgoMs = local.snapshot().openedAgoMs ?? this.#recoveryTimeoutMs
    this.#state = 'open'
    this.#openUntil = nowMs + this.#recoveryTimeoutMs - openedAgoMs
  }

  /**
   * A local `CircuitBreaker` built with `options`, resumed from this view at `nowMs`: its state,
   * the time it has been open, and while closed the failures the fleet has not counted.
   */
  toLocal(options: CircuitBreakerOptions, nowMs: number): CircuitBreaker {
    const state: CircuitState = this.#state
    const failures = state === 'closed' ? this.#failures.recent(nowMs) : []
    const openedAgoMs = state === 'open' ? Math.max(0, this.#recoveryTimeoutMs - (this.#openUntil - nowMs)) : undefined
    const local = CircuitBreaker.restore(
      { version: 1, state, failures, ...(openedAgoMs === undefined ? {} : { openedAgoMs }), savedAt: Date.now() },
      options,
    )
    this.#owed = this.#report.owed(local.state)
    return local
  }

  #behind(): boolean {
    return this.#ownTransitionsAtSync !== this.#ownTransitions
  }
}
