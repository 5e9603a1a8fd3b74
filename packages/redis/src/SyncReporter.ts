import { describeValue } from '@redress/core/adapter'
import type { RedisSyncLogHook } from './RedisSyncLog.ts'

/**
 * The option under which a factory hands its objects the reporter they share. A symbol, so it
 * is not part of the public options type.
 */
export const SHARED_REPORTER: unique symbol = Symbol('@redress/redis shared reporter')

/** Reads the shared reporter a factory put in `options`, if any. */
export function sharedReporter(options: object): SyncReporter | undefined {
  const value = (options as { [SHARED_REPORTER]?: unknown })[SHARED_REPORTER]
  return value instanceof SyncReporter ? value : undefined
}

/**
 * Says once that Redis is unavailable, and once that it is back, for every object that shares
 * it (a factory's budgets or breakers share one): an outage seen by 500 origins' objects is
 * one line, not 500.
 */
export class SyncReporter {
  readonly #onLog: RedisSyncLogHook
  #down = false

  constructor(onLog: RedisSyncLogHook) {
    this.#onLog = onLog
  }

  unavailable(key: string, error: unknown): void {
    if (this.#down) return
    this.#down = true
    const why = error instanceof Error ? error.message : describeValue(error)
    this.#log('redis_unavailable', {
      key,
      error,
      message: `@redress/redis: Redis unavailable (${why}) for ${key}; deciding on local state until it is back`,
    })
  }

  restored(key: string): void {
    if (!this.#down) return
    this.#down = false
    this.#log('redis_restored', { key, message: `@redress/redis: Redis is back for ${key}; fleet-wide state resumed` })
  }

  #log(...args: Parameters<RedisSyncLogHook>): void {
    try {
      this.#onLog(...args)
    } catch {
      // a throwing log hook must not break syncing
    }
  }
}
