import type { CircuitState } from '@redress/core'
import type { BreakerSyncReply, BreakerSyncRequest } from '../model/BreakerSync.ts'
import { RedisScript } from '../RedisScript.ts'

/**
 * One breaker sync, atomically (see `applyBreakerSync`, its TypeScript twin, for the rules).
 * Time is Redis's own (`TIME`), the same for every process.
 *
 * KEYS[1] the state (hash: s state 0 closed/1 open/2 half-open, o opened at, g generation,
 * p prober, pe lease end); KEYS[2] the failures in the window (sorted set scored by time,
 * members `CLASS|owner|seq`). ARGV: owner, threshold, window, recovery, lease, ttl, probe
 * message, probe generation, failure sequence, class thresholds (`CLASS=n,…`), then one
 * (class, age in ms) pair per failure. Returns {state, generation, opened ago, probe mine,
 * prober present, failures, now}.
 */
export const BREAKER_SCRIPT: RedisScript = new RedisScript(`local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local owner = ARGV[1]
local threshold = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local recovery = tonumber(ARGV[4])
local lease = tonumber(ARGV[5])
local ttl = tonumber(ARGV[6])
local probe = ARGV[7]
local probeGen = tonumber(ARGV[8])
local seq = tonumber(ARGV[9])
local h = redis.call('HMGET', KEYS[1], 's', 'o', 'g', 'p', 'pe')
local s = tonumber(h[1]) or 0
local o = tonumber(h[2]) or 0
local g = tonumber(h[3]) or 0
local p = h[4] or ''
local pe = tonumber(h[5]) or 0
if s == 2 and p == owner and probeGen == g then
  if probe == 'success' then
    s = 0; g = g + 1; p = ''; pe = 0
    redis.call('DEL', KEYS[2])
  elseif probe == 'failure' then
    s = 1; o = now; g = g + 1; p = ''; pe = 0
  elseif probe == 'release' then
    p = ''; pe = 0
  elseif probe == 'hold' then
    pe = now + lease
  end
end
local count = 0
if s == 0 then
  local n = 0
  for i = 11, #ARGV, 2 do
    local age = tonumber(ARGV[i + 1])
    if age < window then
      redis.call('ZADD', KEYS[2], now - age, ARGV[i] .. '|' .. owner .. '|' .. (seq + n))
    end
    n = n + 1
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
  count = redis.call('ZCARD', KEYS[2])
  local trip = count >= threshold
  if not trip and count > 0 and ARGV[10] ~= '' then
    local byClass = {}
    for _, m in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
      local c = string.match(m, '^[^|]+')
      byClass[c] = (byClass[c] or 0) + 1
    end
    for c, limit in string.gmatch(ARGV[10], '([^=,]+)=(%d+)') do
      if (byClass[c] or 0) >= tonumber(limit) then trip = true end
    end
  end
  if trip then
    s = 1; o = now; g = g + 1; count = 0
    redis.call('DEL', KEYS[2])
  elseif count > 0 then
    redis.call('PEXPIRE', KEYS[2], ttl)
  end
end
if probe == 'want' then
  if s == 1 and now - o >= recovery then
    s = 2; g = g + 1; p = owner; pe = now + lease
  elseif s == 2 and (p == '' or pe <= now) then
    p = owner; pe = now + lease
  end
end
redis.call('HSET', KEYS[1], 's', s, 'o', o, 'g', g, 'p', p, 'pe', pe)
redis.call('PEXPIRE', KEYS[1], ttl)
local mine = 0
if s == 2 and p == owner then mine = 1 end
local present = 0
if s == 2 and p ~= '' and pe > now then present = 1 end
local ago = 0
if s == 1 then ago = now - o end
return {s, g, ago, mine, present, count, now}
`)

/** The script's ARGV for one request. */
export function breakerArgs(request: BreakerSyncRequest, ttlMs: number): string[] {
  const args = [
    request.owner,
    String(request.failureThreshold),
    String(request.windowMs),
    String(request.recoveryTimeoutMs),
    String(request.probeLeaseMs),
    String(Math.ceil(ttlMs)),
    request.probe,
    String(request.probeGeneration),
    String(request.failureSeq),
    request.classThresholds.map((c) => `${c.errorClass}=${c.threshold}`).join(','),
  ]
  for (const f of request.failures) args.push(f.errorClass, String(Math.round(f.ageMs)))
  return args
}

const STATES: readonly CircuitState[] = ['closed', 'open', 'half_open']

/** Reads the script's reply (and the Redis clock it carries). @throws TypeError when malformed. */
export function parseBreakerReply(raw: unknown): BreakerSyncReply & { readonly nowMs: number } {
  const n = Array.isArray(raw) ? raw.map((x) => (typeof x === 'string' ? Number(x) : x)) : []
  if (n.length !== 7 || !n.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new TypeError(`unexpected reply from the breaker script: ${Array.isArray(raw) ? raw.join(',') : String(raw)}`)
  }
  const [s, generation, openedAgoMs, mine, present, failures, nowMs] = n as number[]
  const state = STATES[s as number]
  if (state === undefined) throw new TypeError(`unexpected breaker state from the breaker script: ${String(s)}`)
  return {
    state,
    generation: generation as number,
    openedAgoMs: openedAgoMs as number,
    probeMine: mine === 1,
    proberPresent: present === 1,
    failures: failures as number,
    nowMs: nowMs as number,
  }
}
