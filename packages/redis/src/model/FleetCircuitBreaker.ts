import {
  type BreakerAdmission,
  type BreakerOutcome,
  CircuitBreaker,
  type CircuitBreakerLike,
  type CircuitBreakerOptions,
  type CircuitState,
  type Clock,
  type ErrorClass,
  systemClock,
} from '@redress/core'
import type { BreakerClassThreshold, BreakerSyncReply, BreakerSyncRequest } from './BreakerSync.ts'
import { type FleetCircuitBreakerOptions, resolveFleetBreakerOptions } from './FleetCircuitBreakerOptions.ts'
import { PendingFailures } from './PendingFailures.ts'
import { ProbeClaim } from './ProbeClaim.ts'
import { NO_SYNC_HOOKS, type SyncHooks } from './SyncHooks.ts'

/** What {@link FleetCircuitBreaker} shows a health endpoint. */
export interface FleetCircuitBreakerView {
  /** The state this process acts on. */
  readonly state: CircuitState
  /** The fleet breaker's generation at the last sync. */
  readonly generation: number
  /** Fleet-wide failures in the window at the last sync (closed only). */
  readonly failures: number
  /** `true` once the last sync succeeded; `false` while this process decides on local state alone. */
  readonly fleet: boolean
}

const ADMITTED: BreakerAdmission = Object.freeze({ allowed: true, probe: false })
const REJECTED: BreakerAdmission = Object.freeze({ allowed: false, probe: false })
let nextOwner = 0

/**
 * The local half of a fleet-wide circuit breaker. `admit()` answers at once from this
 * process's view of the fleet breaker; failures of trip classes are batched and sent at the
 * next sync, where the store counts them in one window for the whole fleet and opens the
 * breaker for everyone when a threshold is reached. After `recoveryTimeoutMs` the store elects
 * exactly one process — the first to ask at a sync — to send the half-open probe, under a
 * lease it renews while the probe is in flight; the probe's outcome closes or re-opens the
 * breaker for the fleet. When syncs fail, a local `CircuitBreaker` resumed from the last view
 * takes over until they succeed again.
 *
 * Transitions this process learns from a sync are reported on its next `admit()` (as
 * `transition`, so the engine emits `circuit_opened`/`circuit_closed`); the process that sends
 * the probe reports `circuit_half_open`, and the probe's outcome through `record()`. The
 * process whose failures, with the fleet's, reach the threshold reports `circuit_opened`
 * through `record()` at that failure, as a local breaker does, however its syncs fall around
 * its failures: the count it checks includes the failures the sync in flight carries, and the
 * answer to a sync that began before a transition made here never undoes it.
 *
 * One sync at a time: each `endSync` or `failSync` answers the last `beginSync`.
 *
 * No I/O and no timers: `RedisCircuitBreaker` drives it with Redis, `pnpm sim` with a
 * simulated store.
 */
export class FleetCircuitBreaker implements CircuitBreakerLike {
  /** Failures of trip classes within `windowMs` that open the breaker (fleet-wide). */
  readonly failureThreshold: number
  /** The failure-counting window, in ms. */
  readonly windowMs: number
  /** How long the breaker stays open before a probe, in ms. */
  readonly recoveryTimeoutMs: number
  /** The classes that trip the breaker. */
  readonly tripOn: ReadonlySet<ErrorClass>
  /** Per-class thresholds. */
  readonly classThresholds: Readonly<Partial<Record<ErrorClass, number>>>
  /** The probe lease, in ms. */
  readonly probeLeaseMs: number
  /** Idle time after which syncing stops, in ms. */
  readonly idleAfterMs: number
  /** This breaker's unique id in the fleet. */
  readonly owner: string
  readonly #options: CircuitBreakerOptions
  readonly #clock: Clock
  readonly #classList: readonly BreakerClassThreshold[]
  #hooks: SyncHooks = NO_SYNC_HOOKS
  #local: CircuitBreaker | undefined
  #state: CircuitState = 'closed'
  #generation = 0
  #openUntil = 0
  #proberPresent = false
  #fleetFailures = 0
  #reportedState: CircuitState = 'closed'
  #reportedGeneration = 0
  #adoptGeneration = false
  /** Transitions this process made itself and reported through `record()`. */
  #ownTransitions = 0
  /** `#ownTransitions` when the sync in flight began. */
  #ownTransitionsAtSync = 0
  readonly #probe = new ProbeClaim()
  readonly #failures: PendingFailures
  #used = false
  #asleep = false
  #lastUseMs: number

  /**
   * @param owner the name bad options are reported under
   * @param id this process's unique id (default: process id, time and a counter)
   * @throws TypeError/RangeError naming the option.
   */
  constructor(options: FleetCircuitBreakerOptions = {}, owner = 'FleetCircuitBreaker', id?: string) {
    const { local, core, probeLeaseMs, idleAfterMs } = resolveFleetBreakerOptions(options, owner)
    this.probeLeaseMs = probeLeaseMs
    this.idleAfterMs = idleAfterMs
    this.failureThreshold = local.failureThreshold
    this.windowMs = local.windowMs
    this.recoveryTimeoutMs = local.recoveryTimeoutMs
    this.tripOn = local.tripOn
    this.classThresholds = local.classThresholds
    this.#options = core
    this.#clock = core.clock ?? systemClock
    this.#classList = Object.freeze(
      Object.entries(local.classThresholds).map(([errorClass, threshold]) =>
        Object.freeze({ errorClass: errorClass as ErrorClass, threshold: threshold as number }),
      ),
    )
    this.#failures = new PendingFailures(this.failureThreshold, this.windowMs, this.#classList)
    this.owner = id ?? `${process.pid.toString(36)}.${Date.now().toString(36)}.${(nextOwner++).toString(36)}`
    // Until the first sync succeeds, the process decides alone.
    this.#local = local
    this.#lastUseMs = this.#clock.now()
  }

  /** Installs the driver's hooks. */
  setSyncHooks(hooks: SyncHooks): void {
    this.#hooks = hooks
  }

  /** The state this process acts on: the fleet's at the last sync, or the local breaker's. */
  get state(): CircuitState {
    return this.#local?.state ?? this.#state
  }

  /** `true` once the last sync succeeded; `false` before the first and after a failed one. */
  get fleet(): boolean {
    return this.#local === undefined
  }

  /** The fleet breaker's generation at the last sync (0 before the first). */
  get generation(): number {
    return this.#generation
  }

  /**
   * Closed: yes. Open: no, until `recoveryTimeoutMs` has passed; then this process asks for the
   * probe at its next sync (at once). Half-open: yes for the one process the store elected —
   * once — and no for everyone else.
   */
  admit(): BreakerAdmission {
    this.#touch()
    const local = this.#local
    if (local !== undefined) return local.admit()
    const state = this.#state
    if (state === 'closed') {
      if (this.#reportedState === 'closed') return ADMITTED
      this.#reportedState = 'closed'
      this.#reportedGeneration = this.#generation
      return { allowed: true, probe: false, transition: 'closed' }
    }
    if (state === 'half_open') {
      const probe = this.#probe.take()
      if (probe !== undefined) {
        this.#reportedState = 'half_open'
        this.#reportedGeneration = this.#generation
        return probe
      }
      // Ask at every sync while rejected: the store only grants it when no live lease is held.
      if (!this.#probe.isOut && this.#probe.want(this.#proberPresent)) this.#hooks.urgent()
      const transition = this.#reportOpen()
      return transition === undefined ? REJECTED : { allowed: false, probe: false, transition }
    }
    const transition = this.#reportOpen()
    const retryInMs = this.#openUntil - this.#clock.now()
    if (retryInMs > 0) return { allowed: false, probe: false, retryInMs, transition }
    if (this.#probe.want()) this.#hooks.urgent()
    return transition === undefined ? REJECTED : { allowed: false, probe: false, transition }
  }

  /**
   * Records how an admitted operation ended. A failure of a trip class is queued for the next
   * sync, and opens the breaker here at once when, added to the fleet's count at the last sync
   * and to this process's failures that count did not include (in the sync in flight, or
   * queued), it reaches the threshold — so a process alone opens it at the same failure a local
   * breaker would, however its syncs fall between its failures. The probe's outcome closes or
   * re-opens the breaker here at once and for the fleet at the next sync, which is made
   * immediately.
   */
  record(outcome: BreakerOutcome, admission: BreakerAdmission): CircuitState | undefined {
    if (this.#probe.isProbe(admission)) return this.#recordProbe(outcome)
    const local = this.#local
    if (local !== undefined) {
      const counts = local.state === 'closed' && this.#counts(outcome, admission)
      const changed = local.record(outcome, admission)
      if (counts && outcome.kind === 'failure') this.#failures.add(this.#clock.now(), outcome.errorClass)
      if (changed !== undefined) this.#ownTransitions++
      return changed
    }
    if (this.#state !== 'closed' || !this.#counts(outcome, admission) || outcome.kind !== 'failure') return undefined
    const now = this.#clock.now()
    this.#failures.add(now, outcome.errorClass)
    if (!this.#failures.reachThreshold(this.#fleetFailures, now)) return undefined
    this.#state = 'open'
    this.#openUntil = now + this.recoveryTimeoutMs
    this.#reportedState = 'open'
    this.#reportedGeneration = this.#generation
    this.#adoptGeneration = true
    this.#ownTransitions++
    this.#hooks.urgent()
    return 'open'
  }

  /**
   * What to send now, or `undefined` when the object has been idle for `idleAfterMs` with
   * nothing to report: it then sleeps until its next use (`wake`).
   */
  beginSync(nowMs: number): BreakerSyncRequest | undefined {
    if (this.#used) {
      this.#used = false
      this.#lastUseMs = nowMs
    } else if (!this.#busy() && nowMs - this.#lastUseMs >= this.idleAfterMs) {
      this.#asleep = true
      return undefined
    }
    this.#ownTransitionsAtSync = this.#ownTransitions
    const failureSeq = this.#failures.seq
    const failures = this.#failures.take(nowMs)
    const { probe, probeGeneration } = this.#probe.message()
    return {
      owner: this.owner,
      failureThreshold: this.failureThreshold,
      windowMs: this.windowMs,
      recoveryTimeoutMs: this.recoveryTimeoutMs,
      probeLeaseMs: this.probeLeaseMs,
      classThresholds: this.#classList,
      failures,
      failureSeq,
      probe,
      probeGeneration,
    }
  }

  /**
   * Takes the fleet breaker's state after the sync — unless this process made a transition of
   * its own (reported through `record()`) since the sync began: the reply never saw the failure
   * or the probe outcome behind it, so the state stays as this process left it until the answer
   * to a sync that carried them.
   */
  endSync(reply: BreakerSyncReply, nowMs: number): void {
    this.#failures.settle()
    const behind = this.#ownTransitionsAtSync !== this.#ownTransitions
    const local = this.#local
    if (local !== undefined) {
      // Back from local state: what the engine last reported is the local breaker's state.
      this.#local = undefined
      this.#reportedState = local.state
      this.#adoptGeneration = true
      if (behind) this.#keepLocalState(local, nowMs)
    }
    this.#probe.synced(reply, reply.generation !== this.#generation)
    this.#proberPresent = reply.proberPresent
    this.#fleetFailures = reply.failures
    if (behind) return
    this.#generation = reply.generation
    this.#state = reply.state
    if (reply.state === 'open') this.#openUntil = nowMs + this.recoveryTimeoutMs - reply.openedAgoMs
    if (this.#adoptGeneration) {
      this.#adoptGeneration = false
      if (reportable(reply.state) === reportable(this.#reportedState)) this.#reportedGeneration = reply.generation
    }
  }

  /**
   * A sync failed: from now on a local `CircuitBreaker`, resumed from the last view of the fleet
   * breaker, decides. `unsent` is the request that never left (the store was not reachable):
   * its failures and its wish for the probe are kept for the next sync.
   */
  failSync(_error: unknown, nowMs: number, unsent?: BreakerSyncRequest): void {
    this.#probe.failed(unsent)
    if (unsent !== undefined) this.#failures.putBack(unsent.failures, nowMs)
    // The local breaker counts the failures of a sync left unanswered too (the store may never
    // have had them); they are not sent again.
    if (this.#local === undefined) this.#local = this.#resumeLocally(nowMs)
    this.#failures.settle()
  }

  /** A plain snapshot for health endpoints. */
  toJSON(): FleetCircuitBreakerView {
    return {
      state: this.state,
      generation: this.#generation,
      failures: this.#local === undefined ? this.#fleetFailures : 0,
      fleet: this.#local === undefined,
    }
  }

  #recordProbe(outcome: BreakerOutcome): CircuitState | undefined {
    if (outcome.kind === 'neutral') {
      this.#probe.ended('release')
      this.#hooks.urgent()
      return undefined
    }
    const trips = outcome.kind === 'failure' && this.tripOn.has(outcome.errorClass)
    this.#probe.ended(trips ? 'failure' : 'success')
    this.#hooks.urgent()
    if (this.#local !== undefined) return undefined
    if (trips) {
      this.#state = 'open'
      this.#openUntil = this.#clock.now() + this.recoveryTimeoutMs
    } else {
      this.#state = 'closed'
      this.#failures.clear()
    }
    this.#reportedState = this.#state
    this.#reportedGeneration = this.#generation
    this.#adoptGeneration = true
    this.#ownTransitions++
    return this.#state
  }

  /** `'open'` when the engine has not yet been told that the breaker is not closed (or re-opened). */
  #reportOpen(): 'open' | undefined {
    const reported = this.#reportedState
    if (reported !== 'closed') {
      // Already reported open (or half-open) in this generation, or the fleet is half-open
      // with another process's probe: nothing new to report.
      if (this.#state === 'half_open' || this.#reportedGeneration === this.#generation) return undefined
    }
    this.#reportedState = 'open'
    this.#reportedGeneration = this.#generation
    return 'open'
  }

  #counts(outcome: BreakerOutcome, admission: BreakerAdmission): boolean {
    return admission.allowed && !admission.probe && outcome.kind === 'failure' && this.tripOn.has(outcome.errorClass)
  }

  #busy(): boolean {
    return this.#failures.size > 0 || this.#probe.busy
  }

  /** Leaving local state with a sync answer older than the local breaker's last transition: keep its state. */
  #keepLocalState(local: CircuitBreaker, nowMs: number): void {
    this.#reportedGeneration = this.#generation
    if (local.state === 'closed') {
      this.#state = 'closed'
      return
    }
    // Half-open locally (a local probe out) waits for the fleet's probe like open does.
    const openedAgoMs = local.snapshot().openedAgoMs ?? this.recoveryTimeoutMs
    this.#state = 'open'
    this.#openUntil = nowMs + this.recoveryTimeoutMs - openedAgoMs
  }

  #resumeLocally(nowMs: number): CircuitBreaker {
    const state: CircuitState = this.#state
    const failures = state === 'closed' ? this.#failures.recent(nowMs) : []
    const openedAgoMs = state === 'open' ? Math.max(0, this.recoveryTimeoutMs - (this.#openUntil - nowMs)) : undefined
    return CircuitBreaker.restore(
      { version: 1, state, failures, ...(openedAgoMs === undefined ? {} : { openedAgoMs }), savedAt: Date.now() },
      this.#options,
    )
  }

  #touch(): void {
    this.#used = true
    if (this.#asleep) {
      this.#asleep = false
      this.#hooks.wake()
    }
  }
}

/** The engine never hears of another process's half-open state: it counts as open. */
function reportable(state: CircuitState): CircuitState {
  return state === 'half_open' ? 'open' : state
}
