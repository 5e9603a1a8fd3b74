import { type Clock, systemClock } from '@redress/core'
import { describeValue } from '@redress/core/adapter'
import { positiveMs } from './model/positiveMs.ts'
import type { RedisClientLike } from './RedisClientLike.ts'
import { checkClient } from './RedisScript.ts'
import { defaultRedisSyncLog } from './RedisSyncLog.ts'
import { REDIS_SYNC_DEFAULTS, type RedisSyncOptions } from './RedisSyncOptions.ts'
import type { SyncTiming } from './SyncDriver.ts'
import { SyncReporter } from './SyncReporter.ts'

/** {@link RedisSyncOptions} checked, with their defaults. */
export interface ResolvedSyncOptions {
  readonly client: RedisClientLike
  readonly timing: SyncTiming
  readonly keyTtlMs: number
  readonly reporter: SyncReporter
  readonly clock: Clock
}

/** Checks the shared options. @throws TypeError/RangeError naming `owner` and the option. */
export function resolveSyncOptions(
  owner: string,
  options: RedisSyncOptions & { readonly clock?: Clock | undefined },
  reporter?: SyncReporter,
): ResolvedSyncOptions {
  const d = REDIS_SYNC_DEFAULTS
  const onLog = options.onLog ?? defaultRedisSyncLog
  if (typeof onLog !== 'function') {
    throw new TypeError(`${owner}: onLog must be a function (event, fields) => void, got ${describeValue(onLog)}`)
  }
  return {
    client: checkClient(owner, options.client),
    timing: {
      syncIntervalMs: positiveMs(owner, 'syncIntervalMs', options.syncIntervalMs ?? d.syncIntervalMs, true),
      syncTimeoutMs: positiveMs(owner, 'syncTimeoutMs', options.syncTimeoutMs ?? d.syncTimeoutMs, true),
      reconnectIntervalMs: positiveMs(
        owner,
        'reconnectIntervalMs',
        options.reconnectIntervalMs ?? d.reconnectIntervalMs,
        true,
      ),
    },
    keyTtlMs: positiveMs(owner, 'keyTtlMs', options.keyTtlMs ?? d.keyTtlMs),
    reporter: reporter ?? new SyncReporter(onLog),
    clock: options.clock ?? systemClock,
  }
}

/** Checks a key option: a non-empty string. @throws TypeError naming `owner`. */
export function checkKey(owner: string, key: unknown): string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new TypeError(`${owner}: key must be a non-empty string, got ${describeValue(key)}`)
  }
  return key
}
