import type { Clock } from '@redress/core'
import type { SyncHooks } from './model/SyncHooks.ts'
import type { SyncReporter } from './SyncReporter.ts'

/** What the driver needs of a fleet object (`FleetTokenBudget`, `FleetCircuitBreaker`). */
export interface SyncParticipant<Request, Reply> {
  setSyncHooks(hooks: SyncHooks): void
  beginSync(nowMs: number): Request | undefined
  endSync(reply: Reply, nowMs: number): void
  failSync(error: unknown, nowMs: number, unsent?: Request): void
}

/** How a driver reaches the store. */
export interface SyncTransport<Request, Reply> {
  /** Whether the client says it is connected; a request is not even sent when it is not. */
  ready(): boolean
  /** Sends one request; never throws (a failure is a rejected promise). */
  send(request: Request): Promise<Reply>
}

/** The driver's timing, in milliseconds. */
export interface SyncTiming {
  readonly syncIntervalMs: number
  readonly syncTimeoutMs: number
  readonly reconnectIntervalMs: number
}

/** The sync state the driver reports: before the first sync, in step with the fleet, or on local state. */
export type RedisSyncMode = 'connecting' | 'fleet' | 'local'

class SyncTimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer from Redis within ${ms} ms`)
    this.name = 'TimeoutError'
  }
}

class NotConnectedError extends Error {
  constructor() {
    super('the Redis client is not connected')
    this.name = 'NotConnectedError'
  }
}

/**
 * Runs one fleet object's syncs in the background: one request at a time, every
 * `syncIntervalMs` while the object is in use, at once when it says something urgent, and every
 * `reconnectIntervalMs` while Redis is unreachable (not while the client is disconnected, nor
 * while a sync that timed out is still unanswered). Nothing here is ever awaited by a request:
 * the object answers from its local view whatever the driver is doing. Timers are `unref`ed, so
 * they never keep a process alive; `close()` stops them.
 */
export class SyncDriver<Request, Reply> {
  readonly #participant: SyncParticipant<Request, Reply>
  readonly #transport: SyncTransport<Request, Reply>
  readonly #timing: SyncTiming
  readonly #clock: Clock
  readonly #reporter: SyncReporter
  readonly #key: string
  readonly #startedMs: number
  #timer: ReturnType<typeof setTimeout> | undefined
  #timerDueMs = 0
  #inFlight: object | undefined
  /**
   * A sync that timed out and is still unanswered. No other is sent until it settles: the
   * client would queue each one behind it, one more per object every reconnect interval for as
   * long as Redis stays frozen (a partition keeps the connection open for minutes), and a
   * process's memory must not grow with the length of a Redis outage.
   */
  #late: object | undefined
  #again = false
  #closed = false
  #mode: RedisSyncMode = 'connecting'
  #syncs = 0

  constructor(
    participant: SyncParticipant<Request, Reply>,
    transport: SyncTransport<Request, Reply>,
    options: { timing: SyncTiming; clock: Clock; reporter: SyncReporter; key: string },
  ) {
    this.#participant = participant
    this.#transport = transport
    this.#timing = options.timing
    this.#clock = options.clock
    this.#reporter = options.reporter
    this.#key = options.key
    this.#startedMs = performance.now()
    participant.setSyncHooks({ wake: () => this.#soon(), urgent: () => this.#soon() })
    this.#schedule(0)
  }

  /** Where this object stands with Redis. */
  get mode(): RedisSyncMode {
    return this.#mode
  }

  /** Syncs completed so far. */
  get syncs(): number {
    return this.#syncs
  }

  /** Stops syncing for good: clears the timer; an answer still on its way is ignored. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    this.#inFlight = undefined
    this.#reporter.forget(this.#key)
  }

  /** Sync as soon as possible (after the request in flight, if any). */
  #soon(): void {
    if (this.#closed) return
    if (this.#inFlight !== undefined) {
      this.#again = true
      return
    }
    // While Redis is down, the reconnect pace holds: urgency does not hammer a dead server.
    if (this.#mode === 'local' && this.#timer !== undefined) return
    this.#schedule(0)
  }

  #schedule(ms: number): void {
    if (this.#closed) return
    // Timer bookkeeping is real time, whatever clock the object reads.
    const due = performance.now() + ms
    if (this.#timer !== undefined) {
      if (this.#timerDueMs <= due) return
      clearTimeout(this.#timer)
    }
    this.#timerDueMs = due
    const timer = setTimeout(this.#tick, ms)
    timer.unref?.()
    this.#timer = timer
  }

  readonly #tick = (): void => {
    this.#timer = undefined
    if (this.#closed || this.#inFlight !== undefined) return
    const now = this.#clock.now()
    const request = this.#participant.beginSync(now)
    // Idle: nothing is scheduled until the object is used again (`wake`).
    if (request === undefined) {
      this.#reporter.forget(this.#key)
      return
    }
    if (!this.#transport.ready()) {
      // A client still making its first connection is given `syncTimeoutMs` before it counts.
      const grace = this.#mode === 'connecting' && performance.now() - this.#startedMs < this.#timing.syncTimeoutMs
      this.#participant.failSync(new NotConnectedError(), now, request)
      if (!grace) this.#down(new NotConnectedError())
      this.#schedule(grace ? this.#timing.syncIntervalMs : this.#timing.reconnectIntervalMs)
      return
    }
    if (this.#late !== undefined) {
      // Still no answer to the sync that timed out: this batch waits for the next attempt.
      this.#participant.failSync(new SyncTimeoutError(this.#timing.syncTimeoutMs), now, request)
      this.#schedule(this.#timing.reconnectIntervalMs)
      return
    }
    const token = {}
    this.#inFlight = token
    this.#again = false
    const timeout = setTimeout(() => {
      if (this.#inFlight !== token) return
      this.#inFlight = undefined
      this.#late = token
      const error = new SyncTimeoutError(this.#timing.syncTimeoutMs)
      this.#participant.failSync(error, this.#clock.now())
      this.#down(error)
      this.#schedule(this.#timing.reconnectIntervalMs)
    }, this.#timing.syncTimeoutMs)
    timeout.unref?.()
    this.#transport.send(request).then(
      (reply) => {
        clearTimeout(timeout)
        if (this.#late === token) {
          // Redis answers again: the answer came too late to use (its batch was given up), but
          // the next sync need not wait for the reconnect interval.
          this.#late = undefined
          this.#schedule(0)
        }
        if (this.#inFlight !== token) return
        this.#inFlight = undefined
        try {
          this.#participant.endSync(reply, this.#clock.now())
        } catch (error) {
          this.#participant.failSync(error, this.#clock.now())
          this.#down(error)
          this.#schedule(this.#timing.reconnectIntervalMs)
          return
        }
        this.#syncs++
        if (this.#mode === 'local') this.#reporter.restored(this.#key)
        this.#mode = 'fleet'
        this.#schedule(this.#again ? 0 : this.#timing.syncIntervalMs)
      },
      (error: unknown) => {
        clearTimeout(timeout)
        if (this.#late === token) this.#late = undefined
        if (this.#inFlight !== token) return
        this.#inFlight = undefined
        this.#participant.failSync(error, this.#clock.now())
        this.#down(error)
        this.#schedule(this.#timing.reconnectIntervalMs)
      },
    )
  }

  #down(error: unknown): void {
    if (this.#mode !== 'local') this.#reporter.unavailable(this.#key, error)
    this.#mode = 'local'
  }
}
