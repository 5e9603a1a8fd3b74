import { HEDGE_DEFAULTS } from './HedgeOptions.ts'
import { LatencyWindow } from './LatencyWindow.ts'

/**
 * A policy's latency windows, one per key (an operation name, or an origin in the HTTP adapters),
 * in bounded memory: past `maxKeys`, the least recently used key is forgotten (and starts again
 * with no samples). Internal.
 */
export class LatencyHistory {
  // Made on first use: every policy has a history, few policies hedge.
  #windows: Map<string, LatencyWindow> | undefined
  readonly #maxKeys: number

  /** @param maxKeys keys remembered. @default HEDGE_DEFAULTS.maxKeys (512) */
  constructor(maxKeys: number = HEDGE_DEFAULTS.maxKeys) {
    this.#maxKeys = maxKeys
  }

  /** Keys remembered now. */
  get size(): number {
    return this.#windows?.size ?? 0
  }

  /** The window of `key`, made on first use; marks it most recently used. */
  for(key: string): LatencyWindow {
    this.#windows ??= new Map()
    const windows = this.#windows
    let window = windows.get(key)
    if (window !== undefined) {
      // Map keeps insertion order: re-inserting makes the key the most recent.
      windows.delete(key)
      windows.set(key, window)
      return window
    }
    window = new LatencyWindow()
    windows.set(key, window)
    if (windows.size > this.#maxKeys) {
      const oldest = windows.keys().next()
      if (oldest.done !== true) windows.delete(oldest.value)
    }
    return window
  }
}
