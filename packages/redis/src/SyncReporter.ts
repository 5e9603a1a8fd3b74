import { describeValue, isolate } from '@redress/core/adapter'
import type { RedisSyncEvent, RedisSyncLogFields, RedisSyncLogHook } from './RedisSyncLog.ts'

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
 * one line, not 500. It is back when the last object that found it unavailable has synced again
 * (an object that stops syncing, idle or closed, is no longer waited for).
 */
export class SyncReporter {
  readonly #onLog: RedisSyncLogHook
  readonly #down = new Set<string>()

  constructor(onLog: RedisSyncLogHook) {
    this.#onLog = onLog
  }

  unavailable(key: string, error: unknown): void {
    if (this.#down.has(key)) return
    this.#down.add(key)
    if (this.#down.size > 1) return
    const why = error instanceof Error ? error.message : describeValue(error)
    this.#log('redis_unavailable', {
      key,
      error,
      message: `@redress/redis: Redis unavailable (${why}) for ${key}; deciding on local state until it is back`,
    })
  }

  restored(key: string): void {
    if (!this.#down.delete(key) || this.#down.size > 0) return
    this.#log('redis_restored', { key, message: `@redress/redis: Redis is back for ${key}; fleet-wide state resumed` })
  }

  /** `key` stopped syncing (idle or closed): the outage no longer waits for it. */
  forget(key: string): void {
    this.#down.delete(key)
  }

  #log(event: RedisSyncEvent, fields: RedisSyncLogFields): void {
    // a throwing (or rejecting) log hook must not break syncing
    isolate(undefined, this.#onLog, undefined, event, fields)
  }
}
