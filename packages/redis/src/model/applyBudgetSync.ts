import type { BudgetSyncReply, BudgetSyncRequest } from './BudgetSync.ts'

/** The store side of one budget sync: the stored bucket after it, and the reply. */
export interface BudgetSyncResult {
  /** The bucket to store, in thousandths of a token; `undefined` when it is full (no key is kept). */
  readonly stored: number | undefined
  /** What the process is told. */
  readonly reply: BudgetSyncReply
}

/**
 * What the budget's Lua script does to the shared bucket, as a pure function: a missing bucket
 * is full; the batch is added and the sum clamped to [0, maxMilli]; a full bucket is deleted.
 * `pnpm sim` runs the fleet on this; the package's tests check that the script on a real Redis
 * answers the same.
 *
 * @param stored the bucket as stored, in thousandths (`undefined`: no key)
 */
export function applyBudgetSync(stored: number | undefined, request: BudgetSyncRequest): BudgetSyncResult {
  const max = request.maxMilli
  let tokens = stored === undefined || stored > max ? max : stored
  tokens += request.deltaMilli
  if (tokens > max) tokens = max
  else if (tokens < 0) tokens = 0
  return { stored: tokens >= max ? undefined : tokens, reply: { tokensMilli: tokens } }
}
