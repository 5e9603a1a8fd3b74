import { readFileSync } from 'node:fs'
import { CIRCUIT_BREAKER_DEFAULTS } from '@redress/core'
import { numbersIn, readmeDefaults } from '@redress/test-support'
import { describe, expect, it } from 'vitest'
import {
  FLEET_CIRCUIT_BREAKER_DEFAULTS,
  FLEET_TOKEN_BUDGET_DEFAULTS,
  REDIS_FACTORY_DEFAULTS,
  REDIS_SYNC_DEFAULTS,
  type RedisBudgetsOptions,
  type RedisCircuitBreakerOptions,
  type RedisRetryBudgetOptions,
} from '../src/index.ts'

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const source = (path: string): string => readFileSync(new URL(`../src/${path}`, import.meta.url), 'utf8')
const table = (name: string): Map<string, string> =>
  readmeDefaults(README, { after: new RegExp(`<!-- defaults: ${name} -->`, 'g') })
const number = (value: number) => (cell: string) => expect(numbersIn(cell)).toEqual([value])
const required = (cell: string): void => expect(cell).toBe('— (required)')
const warning = (cell: string): void => expect(cell).toContain('REDRESS_REDIS_UNAVAILABLE')
const clock = (cell: string): void => expect(cell).toBe('`systemClock`')
const S = REDIS_SYNC_DEFAULTS
const sync = {
  client: required,
  syncIntervalMs: number(S.syncIntervalMs),
  syncTimeoutMs: number(S.syncTimeoutMs),
  reconnectIntervalMs: number(S.reconnectIntervalMs),
  keyTtlMs: number(S.keyTtlMs),
  onLog: warning,
  clock,
}

/** What each Default cell must say; keyed by the options types, so a new option needs a row. */
const BUDGET: { readonly [K in keyof Required<RedisRetryBudgetOptions>]: (cell: string) => void } = {
  ...sync,
  key: required,
  maxTokens: number(FLEET_TOKEN_BUDGET_DEFAULTS.maxTokens),
  tokenRatio: number(FLEET_TOKEN_BUDGET_DEFAULTS.tokenRatio),
  idleAfterMs: number(FLEET_TOKEN_BUDGET_DEFAULTS.idleAfterMs),
}
const BREAKER: { readonly [K in keyof Required<RedisCircuitBreakerOptions>]: (cell: string) => void } = {
  ...sync,
  key: required,
  failureThreshold: number(CIRCUIT_BREAKER_DEFAULTS.failureThreshold),
  windowMs: number(CIRCUIT_BREAKER_DEFAULTS.windowMs),
  recoveryTimeoutMs: number(CIRCUIT_BREAKER_DEFAULTS.recoveryTimeoutMs),
  tripOn: (cell) => expect(cell).toBe(`\`[${CIRCUIT_BREAKER_DEFAULTS.tripOn.join(', ')}]\``),
  classThresholds: (cell) => expect(cell).toBe('`{}`'),
  probeLeaseMs: number(FLEET_CIRCUIT_BREAKER_DEFAULTS.probeLeaseMs),
  idleAfterMs: number(FLEET_CIRCUIT_BREAKER_DEFAULTS.idleAfterMs),
}
const FACTORY: {
  readonly [K in Exclude<keyof RedisBudgetsOptions, keyof RedisRetryBudgetOptions>]: (cell: string) => void
} = {
  prefix: (cell) => expect(cell).toBe(`\`'${REDIS_FACTORY_DEFAULTS.prefix}'\``),
  maxOrigins: number(REDIS_FACTORY_DEFAULTS.maxOrigins),
}

/** The numbers of the `@default` line in the TSDoc of `option` in `file`. */
function tsdocDefault(file: string, option: string): number[] {
  const match = new RegExp(`@default ([^\\n]*)\\n\\s*\\*/\\n\\s*readonly ${option}\\?:`).exec(source(file))
  if (match === null) throw new Error(`no @default for ${option} in ${file}`)
  return numbersIn(match[1] ?? '')
}

describe('the README and TSDoc against the code', () => {
  it('starts with the two-line use', () => {
    const [use] = README.split('```').filter((_, i) => i % 2 === 1)
    expect(use?.trim().split('\n')).toHaveLength(3) // the language tag, then two lines
    expect(use).toContain(
      'httpPolicy({ budgetFor: redisBudgets({ client: redis }), breakerFor: redisBreakers({ client: redis }) })',
    )
    expect(use).toContain('redressFetch({ policy })')
  })

  it.each([
    ['RedisRetryBudget', BUDGET],
    ['RedisCircuitBreaker', BREAKER],
    ['factories', FACTORY],
  ] as const)('lists every option of %s, with the default the code uses', (name, cells) => {
    const rows = table(name)
    expect([...rows.keys()].sort()).toEqual(Object.keys(cells).sort())
    for (const [option, check] of Object.entries(cells)) check(rows.get(option) ?? '')
  })

  it('documents in TSDoc the defaults the code uses', () => {
    for (const option of ['syncIntervalMs', 'syncTimeoutMs', 'reconnectIntervalMs', 'keyTtlMs'] as const) {
      expect(tsdocDefault('RedisSyncOptions.ts', option)).toEqual([S[option]])
    }
    for (const option of ['maxTokens', 'tokenRatio', 'idleAfterMs'] as const) {
      expect(tsdocDefault('model/FleetTokenBudget.ts', option)).toEqual([FLEET_TOKEN_BUDGET_DEFAULTS[option]])
    }
    for (const option of ['probeLeaseMs', 'idleAfterMs'] as const) {
      expect(tsdocDefault('model/FleetCircuitBreakerOptions.ts', option)).toEqual([
        FLEET_CIRCUIT_BREAKER_DEFAULTS[option],
      ])
    }
    expect(tsdocDefault('redisBudgets.ts', 'maxOrigins')).toEqual([REDIS_FACTORY_DEFAULTS.maxOrigins])
    expect(tsdocDefault('redisBreakers.ts', 'maxOrigins')).toEqual([REDIS_FACTORY_DEFAULTS.maxOrigins])
  })
})
