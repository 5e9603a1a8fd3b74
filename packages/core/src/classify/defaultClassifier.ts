import type { Classification } from '../Classification.ts'
import type { ErrorClass } from '../ErrorClass.ts'
import { type RuleClassifierOptions, ruleClassifier } from './ruleClassifier.ts'

const RULES: RuleClassifierOptions = Object.freeze({ nameHeuristics: true })

/**
 * The classifier a policy uses unless told otherwise. First match wins:
 *
 * 1. `name === 'TimeoutError'` (ours, or `AbortSignal.timeout()`'s `DOMException`) → `TRANSIENT`;
 * 2. a redress marker error (`PermanentError`, `RateLimitError`, `ConcurrencyError`,
 *    `ServerError`, `TransientError`) → its class; a `RateLimitError` with `retryAfterMs`
 *    answers `{ errorClass: 'RATE_LIMIT', retryAfterMs }`;
 * 3. a numeric `status`, `statusCode`, `code` or `response.status` → 401 `AUTH`,
 *    403 `PERMISSION`, 400/404/422 `PERMANENT`, 409 `CONCURRENCY`, 408 `TRANSIENT`,
 *    429 `RATE_LIMIT`, 500–599 `SERVER_ERROR` (other numbers fall through);
 * 4. a string Node/undici error code such as `ECONNRESET` or `UND_ERR_SOCKET` → `TRANSIENT`;
 * 5. name heuristics on `name` and `constructor.name`, case-insensitive: auth, unauthoriz,
 *    credential → `AUTH`; forbid, permission → `PERMISSION`; timeout, connection → `TRANSIENT`;
 * 6. otherwise `UNKNOWN`.
 *
 * Rules 1–4 are tried on the error, then on `error.cause`, `error.cause.cause` … (at
 * most 8 levels, cycle-safe): the **outermost** link that any of them recognises
 * decides, so a wrapper's own status or marker overrides what it wraps. Only when no
 * link carries such a fact are the name heuristics tried, again outermost first.
 * Never throws, whatever it is handed (hostile getters, revoked proxies, primitives).
 *
 * @example
 * defaultClassifier(Object.assign(new Error('reset'), { code: 'ECONNRESET' })) // 'TRANSIENT'
 */
export function defaultClassifier(error: unknown): ErrorClass | Classification {
  return ruleClassifier(error, RULES)
}
