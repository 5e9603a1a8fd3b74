import { OriginLru } from '../http/OriginLru.ts'
import { HEDGE_DEFAULTS } from './HedgeOptions.ts'
import { LatencyWindow } from './LatencyWindow.ts'

const newWindow = (): LatencyWindow => new LatencyWindow()

/**
 * A policy's latency windows, one per key (an operation name, or an origin in the HTTP adapters),
 * in bounded memory: past `maxKeys`, the least recently used key is forgotten (and starts again
 * with no samples). Internal.
 */
export class LatencyHistory {
  // Made on first use: every policy has a history, few policies hedge.
  #windows: OriginLru<LatencyWindow> | undefined
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
    this.#windows ??= new OriginLru(this.#maxKeys)
    return this.#windows.slot(key, newWindow).value
  }
}
