import type { Classification } from '../Classification.ts'
import type { ErrorClass } from '../ErrorClass.ts'
import { isolate } from '../guard/isolate.ts'
import type { Run } from './Run.ts'

/**
 * What every failed attempt of `run` records, decided on or not (`Run.recordFailure`,
 * `recordAborted`, `recordWait`): the last failure, `onAttemptEnd`, and the failure told to the
 * observers and the budget. Returns its class.
 */
export function recordFailed(
  run: Run,
  classification: Classification,
  cause: 'error' | 'result',
  error: unknown,
  result: unknown,
  nowMs: number,
): ErrorClass {
  const cls = classification.errorClass
  run.r.failed(run.state, classification, cause, error, result, nowMs)
  for (const o of run.policy.observers) isolate(undefined, o.recordFailure, o, cls)
  const budget = run.budget
  if (budget !== undefined) isolate(undefined, budget.recordFailure, budget, cls)
  return cls
}
