import { policyInternals } from '../../src/policy/policyInternals.ts'
import type { RetryPolicy } from '../../src/policy/RetryPolicy.ts'
import type { ResolvedPolicy } from '../../src/policy/resolveOptions.ts'

/** A policy's validated options, for tests that check defaults. */
export function resolvedOf(policy: RetryPolicy): ResolvedPolicy {
  const internals = policyInternals(policy)
  if (internals === undefined) throw new Error('not a RetryPolicy')
  return internals.resolved
}
