import type { BreakerAdmission, BreakerOutcome, CircuitBreakerLike, CircuitState, ErrorClass } from '@redress/core'
import { describeValue } from '@redress/core/adapter'
import { hashTagged } from './hashTagged.ts'
import type { BreakerSyncReply, BreakerSyncRequest } from './model/BreakerSync.ts'
import { FleetCircuitBreaker } from './model/FleetCircuitBreaker.ts'
import type { FleetCircuitBreakerOptions } from './model/FleetCircuitBreakerOptions.ts'
import { isClientReady } from './RedisScript.ts'
import type { RedisSyncOptions } from './RedisSyncOptions.ts'
import { checkKey, resolveSyncOptions } from './resolveSyncOptions.ts'
import { type RedisSyncMode, SyncDriver } from './SyncDriver.ts'
import { sharedReporter } from './SyncReporter.ts'
import { BREAKER_SCRIPT, breakerArgs, parseBreakerReply } from './scripts/breakerScript.ts'

/** Options of {@link RedisCircuitBreaker}. */
export interface RedisCircuitBreakerOptions extends RedisSyncOptions, FleetCircuitBreakerOptions {
  /**
   * The Redis key of the fleet's breaker (one per upstream). The breaker keeps a hash at this
   * key and its failure window at `<key>:failures`; a key without a hash tag is wrapped in one
   * (`{key}`) so both land in the same Redis Cluster slot.
   */
  readonly key: string
}

/** What {@link RedisCircuitBreaker} shows a health endpoint. Plain data, safe to serialise. */
export interface RedisCircuitBreakerView {
  /** The Redis key of the breaker's hash. */
  readonly key: string
  /** The state this process acts on. */
  readonly state: CircuitState
  /** The fleet breaker's generation at the last sync (it counts transitions). */
  readonly generation: number
  /** Fleet-wide failures in the window at the last sync (while closed). */
  readonly failures: number
  /** Where the process stands with Redis. */
  readonly mode: RedisSyncMode
}

/**
 * One circuit breaker for a whole fleet, in Redis, with the options and states of
 * `CircuitBreaker`: failures of trip classes in every process are counted in one window; when a
 * threshold is reached the breaker opens for every process (each sees it within one sync
 * interval); after `recoveryTimeoutMs` exactly one process in the fleet — elected atomically in
 * Redis, under a lease a crashed prober cannot hold for longer than `probeLeaseMs` — sends the
 * half-open probe, and its outcome closes or re-opens the breaker for everyone.
 *
 * Redis is never on a request's path: `admit()` and `record()` answer from this process's view
 * and batch what changed for the next sync (made at once when the breaker opens here or a probe
 * ends). When Redis is unreachable, slow or failing, a local `CircuitBreaker` resumed from the
 * last view decides, the process says so once (`onLog`), keeps trying in the background, and
 * rejoins the fleet when Redis answers again. Timers are `unref`ed; `close()` stops syncing
 * (the breaker then stays local).
 *
 * Events are the usual ones: the process whose failure opens the breaker reports
 * `circuit_opened` at that failure, as a local breaker does, whatever the timing of its syncs;
 * another process reports `circuit_opened`/`circuit_closed` when it learns of a transition (on
 * its next admission, even when Redis has become unreachable since; with no `class` tag), and the
 * prober reports `circuit_half_open`.
 *
 * @example
 * const breaker = new RedisCircuitBreaker({ client: redis, key: 'breaker:{payments}' })
 * const policy = httpPolicy({ circuitBreaker: breaker })
 */
export class RedisCircuitBreaker implements CircuitBreakerLike {
  /** The Redis key of the breaker's hash (hash-tagged). */
  readonly key: string
  /** Failures of trip classes within `windowMs`, fleet-wide, that open the breaker. */
  readonly failureThreshold: number
  /** The failure-counting window, in ms. */
  readonly windowMs: number
  /** How long the breaker stays open before one probe, in ms. */
  readonly recoveryTimeoutMs: number
  /** The classes that trip the breaker. */
  readonly tripOn: ReadonlySet<ErrorClass>
  readonly #core: FleetCircuitBreaker
  readonly #driver: SyncDriver<BreakerSyncRequest, BreakerSyncReply>

  /**
   * @param options see {@link RedisCircuitBreakerOptions}
   * @throws TypeError/RangeError naming the option.
   */
  constructor(options: RedisCircuitBreakerOptions) {
    const owner = 'RedisCircuitBreaker'
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`${owner}: options must be an object with client and key, got ${describeValue(options)}`)
    }
    const key = hashTagged(checkKey(owner, options.key))
    const sync = resolveSyncOptions(owner, options, sharedReporter(options))
    const core = new FleetCircuitBreaker(options, owner)
    this.key = key
    this.failureThreshold = core.failureThreshold
    this.windowMs = core.windowMs
    this.recoveryTimeoutMs = core.recoveryTimeoutMs
    this.tripOn = core.tripOn
    this.#core = core
    const { client } = sync
    const keys = [key, `${key}:failures`]
    const ttlMs = Math.max(sync.keyTtlMs, core.windowMs + core.recoveryTimeoutMs + core.probeLeaseMs)
    this.#driver = new SyncDriver(
      core,
      {
        ready: () => isClientReady(client),
        send: (request) => BREAKER_SCRIPT.run(client, keys, breakerArgs(request, ttlMs)).then(parseBreakerReply),
      },
      { timing: sync.timing, clock: sync.clock, reporter: sync.reporter, key },
    )
  }

  /** The state this process acts on: the fleet's at the last sync, or the local breaker's. */
  get state(): CircuitState {
    return this.#core.state
  }

  /** Where the process stands with Redis: `connecting` (before the first sync), `fleet` or `local`. */
  get mode(): RedisSyncMode {
    return this.#driver.mode
  }

  /** The fleet breaker's generation at the last sync: it counts transitions, fleet-wide. */
  get generation(): number {
    return this.#core.generation
  }

  /** Asks whether an operation may start. Never waits. */
  admit(): BreakerAdmission {
    return this.#core.admit()
  }

  /** Records how an admitted operation ended; returns the state entered here, if it changed. Never waits. */
  record(outcome: BreakerOutcome, admission: BreakerAdmission): CircuitState | undefined {
    return this.#core.record(outcome, admission)
  }

  /** Stops syncing; the breaker keeps deciding on its local view. Idempotent. */
  close(): void {
    this.#driver.close()
  }

  /** A plain snapshot for health endpoints (also what `JSON.stringify(breaker)` writes). */
  toJSON(): RedisCircuitBreakerView {
    const view = this.#core.toJSON()
    return {
      key: this.key,
      state: view.state,
      generation: view.generation,
      failures: view.failures,
      mode: this.#driver.mode,
    }
  }
}
