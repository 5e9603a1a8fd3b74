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
import { describeValue } from '@redress/core/adapter'
import { positiveMs } from './positiveMs.ts'
import { NO_SYNC_HOOKS, type SyncHooks } from './SyncHooks.ts'

/** Options of {@link FleetCircuitBreaker}: `CircuitBreaker`'s, plus the probe lease and idling. */
export interface FleetCircuitBreakerOptions extends CircuitBreakerOptions {
  /**
   * How long the process elected to send the half-open probe holds that right without
   * renewing it, in milliseconds. The prober renews it at every sync while its probe is in
   * flight; a prober that crashes loses it after this long, and another process gets the probe.
   * Finite and > 0.
   * @default 5_000
   */
  readonly probeLeaseMs?: number | undefined
  /**
   * After this many milliseconds without a call (and nothing left to report), the object stops
   * syncing until it is used again. Finite and > 0.
   * @default 60_000
   */
  readonly idleAfterMs?: number | undefined
}

/** The defaults {@link FleetCircuitBreakerOptions} adds to `CIRCUIT_BREAKER_DEFAULTS`. */
export const FLEET_CIRCUIT_BREAKER_DEFAULTS: {
  /** How long the prober holds the probe without renewing it, in ms. */
  readonly probeLeaseMs: 5_000
  /** Idle time after which syncing stops, in ms. */
  readonly idleAfterMs: 60_000
} = Object.freeze({ probeLeaseMs: 5_000, idleAfterMs: 60_000 } as const)

/**
 * What a process says about the half-open probe in a sync: nothing; that it wants the probe;
 * that its probe is still in flight (renewing the lease); how its probe ended (`success`
 * closes the breaker, `failure` re-opens it); or that it gives an unused probe back.
 */
export type ProbeMessage = 'none' | 'want' | 'hold' | 'success' | 'failure' | 'release'

/** One failure a process reports in a sync. */
export interface BreakerSyncFailure {
  /** The failure's class (a trip class). */
  readonly errorClass: ErrorClass
  /** How long before the sync it happened, in ms (by the process's clock). */
  readonly ageMs: number
}

/** A per-class threshold, as sent to the store. */
export interface BreakerClassThreshold {
  /** The class. */
  readonly errorClass: ErrorClass
  /** Failures of that class within the window that open the breaker. */
  readonly threshold: number
}

/** One sync of a fleet breaker: what a process sends. */
export interface BreakerSyncRequest {
  /** This process's breaker's unique id (elects the prober). */
  readonly owner: string
  /** Failures within `windowMs` that open the breaker. */
  readonly failureThreshold: number
  /** The failure-counting window, in ms. */
  readonly windowMs: number
  /** How long the breaker stays open before a probe, in ms. */
  readonly recoveryTimeoutMs: number
  /** The probe lease, in ms. */
  readonly probeLeaseMs: number
  /** Per-class thresholds. */
  readonly classThresholds: readonly BreakerClassThreshold[]
  /** Failures of trip classes since the last sync. */
  readonly failures: readonly BreakerSyncFailure[]
  /** A sequence number for the first of `failures` (with `owner`, it makes each one unique). */
  readonly failureSeq: number
  /** What this process says about the probe. */
  readonly probe: ProbeMessage
  /** The generation the probe message refers to (for `hold`, `success`, `failure`, `release`). */
  readonly probeGeneration: number
}

/** What the store answers to a {@link BreakerSyncRequest}. */
export interface BreakerSyncReply {
  /** The fleet's breaker state after the sync. */
  readonly state: CircuitState
  /** Counts the fleet breaker's transitions; a probe message names the generation it belongs to. */
  readonly generation: number
  /** When open: how long ago it opened, in ms, by the store's clock; else 0. */
  readonly openedAgoMs: number
  /** True when this process holds the half-open probe. */
  readonly probeMine: boolean
  /** True when some process holds a live probe lease. */
  readonly proberPresent: boolean
  /** Failures counted in the window (closed only). */
  readonly failures: number
}

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

interface PendingFailure {
  readonly atMs: number
  readonly errorClass: ErrorClass
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
 * the probe reports `circuit_half_open`, and the probe's outcome through `record()`.
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
  readonly #cap: number
  readonly #minThreshold: number
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
  #granted: number | undefined
  #probeOut: BreakerAdmission | undefined
  #probeOutGeneration = 0
  #probeReport: 'success' | 'failure' | 'release' | undefined
  #probeReportGeneration = 0
  #probeReportSent = false
  #want = false
  #wantKicked = false
  #failures: PendingFailure[] = []
  #seq = 0
  #used = false
  #asleep = false
  #lastUseMs: number

  /**
   * @param owner the name bad options are reported under
   * @param id this process's unique id (default: process id, time and a counter)
   * @throws TypeError/RangeError naming the option.
   */
  constructor(options: FleetCircuitBreakerOptions = {}, owner = 'FleetCircuitBreaker', id?: string) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`${owner}: options must be an object, got ${describeValue(options)}`)
    }
    const { probeLeaseMs, idleAfterMs, failureThreshold, windowMs, recoveryTimeoutMs, tripOn, classThresholds, clock } =
      options
    // Only CircuitBreaker's own options: it rejects any other name (client, key, sync options …).
    const core: CircuitBreakerOptions = {
      failureThreshold,
      windowMs,
      recoveryTimeoutMs,
      tripOn,
      classThresholds,
      clock,
    }
    for (const name of Object.keys(core) as (keyof CircuitBreakerOptions)[]) {
      if (core[name] === undefined) delete core[name]
    }
    let local: CircuitBreaker
    try {
      local = new CircuitBreaker(core)
    } catch (error) {
      throw renamed(error, owner)
    }
    const d = FLEET_CIRCUIT_BREAKER_DEFAULTS
    this.probeLeaseMs = positiveMs(owner, 'probeLeaseMs', probeLeaseMs ?? d.probeLeaseMs)
    this.idleAfterMs = positiveMs(owner, 'idleAfterMs', idleAfterMs ?? d.idleAfterMs)
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
    const thresholds = [this.failureThreshold, ...this.#classList.map((c) => c.threshold)]
    this.#cap = Math.max(...thresholds)
    this.#minThreshold = Math.min(...thresholds)
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
      const granted = this.#granted
      if (granted !== undefined && this.#probeOut === undefined) {
        this.#granted = undefined
        const probe: BreakerAdmission = { allowed: true, probe: true, transition: 'half_open' }
        this.#probeOut = probe
        this.#probeOutGeneration = granted
        this.#reportedState = 'half_open'
        this.#reportedGeneration = this.#generation
        return probe
      }
      // Ask at every sync while rejected: the store only grants it when no live lease is held.
      if (this.#probeOut === undefined) this.#wantProbe(this.#proberPresent)
      const transition = this.#reportOpen()
      return transition === undefined ? REJECTED : { allowed: false, probe: false, transition }
    }
    const transition = this.#reportOpen()
    const retryInMs = this.#openUntil - this.#clock.now()
    if (retryInMs > 0) return { allowed: false, probe: false, retryInMs, transition }
    this.#wantProbe()
    return transition === undefined ? REJECTED : { allowed: false, probe: false, transition }
  }

  /**
   * Records how an admitted operation ended. A failure of a trip class is queued for the next
   * sync, and opens the breaker here at once when, added to the fleet's count at the last sync,
   * it reaches the threshold (so a process alone opens it at the same failure a local breaker
   * would); the
   * probe's outcome closes or re-opens the breaker here at once and for the fleet at the next
   * sync, which is made immediately.
   */
  record(outcome: BreakerOutcome, admission: BreakerAdmission): CircuitState | undefined {
    if (admission === this.#probeOut) return this.#recordProbe(outcome)
    const local = this.#local
    if (local !== undefined) {
      const counts = local.state === 'closed' && this.#counts(outcome, admission)
      const changed = local.record(outcome, admission)
      if (counts && outcome.kind === 'failure') this.#queueFailure(this.#clock.now(), outcome.errorClass)
      return changed
    }
    if (this.#state !== 'closed' || !this.#counts(outcome, admission) || outcome.kind !== 'failure') return undefined
    const now = this.#clock.now()
    this.#queueFailure(now, outcome.errorClass)
    if (this.#fleetFailures + this.#failures.length < this.#minThreshold || !this.#reachedHere(now)) return undefined
    this.#state = 'open'
    this.#openUntil = now + this.recoveryTimeoutMs
    this.#reportedState = 'open'
    this.#adoptGeneration = true
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
    const failures: BreakerSyncFailure[] = []
    for (const f of this.#failures) {
      const ageMs = nowMs - f.atMs
      if (ageMs < this.windowMs) failures.push({ errorClass: f.errorClass, ageMs: Math.max(ageMs, 0) })
    }
    this.#failures = []
    const failureSeq = this.#seq
    this.#seq += failures.length
    let probe: ProbeMessage = 'none'
    let probeGeneration = 0
    if (this.#probeReport !== undefined) {
      probe = this.#probeReport
      probeGeneration = this.#probeReportGeneration
      this.#probeReportSent = true
    } else if (this.#probeOut !== undefined) {
      probe = 'hold'
      probeGeneration = this.#probeOutGeneration
    } else if (this.#granted !== undefined) {
      // Elected at the last sync but not used since: let a process that needs it have it.
      probe = 'release'
      probeGeneration = this.#granted
      this.#granted = undefined
    } else if (this.#want) {
      probe = 'want'
      this.#want = false
    }
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

  /** Takes the fleet breaker's state after the sync. */
  endSync(reply: BreakerSyncReply, nowMs: number): void {
    const local = this.#local
    if (local !== undefined) {
      // Back from local state: what the engine last reported is the local breaker's state.
      this.#local = undefined
      this.#reportedState = local.state
      this.#adoptGeneration = true
    }
    if (this.#probeReportSent) {
      // Applied, or ignored because the lease had passed to another process: settled either way.
      this.#probeReport = undefined
      this.#probeReportSent = false
    }
    if (reply.generation !== this.#generation) this.#wantKicked = false
    this.#generation = reply.generation
    this.#state = reply.state
    this.#proberPresent = reply.proberPresent
    this.#fleetFailures = reply.failures
    if (reply.state === 'open') this.#openUntil = nowMs + this.recoveryTimeoutMs - reply.openedAgoMs
    if (reply.probeMine) {
      if (this.#probeOut === undefined && this.#probeReport === undefined) this.#granted = reply.generation
    } else {
      this.#granted = undefined
    }
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
    this.#probeReportSent = false
    if (unsent !== undefined) {
      const again = unsent.failures.map((f) => ({ atMs: nowMs - f.ageMs, errorClass: f.errorClass }))
      this.#failures = again.concat(this.#failures)
      if (unsent.probe === 'want') this.#want = true
      if (unsent.probe === 'release' && this.#probeOut === undefined) this.#granted = unsent.probeGeneration
    }
    if (this.#local === undefined) this.#local = this.#resumeLocally(nowMs)
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
    this.#probeOut = undefined
    this.#probeReportGeneration = this.#probeOutGeneration
    this.#probeReportSent = false
    if (outcome.kind === 'neutral') {
      this.#probeReport = 'release'
      this.#hooks.urgent()
      return undefined
    }
    const trips = outcome.kind === 'failure' && this.tripOn.has(outcome.errorClass)
    this.#probeReport = trips ? 'failure' : 'success'
    this.#hooks.urgent()
    if (this.#local !== undefined) return undefined
    if (trips) {
      this.#state = 'open'
      this.#openUntil = this.#clock.now() + this.recoveryTimeoutMs
    } else {
      this.#state = 'closed'
      this.#failures = []
    }
    this.#reportedState = this.#state
    this.#adoptGeneration = true
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

  #wantProbe(quietly = false): void {
    if (this.#want) return
    this.#want = true
    // Ask at once, but only once per generation: later asks ride on the regular syncs.
    if (!quietly && !this.#wantKicked) {
      this.#wantKicked = true
      this.#hooks.urgent()
    }
  }

  #counts(outcome: BreakerOutcome, admission: BreakerAdmission): boolean {
    return admission.allowed && !admission.probe && outcome.kind === 'failure' && this.tripOn.has(outcome.errorClass)
  }

  #queueFailure(nowMs: number, errorClass: ErrorClass): void {
    const failures = this.#failures
    failures.push({ atMs: nowMs, errorClass })
    // More than the highest threshold says nothing more: keep the most recent ones.
    if (failures.length > this.#cap) failures.splice(0, failures.length - this.#cap)
  }

  /**
   * Whether the fleet's count at the last sync plus this process's failures since then reach the
   * threshold (or its own failures reach a class threshold): then the store will open the breaker
   * when they arrive, and this process need not wait for that round trip to stop calling.
   */
  #reachedHere(nowMs: number): boolean {
    const cutoff = nowMs - this.windowMs
    let total = 0
    const byClass = new Map<ErrorClass, number>()
    for (const f of this.#failures) {
      if (f.atMs <= cutoff) continue
      total++
      byClass.set(f.errorClass, (byClass.get(f.errorClass) ?? 0) + 1)
    }
    if (this.#fleetFailures + total >= this.failureThreshold) return true
    return this.#classList.some((c) => (byClass.get(c.errorClass) ?? 0) >= c.threshold)
  }

  #busy(): boolean {
    return (
      this.#failures.length > 0 ||
      this.#probeReport !== undefined ||
      this.#probeOut !== undefined ||
      this.#granted !== undefined ||
      this.#want
    )
  }

  #resumeLocally(nowMs: number): CircuitBreaker {
    const state: CircuitState = this.#state
    const cutoff = nowMs - this.windowMs
    const failures =
      state === 'closed'
        ? this.#failures
            .filter((f) => f.atMs > cutoff)
            .map((f) => ({ errorClass: f.errorClass, ageMs: nowMs - f.atMs }))
        : []
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

function renamed(error: unknown, owner: string): unknown {
  if (error instanceof Error && error.message.startsWith('CircuitBreaker:')) {
    const Ctor = error instanceof RangeError ? RangeError : TypeError
    return new Ctor(`${owner}:${error.message.slice('CircuitBreaker:'.length)}`)
  }
  return error
}
