import { readFileSync } from 'node:fs'
import { ADAPTIVE_THROTTLE_DEFAULTS } from '@redress/core'
import { HTTP_TOKEN_BUDGET_DEFAULTS } from '@redress/core/http'
import { numbersIn, readMarkdownTables } from '@redress/test-support'
import { describe, expect, it } from 'vitest'
import { AWS_RETRY_QUOTA_DEFAULTS } from '../src/sim/AwsRetryQuota.ts'
import { CLIENT_POLICIES } from '../src/sim/clientPolicies.ts'

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

/** The description of each client policy in the README's table, by policy name. */
function documentedPolicies(): Map<string, string> {
  const tables = readMarkdownTables(README, {
    after: /^### The client policies of experiments.*$/gm,
    columns: ['policy', 'what it is'],
  })
  expect(tables).toHaveLength(1)
  return new Map((tables[0]?.rows ?? []).map((row) => [row['policy'] ?? '', row['what it is'] ?? '']))
}

describe('the client policies of bench/README.md against the code', () => {
  it('describes each policy of CLIENT_POLICIES as the code does (pnpm sim writes this table)', () => {
    expect(documentedPolicies()).toEqual(new Map(CLIENT_POLICIES.map((p) => [p.name, p.description])))
  })

  it("gives the default HTTP policy's budget and throttle the defaults of HTTP_TOKEN_BUDGET_DEFAULTS and ADAPTIVE_THROTTLE_DEFAULTS", () => {
    const text = documentedPolicies().get('default HTTP policy') ?? ''
    expect(text).toContain('`TokenBudget`')
    expect(text).toContain('`AdaptiveThrottle`')
    expect(numbersIn(text)).toEqual([
      HTTP_TOKEN_BUDGET_DEFAULTS.maxTokens,
      HTTP_TOKEN_BUDGET_DEFAULTS.tokenRatio,
      ADAPTIVE_THROTTLE_DEFAULTS.k,
      ADAPTIVE_THROTTLE_DEFAULTS.maxRequests,
      ADAPTIVE_THROTTLE_DEFAULTS.minRequests,
      ADAPTIVE_THROTTLE_DEFAULTS.maxRejectionProbability,
    ])
  })

  it('gives the AWS-style quota the defaults of AWS_RETRY_QUOTA_DEFAULTS', () => {
    const text = documentedPolicies().get('AWS-style quota') ?? ''
    expect(numbersIn(text)).toEqual([
      AWS_RETRY_QUOTA_DEFAULTS.capacity,
      AWS_RETRY_QUOTA_DEFAULTS.retryCost,
      AWS_RETRY_QUOTA_DEFAULTS.timeoutRetryCost,
    ])
  })
})
