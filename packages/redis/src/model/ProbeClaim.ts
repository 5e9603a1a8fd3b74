import type { BreakerAdmission } from '@redress/core'
import type { BreakerSyncReply, BreakerSyncRequest, ProbeMessage } from './BreakerSync.ts'

/** What a process reports of the probe it held: its outcome, or that it gives it back unused. */
type ProbeReport = 'success' | 'failure' | 'release'

/**
 * A `FleetCircuitBreaker`'s side of the fleet's half-open probe: whether this process wants the
 * probe, was granted it at a sync, has it out, and what it reports of it at the next sync (its
 * `ProbeMessage`). The store elects one process per generation (`applyBreakerSync`).
 */
export class ProbeClaim {
  #granted: number | undefined
  #out: BreakerAdmission | undefined
  #outGeneration = 0
  #report: ProbeReport | undefined
  #reportGeneration = 0
  #reportSent = false
  #want = false
  #wantKicked = false

  /** Whether this process has the probe out: admitted, its outcome not recorded yet. */
  get isOut(): boolean {
    return this.#out !== undefined
  }

  /** Whether the next sync has something to say about the probe. */
  get busy(): boolean {
    return this.#report !== undefined || this.#out !== undefined || this.#granted !== undefined || this.#want
  }

  /** Whether `admission` is the probe this process has out. */
  isProbe(admission: BreakerAdmission): boolean {
    return admission === this.#out
  }

  /** The probe's admission, when the last sync granted it and it is not out yet: it is out from now on. */
  take(): BreakerAdmission | undefined {
    const granted = this.#granted
    if (granted === undefined || this.#out !== undefined) return undefined
    this.#granted = undefined
    const probe: BreakerAdmission = { allowed: true, probe: true, transition: 'half_open' }
    this.#out = probe
    this.#outGeneration = granted
    return probe
  }

  /**
   * Asks for the probe at the next sync. True when that sync should be made at once: only once
   * per generation, and never when `quietly`; later asks ride on the regular syncs.
   */
  want(quietly = false): boolean {
    if (this.#want) return false
    this.#want = true
    if (quietly || this.#wantKicked) return false
    this.#wantKicked = true
    return true
  }

  /** The probe ended: the next sync reports `report` for the generation it was granted in. */
  ended(report: ProbeReport): void {
    this.#out = undefined
    this.#reportGeneration = this.#outGeneration
    this.#reportSent = false
    this.#report = report
  }

  /** What the next sync says about the probe, and the generation that refers to. */
  message(): { readonly probe: ProbeMessage; readonly probeGeneration: number } {
    if (this.#report !== undefined) {
      this.#reportSent = true
      return { probe: this.#report, probeGeneration: this.#reportGeneration }
    }
    if (this.#out !== undefined) return { probe: 'hold', probeGeneration: this.#outGeneration }
    const granted = this.#granted
    if (granted !== undefined) {
      // Elected at the last sync but not used since: let a process that needs it have it.
      this.#granted = undefined
      return { probe: 'release', probeGeneration: granted }
    }
    if (this.#want) {
      this.#want = false
      return { probe: 'want', probeGeneration: 0 }
    }
    return { probe: 'none', probeGeneration: 0 }
  }

  /** A sync succeeded with `reply` (`newGeneration`: the fleet breaker moved on since the last one). */
  synced(reply: BreakerSyncReply, newGeneration: boolean): void {
    if (this.#reportSent) {
      // Applied, or ignored because the lease had passed to another process: settled either way.
      this.#report = undefined
      this.#reportSent = false
    }
    if (newGeneration) this.#wantKicked = false
    if (reply.probeMine) {
      if (this.#out === undefined && this.#report === undefined) this.#granted = reply.generation
    } else {
      this.#granted = undefined
    }
  }

  /** A sync failed; `unsent`, the request that never left, keeps its wish for the probe or its release. */
  failed(unsent: BreakerSyncRequest | undefined): void {
    this.#reportSent = false
    if (unsent === undefined) return
    if (unsent.probe === 'want') this.#want = true
    if (unsent.probe === 'release' && this.#out === undefined) this.#granted = unsent.probeGeneration
  }
}
