/**
 * `@redress/redis/model`: the fleet-wide budget and breaker without Redis — the local halves
 * (`FleetTokenBudget`, `FleetCircuitBreaker`) that answer at once and batch what changed, and
 * the store's side of a sync as pure functions (`applyBudgetSync`, `applyBreakerSync`, what the
 * Lua scripts do). `pnpm sim` runs fleets of thousands of processes on these in virtual time;
 * you could drive them over another store. `RedisRetryBudget` and `RedisCircuitBreaker` are
 * these plus a Redis driver.
 *
 * @packageDocumentation
 */
export type { BreakerSyncResult, StoredBreaker, StoredBreakerFailure } from './applyBreakerSync.ts'
export { applyBreakerSync } from './applyBreakerSync.ts'
export type { BudgetSyncResult } from './applyBudgetSync.ts'
export { applyBudgetSync } from './applyBudgetSync.ts'
export type {
  BreakerClassThreshold,
  BreakerSyncFailure,
  BreakerSyncReply,
  BreakerSyncRequest,
  ProbeMessage,
} from './BreakerSync.ts'
export type { BudgetSyncReply, BudgetSyncRequest } from './BudgetSync.ts'
export { FleetCircuitBreaker } from './FleetCircuitBreaker.ts'
export type { FleetCircuitBreakerOptions } from './FleetCircuitBreakerOptions.ts'
export { FLEET_CIRCUIT_BREAKER_DEFAULTS } from './FleetCircuitBreakerOptions.ts'
export type { FleetCircuitBreakerView } from './FleetCircuitBreakerView.ts'
export type { FleetTokenBudgetOptions, FleetTokenBudgetView } from './FleetTokenBudget.ts'
export { FLEET_TOKEN_BUDGET_DEFAULTS, FleetTokenBudget } from './FleetTokenBudget.ts'
export type { SyncHooks } from './SyncHooks.ts'
