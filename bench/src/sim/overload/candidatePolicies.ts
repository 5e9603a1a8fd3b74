import {
  ADAPTIVE_THROTTLE_DEFAULTS,
  type AdaptiveThrottleOptions,
  type Clock,
  RatioBudget,
  type RatioBudgetOptions,
} from '@redress/core'
import { HTTP_TOKEN_BUDGET_DEFAULTS, httpPolicy } from '@redress/core/http'
import { type ClientPolicy, ORIGIN } from '../clientPolicies.ts'
import type { StartRun } from '../openLoop.ts'

/** One candidate default: the retry budget each client keeps per origin, and its throttle. */
export interface Candidate {
  readonly name: string
  readonly description: string
  /** The per-origin retry budget: a `TokenBudget` with these options, or a `RatioBudget`. */
  readonly budget:
    | { readonly kind: 'token'; readonly maxTokens: number; readonly tokenRatio: number }
    | { readonly kind: 'ratio'; readonly options: RatioBudgetOptions }
  /** The per-origin `AdaptiveThrottle`'s options; `null` for no throttle. */
  readonly throttle: AdaptiveThrottleOptions | null
  /** Attempts per call. @default 3 */
  readonly maxAttempts?: number | undefined
}

/**
 * A candidate as a simulated client: the real `httpPolicy()` with that budget and throttle per
 * origin, each run started as the adapters start one (the origin's budget and throttle).
 */
export function candidatePolicy(c: Candidate): ClientPolicy {
  return {
    name: c.name,
    description: c.description,
    makeClient: (_i: number, clock: Clock, random: () => number): StartRun => {
      const b = c.budget
      const policy = httpPolicy({
        clock,
        random,
        maxAttempts: c.maxAttempts ?? 3,
        ...(b.kind === 'token'
          ? { tokenBudget: { maxTokens: b.maxTokens, tokenRatio: b.tokenRatio } }
          : { budgetFor: () => new RatioBudget({ ...b.options, clock }) }),
        ...(c.throttle === null ? { throttle: null } : { adaptiveThrottle: c.throttle }),
      })
      const budget = policy.budgetFor(ORIGIN)
      const throttle = policy.throttleFor(ORIGIN)
      return () => policy.start({ budget, throttle })
    },
  }
}

/** The throttle options the candidates share unless they say otherwise: the chosen default. */
const THROTTLE: AdaptiveThrottleOptions = { ...ADAPTIVE_THROTTLE_DEFAULTS }
const OLD_TOKEN = { kind: 'token', maxTokens: 10, tokenRatio: 0.2 } as const
const NEW_TOKEN = {
  kind: 'token',
  maxTokens: HTTP_TOKEN_BUDGET_DEFAULTS.maxTokens,
  tokenRatio: HTTP_TOKEN_BUDGET_DEFAULTS.tokenRatio,
} as const

/** The candidate defaults of issue 16: budget kind and ratio, throttle on or off. */
export const CANDIDATES: readonly Candidate[] = Object.freeze([
  {
    name: 'previous default',
    description: 'the default before issue 16: `TokenBudget` (10 tokens, 0.2 per success) per origin, no throttle.',
    budget: OLD_TOKEN,
    throttle: null,
  },
  {
    name: 'TokenBudget 0.2 + throttle',
    description: 'the previous budget with the per-origin `AdaptiveThrottle` (its defaults).',
    budget: OLD_TOKEN,
    throttle: THROTTLE,
  },
  {
    name: 'TokenBudget 2, no throttle',
    description: '`TokenBudget` (20 tokens, 2 per success: retries stop above 2 failures in 3), no throttle.',
    budget: NEW_TOKEN,
    throttle: null,
  },
  {
    name: 'RatioBudget 0.2 + throttle',
    description: "Finagle's `RetryBudget` ratio (retries ≤ 20 % of requests over 10 s, + 0.1/s) with the throttle.",
    budget: { kind: 'ratio', options: { ratio: 0.2, windowMs: 10_000, minRetriesPerSecond: 0.1 } },
    throttle: THROTTLE,
  },
  {
    name: 'RatioBudget 0.5 + throttle',
    description: '`RatioBudget` (retries ≤ 50 % of requests over 10 s, + 0.1/s) with the throttle.',
    budget: { kind: 'ratio', options: { ratio: 0.5, windowMs: 10_000, minRetriesPerSecond: 0.1 } },
    throttle: THROTTLE,
  },
])

/** The throttle's window sizes of the trade-off curve (the default's budget, the throttle's other defaults). */
export const WINDOW_SWEEP: readonly number[] = Object.freeze([10, 20, 40, 100])

/** The default's budget with a throttle over the latest `maxRequests` calls. */
export function windowCandidate(maxRequests: number): Candidate {
  return {
    name: `latest ${maxRequests} calls`,
    description: `the default with \`adaptiveThrottle: { maxRequests: ${maxRequests} }\``,
    budget: NEW_TOKEN,
    throttle: { ...THROTTLE, maxRequests, minRequests: Math.min(10, maxRequests) },
  }
}

/** The highest refusal probabilities of the cap trade-off curve (1: the SRE formula, uncapped). */
export const CAP_SWEEP: readonly number[] = Object.freeze([1, 0.95, 0.9, 0.8, 0.7, 0.5])

/** The default's budget with the throttle refusing with probability at most `cap`. */
export function capCandidate(cap: number): Candidate {
  return {
    name: `at most ${cap}`,
    description: `the default with \`adaptiveThrottle: { maxRejectionProbability: ${cap} }\``,
    budget: NEW_TOKEN,
    throttle: { ...THROTTLE, maxRejectionProbability: cap },
  }
}

/** The default's budget, and the throttle with the SRE book's two-minute window (and no count limit to speak of). */
export const SRE_WINDOW: Candidate = Object.freeze({
  name: 'two-minute window',
  description: 'the default with `adaptiveThrottle: { windowMs: 120_000, maxRequests: 100_000 }` (the SRE book)',
  budget: NEW_TOKEN,
  throttle: { ...THROTTLE, windowMs: 120_000, maxRequests: 100_000 },
})
