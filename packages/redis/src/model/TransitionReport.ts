import type { CircuitState } from '@redress/core'

/**
 * What the engine has been told of a `FleetCircuitBreaker`'s state (as `transition` on an
 * admission, or returned by `record()`), and for which generation of the fleet breaker: each
 * transition this process makes or learns from a sync is reported once. A transition made here is
 * told before the store has given it a generation; the answer to the first sync that carries it
 * supplies that generation, so the process does not report it again when it learns it back.
 */
export class TransitionReport {
  #state: CircuitState = 'closed'
  #generation = 0
  /** The next answer taken gives the generation of a state told before the store had it. */
  #adopt = false

  /** The state the engine was last told. */
  get state(): CircuitState {
    return this.#state
  }

  /** The engine is told `state` now, in `generation` (a close learnt from a sync, or the probe taken). */
  told(state: CircuitState, generation: number): void {
    this.#state = state
    this.#generation = generation
  }

  /**
   * The engine is told `state`, a transition this process made itself (it opened the breaker, or
   * its probe ended): the answer to the next sync that agrees gives it its generation.
   */
  made(state: CircuitState, generation: number): void {
    this.#state = state
    this.#generation = generation
    this.#adopt = true
  }

  /**
   * The transition the engine must still be told for it to know that a local breaker now in
   * `state` took over: one this process learnt from a sync and has not reported yet (`undefined`
   * when there is none).
   */
  owed(state: CircuitState): 'open' | 'closed' | undefined {
    if (state === 'closed') return this.#state === 'closed' ? undefined : 'closed'
    return this.#state === 'closed' ? 'open' : undefined
  }

  /**
   * Back from a local breaker: what the engine last heard is the local breaker's `state` (or, when
   * `undefined`, still what it was told before the local breaker took over), told in `generation`
   * when the fleet's state is kept as the local breaker left it.
   */
  rejoined(state: CircuitState | undefined, generation: number | undefined): void {
    if (state !== undefined) this.#state = state
    this.#adopt = true
    if (generation !== undefined) this.#generation = generation
  }

  /** `'open'` when the engine has not yet been told that the breaker is not closed (or re-opened). */
  open(state: CircuitState, generation: number): 'open' | undefined {
    if (this.#state !== 'closed') {
      // Already reported open (or half-open) in this generation, or the fleet is half-open
      // with another process's probe: nothing new to report.
      if (state === 'half_open' || this.#generation === generation) return undefined
    }
    this.#state = 'open'
    this.#generation = generation
    return 'open'
  }

  /** The fleet breaker was taken from a sync answer: `state`, in `generation`. */
  synced(state: CircuitState, generation: number): void {
    if (!this.#adopt) return
    this.#adopt = false
    if (reportable(state) === reportable(this.#state)) this.#generation = generation
  }
}

/** The engine never hears of another process's half-open state: it counts as open. */
function reportable(state: CircuitState): CircuitState {
  return state === 'half_open' ? 'open' : state
}
