import { ADAPTIVE_THROTTLE_DEFAULTS, Budget, type Clock } from '@redress/core'
import { HTTP_TOKEN_BUDGET_DEFAULTS, httpPolicy } from '@redress/core/http'
import { AwsRetryQuota } from './AwsRetryQuota.ts'
import type { StartRun } from './openLoop.ts'

/** A client-side retry set-up compared in the retry-storm, outage and failure-rate experiments. */
export interface ClientPolicy {
  /** Short name, used in tables and charts. */
  readonly name: string
  /** One sentence: what it is. */
  readonly description: string
  /** Builds one client (its own policy and budget) on the simulation's clock and random source. */
  readonly makeClient: (index: number, clock: Clock, random: () => number) => StartRun
}

/** The origin every simulated client calls; the default HTTP policy keeps its budget and throttle per origin. */
export const ORIGIN = 'https://api.example.test'

/**
 * The policies compared. All but the first are `httpPolicy()` — the adapters' default —
 * so they share its strategy (`retryAfterOr(decorrelatedJitter())`, 250 ms to 30 s) and
 * `maxAttempts` 3, and differ only in the retry budget (and the default's per-origin throttle:
 * the others start their runs without one).
 */
export const CLIENT_POLICIES: readonly ClientPolicy[] = Object.freeze([
  {
    name: 'no retries',
    description: '`httpPolicy({ maxAttempts: 1 })`: every failure is final.',
    makeClient: (_i: number, clock: Clock, random: () => number): StartRun => {
      const policy = httpPolicy({ clock, random, maxAttempts: 1, budget: null })
      return () => policy.start()
    },
  },
  {
    name: '3 attempts, no budget',
    description: '`httpPolicy({ budget: null })`: jittered backoff, 3 attempts, nothing else holding retries back.',
    makeClient: (_i: number, clock: Clock, random: () => number): StartRun => {
      const policy = httpPolicy({ clock, random, budget: null })
      return () => policy.start()
    },
  },
  {
    name: 'default HTTP policy',
    description: `\`httpPolicy()\` as the adapters use it: per origin, per client, a \`TokenBudget\` (${HTTP_TOKEN_BUDGET_DEFAULTS.maxTokens} tokens, ${HTTP_TOKEN_BUDGET_DEFAULTS.tokenRatio} per success) and an \`AdaptiveThrottle\` (K = ${ADAPTIVE_THROTTLE_DEFAULTS.k}, the latest ${ADAPTIVE_THROTTLE_DEFAULTS.maxRequests} calls, none before ${ADAPTIVE_THROTTLE_DEFAULTS.minRequests}, each refused with probability at most ${ADAPTIVE_THROTTLE_DEFAULTS.maxRejectionProbability}).`,
    makeClient: (_i: number, clock: Clock, random: () => number): StartRun => {
      const policy = httpPolicy({ clock, random })
      return () => policy.start({ budget: policy.budgetFor(ORIGIN), throttle: policy.throttleFor(ORIGIN) })
    },
  },
  {
    name: 'Budget window',
    description:
      '`httpPolicy({ budget: new Budget({ maxRetries: 10, windowMs: 10_000 }) })` per client: at most 1 retry/s on average.',
    makeClient: (_i: number, clock: Clock, random: () => number): StartRun => {
      const policy = httpPolicy({ clock, random, budget: new Budget({ maxRetries: 10, windowMs: 10_000, clock }) })
      return () => policy.start()
    },
  },
  {
    name: 'AWS-style quota',
    description:
      '`httpPolicy()` with an `AwsRetryQuota` per client (500 tokens; 5 per retry, 10 after a timeout; refunded on success).',
    makeClient: (_i: number, clock: Clock, random: () => number): StartRun => {
      const policy = httpPolicy({ clock, random, budget: null })
      const quota = new AwsRetryQuota()
      return () => policy.start({ budget: quota.forCall() })
    },
  },
])
