/**
 * What `@redress/redis` reports, once per outage, not per request: `redis_unavailable` when a
 * sync first fails (an error, a timeout, or a client that is not connected) and the process
 * starts deciding on local state; `redis_restored` when a sync succeeds again and fleet-wide
 * state resumes.
 */
export type RedisSyncEvent = 'redis_unavailable' | 'redis_restored'

/** The fields of a {@link RedisSyncEvent}. */
export interface RedisSyncLogFields {
  /** The Redis key whose sync changed state (the first of them, for a factory). */
  readonly key: string
  /** One line for humans. */
  readonly message: string
  /** What failed (`redis_unavailable` only). */
  readonly error?: unknown
}

/** Receives {@link RedisSyncEvent}s. It is called at most once per change and may not throw (a throw is ignored). */
export type RedisSyncLogHook = (event: RedisSyncEvent, fields: RedisSyncLogFields) => void

/**
 * The default log hook: a Node process warning (`process.emitWarning`, code
 * `REDRESS_REDIS_UNAVAILABLE`) when Redis becomes unavailable; nothing when it is back.
 */
export const defaultRedisSyncLog: RedisSyncLogHook = (event, fields) => {
  if (event === 'redis_unavailable') process.emitWarning(fields.message, { code: 'REDRESS_REDIS_UNAVAILABLE' })
}
