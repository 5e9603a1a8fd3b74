import type { BudgetSyncReply, BudgetSyncRequest } from '../model/BudgetSync.ts'
import { RedisScript } from '../RedisScript.ts'

/**
 * One budget sync, atomically (see `applyBudgetSync`, its TypeScript twin): a missing bucket is
 * full; the batch is added and the sum clamped to [0, max]; a full bucket is deleted, any other
 * is stored with a time to live. Amounts are integer thousandths of a token.
 *
 * KEYS[1] the bucket. ARGV: max, delta, ttl (ms). Returns the bucket after the batch.
 */
export const BUDGET_SCRIPT: RedisScript = new RedisScript(`local max = tonumber(ARGV[1])
local delta = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local t = tonumber(redis.call('GET', KEYS[1]) or ARGV[1]) or max
if t > max then t = max end
t = t + delta
if t > max then t = max elseif t < 0 then t = 0 end
if t >= max then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], string.format('%d', t), 'PX', ttl)
end
return t
`)

/** The script's ARGV for one request. */
export function budgetArgs(request: BudgetSyncRequest, ttlMs: number): string[] {
  return [String(request.maxMilli), String(request.deltaMilli), String(Math.ceil(ttlMs))]
}

/** Reads the script's reply. @throws TypeError when it is not what the script returns. */
export function parseBudgetReply(raw: unknown): BudgetSyncReply {
  const tokensMilli = typeof raw === 'string' ? Number(raw) : raw
  if (typeof tokensMilli !== 'number' || !Number.isFinite(tokensMilli) || tokensMilli < 0) {
    throw new TypeError(`unexpected reply from the budget script: ${String(raw)}`)
  }
  return { tokensMilli }
}
