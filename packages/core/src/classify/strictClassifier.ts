import type { Classification } from '../Classification.ts'
import type { ErrorClass } from '../ErrorClass.ts'
import { type RuleClassifierOptions, ruleClassifier } from './ruleClassifier.ts'

const RULES: RuleClassifierOptions = Object.freeze({ nameHeuristics: false })

/**
 * `defaultClassifier` without the name heuristics: only facts count (a `TimeoutError`,
 * a redress marker error, a numeric status, a Node/undici error code, on the error or
 * its causes). An error that merely has `Auth` or `Timeout` in its name is `UNKNOWN`.
 * Never throws.
 *
 * @example
 * strictClassifier(new (class ConnectionError extends Error {})()) // 'UNKNOWN'
 */
export function strictClassifier(error: unknown): ErrorClass | Classification {
  return ruleClassifier(error, RULES)
}
