import type { Classification } from '../Classification.ts'
import { ErrorClass, isErrorClass } from '../ErrorClass.ts'
import { isMarkerError } from '../errors/MarkerError.ts'
import { safeGet, TRANSIENT_ERROR_CODES, walkCauses } from './errorCodes.ts'

/** Which rules {@link ruleClassifier} applies on top of the fact-based ones. */
export interface RuleClassifierOptions {
  /**
   * Also guess from the error's `name` and its constructor's name when no fact
   * (timeout, marker, status, error code) is found anywhere in the cause chain.
   */
  readonly nameHeuristics: boolean
}

/** The shared rules behind `defaultClassifier` (with name heuristics) and `strictClassifier` (without). */
export function ruleClassifier(error: unknown, options: RuleClassifierOptions): ErrorClass | Classification {
  try {
    // Facts beat guesses at any depth: a wrapper named `AuthClientError` whose cause is an
    // ECONNRESET failed on the network, not on credentials.
    const fact = walkCauses(error, classifyByFacts)
    if (fact !== undefined) return fact
    if (options.nameHeuristics) {
      const guess = walkCauses(error, classifyByName)
      if (guess !== undefined) return guess
    }
  } catch {
    // Every read already goes through safeGet; this only upholds the never-throw contract
    // against anything unforeseen (a brand check on an exotic host object, say).
  }
  return ErrorClass.UNKNOWN
}

/**
 * Rules 1–4 on one link of the cause chain, in priority order. The walk asks the
 * outermost link first, so the layer that wrapped an error (e.g. a `PermanentError`
 * around a timeout) overrides what it wrapped.
 */
function classifyByFacts(value: unknown): ErrorClass | Classification | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  if (safeGet(value, 'name') === 'TimeoutError') return ErrorClass.TRANSIENT
  const marked = classifyMarker(value)
  if (marked !== undefined) return marked
  const byStatus =
    classifyStatusNumber(safeGet(value, 'status')) ??
    classifyStatusNumber(safeGet(value, 'statusCode')) ??
    classifyStatusNumber(safeGet(value, 'code')) ??
    classifyStatusNumber(safeGet(safeGet(value, 'response'), 'status'))
  if (byStatus !== undefined) return byStatus
  const code = safeGet(value, 'code')
  if (typeof code === 'string' && TRANSIENT_ERROR_CODES.has(code)) return ErrorClass.TRANSIENT
  return undefined
}

function classifyMarker(value: object): ErrorClass | Classification | undefined {
  if (!isMarkerError(value)) return undefined
  const errorClass = safeGet(value, 'errorClass')
  // A marker from a foreign or tampered copy with a bogus class is not a fact; let later rules decide.
  if (!isErrorClass(errorClass)) return undefined
  if (errorClass !== ErrorClass.RATE_LIMIT) return errorClass
  const retryAfterMs = safeGet(value, 'retryAfterMs')
  return typeof retryAfterMs === 'number' && retryAfterMs >= 0 && retryAfterMs <= Number.MAX_VALUE
    ? { errorClass, retryAfterMs }
    : errorClass
}

/**
 * The status table of the core classifier. Deliberately narrower than
 * `@redress/core/http`'s `classifyStatus`: a bare number on an arbitrary error is weak
 * evidence, so only the unambiguous codes are mapped and every other number falls
 * through to the later rules.
 */
function classifyStatusNumber(status: unknown): ErrorClass | undefined {
  if (typeof status !== 'number') return undefined
  switch (status) {
    case 401:
      return ErrorClass.AUTH
    case 403:
      return ErrorClass.PERMISSION
    case 400:
    case 404:
    case 422:
      return ErrorClass.PERMANENT
    case 409:
      return ErrorClass.CONCURRENCY
    case 408:
      return ErrorClass.TRANSIENT
    case 429:
      return ErrorClass.RATE_LIMIT
  }
  return Number.isInteger(status) && status >= 500 && status <= 599 ? ErrorClass.SERVER_ERROR : undefined
}

/** Rule 5 on one link: substrings of `name` and `constructor.name`, case-insensitive, in priority order. */
function classifyByName(value: unknown): ErrorClass | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const name = safeGet(value, 'name')
  const ctorName = safeGet(safeGet(value, 'constructor'), 'name')
  const text = `${typeof name === 'string' ? name : ''} ${typeof ctorName === 'string' ? ctorName : ''}`.toLowerCase()
  if (text.includes('auth') || text.includes('unauthoriz') || text.includes('credential')) return ErrorClass.AUTH
  if (text.includes('forbid') || text.includes('permission')) return ErrorClass.PERMISSION
  if (text.includes('timeout') || text.includes('connection')) return ErrorClass.TRANSIENT
  return undefined
}
