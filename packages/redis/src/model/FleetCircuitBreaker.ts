import {
  type BreakerAdmission,
  type BreakerOutcome,
  type CircuitBreaker,
  type CircuitBreakerLike,
  type CircuitBreakerOptions,
  type CircuitState,
  type Clock,
  type ErrorClass,
  systemClock,
} from '@redress/core'
import type { BreakerClassThreshold, BreakerSyncReply, BreakerSyncRequest } from './BreakerSync.ts'
import { type FleetCircuitBreakerOptions, resolveFleetBreakerOptions } from './FleetCircuitBreakerOptions.ts'
import type { FleetCircuitBreakerView } from './FleetCircuitBreakerView.ts'
import { fleetOwnerId } from './fleetOwnerId.ts'
import { IdleWatch } from './IdleWatch.ts'
import { PendingFailures } from './PendingFailures.ts'
import { ProbeClaim } from './ProbeClaim.ts'
import { SyncedBreaker } from './SyncedBreaker.ts'
import { NO_SYNC_HOOKS, type SyncHooks } from './SyncHooks.ts'

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
 * `transition`, so the engine emits `circuit_opened`/`circuit_closed`), the local breaker's if a
 * sync has failed since; the process that sends the probe reports `circuit_half_open`, and the
 * probe's outcome through `record()`. The process whose failures, with the fleet's, reach the
 * threshold reports `circuit_opened` through `record()` at that failure, as a local breaker
 * does, however its syncs fall around its failures: the count it checks includes the failures
 * the sync in flight carries, and the answer to a sync that began before a transition made here
 * never undoes it.
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
  /** Decides while syncs succeed. */
  readonly #synced: SyncedBreaker
  readonly #probe = new ProbeClaim()
  readonly #failures: PendingFailures
  readonly #idle: IdleWatch

  /**
   * @param owner the name bad options are reported under
   * @param id this process's unique id (default: process id, time and a counter)
   * @throws TypeError/RangeError naming the option.
   */
  constructor(options: FleetCircuitBreakerOptions = {}, owner = 'FleetCircuitBreaker', id?: string) {
    const { local, core, classList, probeLeaseMs, idleAfterMs } = resolveFleetBreakerOptions(options, owner)
    this.probeLeaseMs = probeLeaseMs
    this.idleAfterMs = idleAfterMs
    this.failureThreshold = local.failureThreshold
    this.windowMs = local.windowMs
    this.recoveryTimeoutMs = local.recoveryTimeoutMs
    this.tripOn = local.tripOn
    this.classThresholds = local.classThresholds
    this.#options = core
    this.#clock = core.clock ?? systemClock
    this.#classList = classList
    this.#failures = new PendingFailures(this.failureThreshold, this.windowMs, this.#classList)
    this.#synced = new SyncedBreaker(this.recoveryTimeoutMs, this.#clock, this.#probe, this.#failures)
    this.owner = id ?? fleetOwnerId()
    // Until the first sync succeeds, the process decides alone.
    this.#local = local
    this.#idle = new IdleWatch(idleAfterMs, this.#clock.now())
  }

  /** Installs the driver's hooks. */
  setSyncHooks(hooks: SyncHooks): void {
    this.#hooks = hooks
    this.#synced.setSyncHooks(hooks)
  }

  /** The state this process acts on: the fleet's at the last sync, or the local breaker's. */
  get state(): CircuitState {
    return this.#local?.state ?? this.#synced.state
  }

  /** `true` once the last sync succeeded; `false` before the first and after a failed one. */
  get fleet(): boolean {
    return this.#local === undefined
  }

  /** The fleet breaker's generation at the last sync (0 before the first). */
  get generation(): number {
    return this.#synced.generation
  }

  /**
   * Closed: yes. Open: no, until `recoveryTimeoutMs` has passed; then this process asks for the
   * probe at its next sync (at once). Half-open: yes for the one process the store elected —
   * once — and no for everyone else.
   */
  admit(): BreakerAdmission {
    this.#idle.use(this.#hooks)
    const local = this.#local
    return local === undefined ? this.#synced.admit() : this.#synced.local(local.admit())
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
      if (changed !== undefined) this.#synced.madeLocally()
      return changed
    }
    if (!this.#counts(outcome, admission) || outcome.kind !== 'failure') return undefined
    const changed = this.#synced.recordFailure(outcome.errorClass)
    if (changed !== undefined) this.#hooks.urgent()
    return changed
  }

  /**
   * What to send now, or `undefined` when the object has been idle for `idleAfterMs` with
   * nothing to report: it then sleeps until its next use (`wake`).
   */
  beginSync(nowMs: number): BreakerSyncRequest | undefined {
    if (this.#idle.sleeps(nowMs, this.#failures.size > 0 || this.#probe.busy)) return undefined
    this.#synced.began()
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
    const local = this.#local
    if (local !== undefined) {
      // Back from local state: what the engine last reported is the local breaker's state.
      this.#local = undefined
      this.#synced.rejoined(local, nowMs)
    }
    this.#probe.synced(reply, reply.generation !== this.#synced.generation)
    this.#synced.synced(reply, nowMs)
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
    if (this.#local === undefined) this.#local = this.#synced.toLocal(this.#options, nowMs)
    this.#failures.settle()
  }

  /** A plain snapshot for health endpoints. */
  toJSON(): FleetCircuitBreakerView {
    return {
      state: this.state,
      generation: this.#synced.generation,
      failures: this.#local === undefined ? this.#synced.fleetFailures : 0,
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
    return this.#synced.probeEnded(trips)
  }

  #counts(outcome: BreakerOutcome, admission: BreakerAdmission): boolean {
    return admission.allowed && !admission.probe && outcome.kind === 'failure' && this.tripOn.has(outcome.errorClass)
  }
}
