import type { RoundCosts } from './RoundCosts.ts'

/** What one variant of the core microbenchmark cost per call, round by round. */
export interface CoreResult extends RoundCosts {
  /** `success`: the wrapped function resolves at once; `failOnce`: it throws a transient error on its first attempt, then resolves. */
  readonly path: 'success' | 'failOnce'
}
