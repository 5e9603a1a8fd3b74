/**
 * The READMEs against the code: every number in a defaults table, every event, stop
 * reason, tag and error code must match what the code does, so the docs cannot drift
 * (undici's docs drifted from its code for want of such a test).
 *
 * A defaults table is a Markdown table right after `<!-- defaults -->` (the option cell
 * names the owner and the option, e.g. `` `TokenBudget` `maxTokens` ``) or after
 * `<!-- defaults: Owner -->` (the option cell names only the option).
 */

import { readFileSync } from 'node:fs'
import { codeSpans, type MarkdownTable, numbersIn, readMarkdownTables } from '@redress/test-support'
import { describe, expect, it } from 'vitest'
import { CIRCUIT_BREAKER_DEFAULTS, CircuitBreaker } from '../src/breaker/CircuitBreaker.ts'
import { Budget } from '../src/budget/Budget.ts'
import { RATIO_BUDGET_DEFAULTS, RatioBudget } from '../src/budget/RatioBudget.ts'
import { TOKEN_BUDGET_DEFAULTS, TokenBudget } from '../src/budget/TokenBudget.ts'
import type { Classification } from '../src/Classification.ts'
import { ERROR_CLASSES } from '../src/ErrorClass.ts'
import { AbortRetryError } from '../src/errors/AbortRetryError.ts'
import { CircuitOpenError } from '../src/errors/CircuitOpenError.ts'
import { ConcurrencyError } from '../src/errors/ConcurrencyError.ts'
import { PermanentError } from '../src/errors/PermanentError.ts'
import { RateLimitError } from '../src/errors/RateLimitError.ts'
import { RetryExhaustedError } from '../src/errors/RetryExhaustedError.ts'
import { ServerError } from '../src/errors/ServerError.ts'
import { ThrottledError } from '../src/errors/ThrottledError.ts'
import { TransientError } from '../src/errors/TransientError.ts'
import { EventName } from '../src/events/EventName.ts'
import { StopReason } from '../src/events/StopReason.ts'
import { STOP_EVENTS } from '../src/events/stopEvents.ts'
import { HEDGE_DEFAULTS } from '../src/hedge/HedgeOptions.ts'
import { LatencyHistory } from '../src/hedge/LatencyHistory.ts'
import { LatencyWindow } from '../src/hedge/LatencyWindow.ts'
import { HTTP_POLICY_DEFAULTS } from '../src/http/HttpPolicyOptions.ts'
import { httpPolicy } from '../src/http/httpPolicy.ts'
import { MAX_TRACKED_ORIGINS } from '../src/http/OriginBudgets.ts'
import { RETRY_DEFAULTS } from '../src/policy/RetryOptions.ts'
import { RetryPolicy } from '../src/policy/RetryPolicy.ts'
import { KNOWN_OPTIONS } from '../src/policy/resolveOptions.ts'
import { RETRY_WRAPPER_MAX_MS } from '../src/policy/retry.ts'
import { ADAPTIVE_DEFAULTS, adaptive } from '../src/strategies/adaptive.ts'
import { DECORRELATED_JITTER_DEFAULTS, decorrelatedJitter } from '../src/strategies/decorrelatedJitter.ts'
import { EQUAL_JITTER_DEFAULTS, equalJitter } from '../src/strategies/equalJitter.ts'
import { FULL_JITTER_DEFAULTS, fullJitter } from '../src/strategies/fullJitter.ts'
import { RETRY_AFTER_OR_DEFAULTS, retryAfterOr } from '../src/strategies/retryAfterOr.ts'
import type { BackoffContext, Strategy } from '../src/strategies/Strategy.ts'
import { TOKEN_BACKOFF_DEFAULTS, tokenBackoff } from '../src/strategies/tokenBackoff.ts'
import { DeterministicStrategy } from '../src/testing/DeterministicStrategy.ts'
import { FakeClock } from '../src/testing/FakeClock.ts'
import { RecordingPolicy } from '../src/testing/RecordingPolicy.ts'
import { ADAPTIVE_THROTTLE_DEFAULTS, AdaptiveThrottle } from '../src/throttle/AdaptiveThrottle.ts'
import { resolvedOf } from './support/resolvedOf.ts'

const ROOT_README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')
const CORE_README = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const READMES = [
  ['README.md', ROOT_README],
  ['packages/core/README.md', CORE_README],
] as const

interface DefaultsRow {
  /** `Owner.option`, e.g. `TokenBudget.maxTokens`. */
  readonly key: string
  readonly option: string
  readonly defaultCell: string
  readonly unit: string
}

function defaultsRows(markdown: string): DefaultsRow[] {
  const rows: DefaultsRow[] = []
  const tables = readMarkdownTables(markdown, {
    after: /<!-- defaults(?:: (\w+))? -->/g,
    columns: ['Option', 'Default', 'Unit'],
  })
  for (const { marker, rows: body } of tables) {
    const owned = marker?.[1]
    for (const row of body) {
      const spans = codeSpans(row['option'] ?? '')
      const owner = owned ?? spans[0]
      const option = owned === undefined ? spans[1] : spans[0]
      if (owner === undefined || option === undefined)
        throw new Error(`cannot read the option of row ${Object.values(row).join(' | ')}`)
      rows.push({ key: `${owner}.${option}`, option, defaultCell: row['default'] ?? '', unit: row['unit'] ?? '' })
    }
  }
  return rows
}

function ctx(partial: Partial<BackoffContext>): BackoffContext {
  return {
    attempt: 1,
    errorClass: 'TRANSIENT',
    classification: { errorClass: 'TRANSIENT' },
    prevSleepMs: undefined,
    remainingMs: Infinity,
    cause: 'error',
    random: () => 0,
    ...partial,
  }
}

const at = (s: Strategy, partial: Partial<BackoffContext>): number => s(ctx(partial))
const top = (): number => 1

/**
 * `baseMs` and `maxMs` as each strategy behaves, read back from its output at the
 * extremes of `random` (a uniform draw at r = 0 gives the low end, at r = 1 the high end).
 */
function measuredBounds(name: string): { baseMs: number; maxMs: number } {
  const far = { attempt: 1_000, prevSleepMs: 1e12, random: top }
  switch (name) {
    case 'decorrelatedJitter': {
      const s = decorrelatedJitter()
      return { baseMs: at(s, { random: () => 0 }), maxMs: at(s, far) }
    }
    case 'equalJitter': {
      const s = equalJitter() // attempt 1: c = 2·base, low end c/2 = base
      return { baseMs: at(s, { random: () => 0 }), maxMs: at(s, far) }
    }
    case 'tokenBackoff': {
      const s = tokenBackoff() // attempt 1: c = 1.5·base, high end c
      return { baseMs: at(s, { random: top }) / 1.5, maxMs: at(s, far) }
    }
    case 'fullJitter': {
      const s = fullJitter() // attempt 1: high end 2·base
      return { baseMs: at(s, { random: top }) / 2, maxMs: at(s, far) }
    }
  }
  throw new Error(`no measurement for ${name}`)
}

function retryAfterClassification(retryAfterMs: number): Classification {
  return { errorClass: 'RATE_LIMIT', retryAfterMs }
}

/**
 * The latency history's fixed values, as it behaves: the delay with no sample, the samples after
 * which the quantile (not twice the slowest sample) answers, the samples kept, the keys kept.
 */
function measuredHedging(): {
  startAfterMs: number
  minSamples: number
  windowSamples: number
  maxKeys: number
  burstHedges: number
  medianMultiple: number
} {
  const startAfterMs = new LatencyWindow().hedgeDelayMs(0.5)
  let minSamples = 0
  for (let n = 1; n <= 1_000 && minSamples === 0; n++) {
    const w = new LatencyWindow()
    // One 10 ms sample, then 1 ms ones: below minSamples the delay is twice the slowest (20); from
    // it, read from the samples (the median, 1, or a multiple of it under the median floor).
    for (let i = 0; i < n; i++) w.record(i === 0 ? 10 : 1)
    if (w.hedgeDelayMs(0.5) !== 20) minSamples = n
  }
  let windowSamples = 0
  for (let k = 1; k <= 1_000 && windowSamples === 0; k++) {
    const w = new LatencyWindow()
    for (let i = 0; i < 1_000; i++) w.record(1_000)
    for (let i = 0; i < k; i++) w.record(1)
    // Once the 1 000 ms samples are forgotten, the delay comes from the 1 ms ones alone (the
    // quantile, or the median floor over it): far below 1 000.
    if (w.hedgeDelayMs(0.999) < 1_000) windowSamples = k
  }
  const history = new LatencyHistory()
  for (let i = 0; i < 10_000; i++) history.for(`k${i}`)
  // The hedges a fresh window sends at once, with no call earning more.
  const fresh = new LatencyWindow()
  let burstHedges = 0
  while (fresh.hasHedge && burstHedges < 1_000) {
    fresh.takeHedge()
    burstHedges++
  }
  // The floor under the quantile: 64 samples of 1 ms and 64 of 1 000 ms have a median of 1 000 ms
  // and a 0.01 quantile of 1 ms, so the delay is the floor itself.
  const floored = new LatencyWindow()
  for (let i = 0; i < 64; i++) floored.record(1)
  for (let i = 0; i < 64; i++) floored.record(1_000)
  const medianMultiple = floored.hedgeDelayMs(0.01) / 1_000
  return { startAfterMs, minSamples, windowSamples, maxKeys: history.size, burstHedges, medianMultiple }
}

/** What a defaults row must say: the numbers in its Default cell, and optionally a text check. */
interface Expectation {
  readonly numbers: readonly number[]
  readonly text?: (cell: string) => boolean
}

const none: Expectation = { numbers: [] }

function expectations(): Record<string, Expectation> {
  const policy = resolvedOf(new RetryPolicy())
  const http = resolvedOf(httpPolicy())
  const tokens = new TokenBudget()
  const httpTokens = httpPolicy().budgetFor('http://127.0.0.1') as TokenBudget
  const breaker = new CircuitBreaker()
  const throttle = new AdaptiveThrottle()
  const ratio = new RatioBudget()
  const bounds = Object.fromEntries(
    ['decorrelatedJitter', 'equalJitter', 'tokenBackoff', 'fullJitter'].map((n) => [n, measuredBounds(n)]),
  )
  const fallbackZero = (): number => 0
  const ra = retryAfterOr(fallbackZero)
  const jitterMs = at(ra, { classification: retryAfterClassification(0), random: top })
  const hugeMs = 1e300
  const clampedMs = at(ra, { classification: retryAfterClassification(hugeMs), random: () => 0 })
  const maxRetryAfterMs = clampedMs < hugeMs ? clampedMs : Infinity
  const classesIn = (cell: string): string[] => ERROR_CLASSES.filter((c) => new RegExp(`\\b${c}\\b`).test(cell))
  const tripOn = [...breaker.tripOn].sort()
  const hedge = resolvedOf(new RetryPolicy({ hedge: {} })).hedge
  const hedging = measuredHedging()

  const table: Record<string, Expectation> = {
    'RetryPolicy.deadlineMs': { numbers: [policy.deadlineMs] },
    'RetryPolicy.maxAttempts': { numbers: [policy.maxAttempts] },
    'RetryPolicy.maxUnknownAttempts': { numbers: [policy.maxUnknownAttempts] },
    'RetryPolicy.attemptTimeoutMs': { numbers: policy.attemptTimeoutMs === undefined ? [] : [policy.attemptTimeoutMs] },
    'RetryPolicy.maxRetryAfterMs': { numbers: policy.maxRetryAfterMs === undefined ? [] : [policy.maxRetryAfterMs] },
    'RetryPolicy.strategy': { numbers: [], text: (c) => c.includes('`decorrelatedJitter()`') },
    'retry.strategy': { numbers: [RETRY_WRAPPER_MAX_MS], text: (c) => c.includes('decorrelatedJitter') },
    'httpPolicy.maxAttempts': { numbers: [http.maxAttempts] },
    'httpPolicy.deadlineMs': { numbers: [http.deadlineMs] },
    'httpPolicy.maxRetryAfterMs': { numbers: http.maxRetryAfterMs === undefined ? [] : [http.maxRetryAfterMs] },
    'httpPolicy.maxOrigins': { numbers: [MAX_TRACKED_ORIGINS] },
    'httpPolicy.classifier': { numbers: [], text: (c) => c.includes('httpClassifier') },
    'httpPolicy.strategy': { numbers: [], text: (c) => c.includes('retryAfterOr(decorrelatedJitter()') },
    'httpPolicy.budget': { numbers: [], text: (c) => c.includes('TokenBudget') && c.includes('per origin') },
    'httpPolicy.tokenBudget': { numbers: [httpTokens.maxTokens, httpTokens.tokenRatio] },
    'retryAfterOr.jitterMs': { numbers: [jitterMs] },
    'retryAfterOr.maxRetryAfterMs': { numbers: [maxRetryAfterMs] },
    'TokenBudget.maxTokens': { numbers: [tokens.maxTokens] },
    'TokenBudget.tokenRatio': { numbers: [tokens.tokenRatio] },
    'Budget.maxRetries': { numbers: [], text: (c) => c === 'required' },
    'Budget.windowMs': { numbers: [], text: (c) => c === 'required' },
    'Budget.clock': { numbers: [], text: (c) => c.includes('systemClock') },
    'CircuitBreaker.failureThreshold': { numbers: [breaker.failureThreshold] },
    'CircuitBreaker.windowMs': { numbers: [breaker.windowMs] },
    'CircuitBreaker.recoveryTimeoutMs': { numbers: [breaker.recoveryTimeoutMs] },
    'CircuitBreaker.tripOn': { numbers: [], text: (c) => classesIn(c).sort().join() === tripOn.join() },
    'CircuitBreaker.classThresholds': none,
    'CircuitBreaker.clock': { numbers: [], text: (c) => c.includes('systemClock') },
    'adaptive.windowMs': { numbers: [ADAPTIVE_DEFAULTS.windowMs] },
    'adaptive.targetSuccess': { numbers: [ADAPTIVE_DEFAULTS.targetSuccess] },
    'adaptive.minMultiplier': { numbers: [ADAPTIVE_DEFAULTS.minMultiplier] },
    'adaptive.maxMultiplier': { numbers: [ADAPTIVE_DEFAULTS.maxMultiplier] },
    'adaptive.clock': { numbers: [], text: (c) => c.includes('systemClock') },
    'httpPolicy.throttle': { numbers: [], text: (c) => c.includes('AdaptiveThrottle') && c.includes('per origin') },
    'AdaptiveThrottle.k': { numbers: [throttle.k] },
    'AdaptiveThrottle.windowMs': { numbers: [throttle.windowMs] },
    'AdaptiveThrottle.maxRequests': { numbers: [throttle.maxRequests] },
    'AdaptiveThrottle.minRequests': { numbers: [throttle.minRequests] },
    'AdaptiveThrottle.maxRejectionProbability': { numbers: [throttle.maxRejectionProbability] },
    'AdaptiveThrottle.clock': { numbers: [], text: (c) => c.includes('systemClock') },
    'AdaptiveThrottle.random': { numbers: [], text: (c) => c.includes('Math.random') },
    'RatioBudget.ratio': { numbers: [ratio.ratio] },
    'RatioBudget.windowMs': { numbers: [ratio.windowMs] },
    'RatioBudget.minRetriesPerSecond': { numbers: [ratio.minRetriesPerSecond] },
    'RatioBudget.clock': { numbers: [], text: (c) => c.includes('systemClock') },
    'RetryPolicy.hedge': { numbers: [], text: (c) => c === 'off' },
    'hedge.afterMs': { numbers: [], text: (c) => c.startsWith('none') },
    'hedge.quantile': { numbers: hedge === undefined ? [] : [hedge.quantile] },
    'hedge.maxHedges': { numbers: hedge === undefined ? [] : [hedge.maxHedges] },
    'hedge.startAfterMs': { numbers: [hedging.startAfterMs] },
    'hedge.minSamples': { numbers: [hedging.minSamples] },
    'hedge.windowSamples': { numbers: [hedging.windowSamples] },
    'hedge.maxKeys': { numbers: [hedging.maxKeys] },
    'hedge.burstHedges': { numbers: [hedging.burstHedges] },
    'hedge.medianMultiple': { numbers: [hedging.medianMultiple] },
  }
  for (const [name, b] of Object.entries(bounds)) {
    table[`${name}.baseMs`] = { numbers: [b.baseMs] }
    table[`${name}.maxMs`] = { numbers: [b.maxMs] }
  }
  // Every other option the policy accepts defaults to "not set" (hooks, injected dependencies).
  for (const option of KNOWN_OPTIONS) {
    table[`RetryPolicy.${option}`] ??= none
  }
  return table
}

/** The defaults constants, each key of which must have a row in every README. */
const CONSTANTS: ReadonlyArray<readonly [string, object]> = [
  ['RetryPolicy', RETRY_DEFAULTS],
  ['httpPolicy', HTTP_POLICY_DEFAULTS],
  ['decorrelatedJitter', DECORRELATED_JITTER_DEFAULTS],
  ['equalJitter', EQUAL_JITTER_DEFAULTS],
  ['tokenBackoff', TOKEN_BACKOFF_DEFAULTS],
  ['fullJitter', FULL_JITTER_DEFAULTS],
  ['retryAfterOr', RETRY_AFTER_OR_DEFAULTS],
  ['TokenBudget', TOKEN_BUDGET_DEFAULTS],
  ['CircuitBreaker', CIRCUIT_BREAKER_DEFAULTS],
  ['adaptive', ADAPTIVE_DEFAULTS],
  ['AdaptiveThrottle', ADAPTIVE_THROTTLE_DEFAULTS],
  ['RatioBudget', RATIO_BUDGET_DEFAULTS],
  ['hedge', HEDGE_DEFAULTS],
]

describe('the defaults the code uses agree with its defaults constants', () => {
  it('RetryPolicy and httpPolicy resolve to RETRY_DEFAULTS and HTTP_POLICY_DEFAULTS', () => {
    const policy = resolvedOf(new RetryPolicy())
    expect({
      deadlineMs: policy.deadlineMs,
      maxAttempts: policy.maxAttempts,
      maxUnknownAttempts: policy.maxUnknownAttempts,
    }).toEqual({ ...RETRY_DEFAULTS })
    const http = resolvedOf(httpPolicy())
    expect({
      maxAttempts: http.maxAttempts,
      maxRetryAfterMs: http.maxRetryAfterMs,
      deadlineMs: http.deadlineMs,
      maxOrigins: MAX_TRACKED_ORIGINS,
    }).toEqual({ ...HTTP_POLICY_DEFAULTS })
  })

  it('strategies, budgets and the breaker behave with the values of their constants', () => {
    const constants: Record<string, object> = {
      decorrelatedJitter: DECORRELATED_JITTER_DEFAULTS,
      equalJitter: EQUAL_JITTER_DEFAULTS,
      tokenBackoff: TOKEN_BACKOFF_DEFAULTS,
      fullJitter: FULL_JITTER_DEFAULTS,
    }
    for (const [name, defaults] of Object.entries(constants)) {
      expect(measuredBounds(name), name).toEqual({ ...defaults })
    }
    const tokens = new TokenBudget()
    expect({ maxTokens: tokens.maxTokens, tokenRatio: tokens.tokenRatio }).toEqual({ ...TOKEN_BUDGET_DEFAULTS })
    const breaker = new CircuitBreaker()
    expect({
      failureThreshold: breaker.failureThreshold,
      windowMs: breaker.windowMs,
      recoveryTimeoutMs: breaker.recoveryTimeoutMs,
      tripOn: [...breaker.tripOn],
    }).toEqual({ ...CIRCUIT_BREAKER_DEFAULTS, tripOn: [...CIRCUIT_BREAKER_DEFAULTS.tripOn] })
    expect(() => new Budget({} as never)).toThrow(RangeError)
  })

  it('hedging behaves with the values of HEDGE_DEFAULTS', () => {
    const hedge = resolvedOf(new RetryPolicy({ hedge: {} })).hedge
    expect({ quantile: hedge?.quantile, maxHedges: hedge?.maxHedges, ...measuredHedging() }).toEqual({
      ...HEDGE_DEFAULTS,
    })
  })

  it('the default policy strategy is decorrelatedJitter() with its default bounds', () => {
    const fallback = resolvedOf(new RetryPolicy()).fallback
    if (fallback === undefined) throw new Error('RetryPolicy has no default strategy')
    expect(at(fallback, { random: () => 0 })).toBe(DECORRELATED_JITTER_DEFAULTS.baseMs)
    expect(at(fallback, { attempt: 9, prevSleepMs: 1e12, random: top })).toBe(DECORRELATED_JITTER_DEFAULTS.maxMs)
  })

  it('adaptive multiplies by minMultiplier while healthy and by maxMultiplier when every attempt fails', () => {
    const clock = new FakeClock()
    const s = adaptive(() => 100, { clock })
    expect(at(s, {})).toBe(100 * ADAPTIVE_DEFAULTS.minMultiplier)
    for (let i = 0; i < 10; i++) s.recordFailure('TRANSIENT')
    expect(at(s, {})).toBe(100 * ADAPTIVE_DEFAULTS.maxMultiplier)
  })
})

describe.each(READMES)('%s', (_file, markdown) => {
  const rows = defaultsRows(markdown)
  const expected = expectations()

  it('has defaults tables', () => {
    expect(rows.length).toBeGreaterThan(0)
  })

  it('states every default exactly as the code has it', () => {
    for (const row of rows) {
      const want = expected[row.key]
      if (want === undefined) throw new Error(`the defaults table lists ${row.key}, which this test does not know`)
      expect(numbersIn(row.defaultCell), `${row.key}: "${row.defaultCell}"`).toEqual(want.numbers)
      if (want.text !== undefined) expect(want.text(row.defaultCell), `${row.key}: "${row.defaultCell}"`).toBe(true)
    }
  })

  it('gives durations (options ending in Ms) the unit ms, and nothing else', () => {
    for (const row of rows) {
      expect(row.unit === 'ms', `${row.key} has unit "${row.unit}"`).toBe(row.option.endsWith('Ms'))
    }
  })

  it('has a row for every key of every defaults constant', () => {
    const keys = new Set(rows.map((r) => r.key))
    for (const [owner, constant] of CONSTANTS) {
      for (const key of Object.keys(constant)) expect(keys, `${owner}.${key}`).toContain(`${owner}.${key}`)
    }
  })

  it('lists each option once per owner', () => {
    const keys = rows.map((r) => r.key)
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([])
  })
})

describe('the root README tables of events, stop reasons and tags', () => {
  const [events] = readMarkdownTables(ROOT_README, { after: /<!-- events -->/g, columns: ['Event', 'Stop reason'] })
  const [stops] = readMarkdownTables(ROOT_README, { after: /<!-- stop-reasons -->/g, columns: ['Stop reason'] })
  const [tags] = readMarkdownTables(ROOT_README, { after: /<!-- tags -->/g, columns: ['Tag'] })
  const firstCells = (table: MarkdownTable | undefined, column: string): string[] =>
    (table?.rows ?? []).map((r) => codeSpans(r[column] ?? '')[0] ?? '')

  it('lists every EventName value, once', () => {
    expect(firstCells(events, 'event').sort()).toEqual(Object.values(EventName).sort())
  })

  it('gives each event exactly the stop reasons that emit it', () => {
    const rows = events?.rows ?? []
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) {
      const event = codeSpans(row['event'] ?? '')[0]
      const documented = codeSpans(row['stop reason'] ?? '').sort()
      const actual = (Object.keys(STOP_EVENTS) as StopReason[]).filter((r) => STOP_EVENTS[r] === event).sort()
      expect(documented, `${event}`).toEqual(actual)
    }
  })

  it('lists every StopReason value, once', () => {
    expect(firstCells(stops, 'stop reason').sort()).toEqual(Object.values(StopReason).sort())
  })

  it('lists every stable tag key', () => {
    const stable = ['operation', 'class', 'err', 'stop_reason', 'cause', 'state', 'method', 'host', 'status']
    expect(firstCells(tags, 'tag').sort()).toEqual([...stable].sort())
  })

  it('gives each strategy in the strategies table its real defaults', () => {
    const [table] = readMarkdownTables(ROOT_README, {
      after: /<!-- strategies -->/g,
      columns: ['Strategy', 'Defaults'],
    })
    const want: Record<string, readonly number[]> = {
      retryAfterOr: [RETRY_AFTER_OR_DEFAULTS.jitterMs],
      adaptive: [
        ADAPTIVE_DEFAULTS.windowMs,
        ADAPTIVE_DEFAULTS.targetSuccess,
        ADAPTIVE_DEFAULTS.minMultiplier,
        ADAPTIVE_DEFAULTS.maxMultiplier,
      ],
    }
    for (const name of ['decorrelatedJitter', 'equalJitter', 'tokenBackoff', 'fullJitter']) {
      const b = measuredBounds(name)
      want[name] = [b.baseMs, b.maxMs]
    }
    const seen = (table?.rows ?? []).map((row) => {
      const name = /^`(\w+)\(/.exec(row['strategy'] ?? '')?.[1] ?? ''
      expect(numbersIn(row['defaults'] ?? ''), name).toEqual(want[name])
      return name
    })
    expect(seen.sort()).toEqual(Object.keys(want).sort())
    expect(RETRY_AFTER_OR_DEFAULTS.maxRetryAfterMs).toBe(Infinity) // the table's "no cap"
  })

  it('lists every error class in the error classes table', () => {
    for (const c of ERROR_CLASSES) expect(ROOT_README).toMatch(new RegExp(`\\|\\s*\`${c}\`\\s*\\|`))
  })
})

describe('the core README', () => {
  it('names only RetryPolicy options the policy accepts', () => {
    const policyRows = defaultsRows(CORE_README).filter((r) => r.key.startsWith('RetryPolicy.'))
    expect(policyRows.length).toBeGreaterThan(20)
    for (const { option } of policyRows) expect(() => new RetryPolicy({ [option]: undefined })).not.toThrow()
    expect(() => new RetryPolicy({ notAnOption: 1 } as never)).toThrow(TypeError)
  })

  it('gives every error its real code', () => {
    const errors = [
      new RetryExhaustedError({
        stopReason: 'SCHEDULED',
        attempts: 1,
        lastClass: undefined,
        lastError: undefined,
        lastResult: undefined,
        nextSleepMs: undefined,
      }),
      new AbortRetryError(),
      new CircuitOpenError(),
      new ThrottledError(),
      new PermanentError(),
      new RateLimitError(),
      new ConcurrencyError(),
      new ServerError(),
      new TransientError(),
    ]
    for (const e of errors) {
      expect(CORE_README, e.name).toMatch(new RegExp(`\\|\\s*\`${e.name}\`\\s*\\|\\s*\`${e.code}\`\\s*\\|`))
    }
  })

  it('runs its testing example ("retries three times, then gives up") in virtual time', async () => {
    const clock = new FakeClock()
    const policy = new RecordingPolicy({ clock, strategy: DeterministicStrategy([100, 200, 400]), maxAttempts: 4 })
    let calls = 0
    const outcome = policy.execute(async () => {
      calls++
      throw new TransientError('down')
    })
    await clock.runAll()
    expect((await outcome).stopReason).toBe('MAX_ATTEMPTS_GLOBAL')
    expect(calls).toBe(4)
    expect(clock.now()).toBe(700)
    expect(policy.events.map((e) => e.event)).toEqual(['retry', 'retry', 'retry', 'max_attempts_exceeded'])
    expect(CORE_README).toContain('DeterministicStrategy([100, 200, 400]), maxAttempts: 4 })')
  })
})
