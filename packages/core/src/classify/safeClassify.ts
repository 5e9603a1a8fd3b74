import type { Classification, Classifier, ResultClassifier } from '../Classification.ts'
import { type ErrorClass, isErrorClass } from '../ErrorClass.ts'
import { isolate } from '../guard/isolate.ts'

// A literal (checked by the type), not `ErrorClass.UNKNOWN`: a property read would keep this in every bundle.
const UNKNOWN: Classification = Object.freeze({ errorClass: 'UNKNOWN' })
const CACHE = new Map<ErrorClass, Classification>()

/** The frozen, shared classification for a bare class. */
export function classificationOf(errorClass: ErrorClass): Classification {
  let c = CACHE.get(errorClass)
  if (c === undefined) {
    c = Object.freeze({ errorClass })
    CACHE.set(errorClass, c)
  }
  return c
}

/**
 * Normalises what a classifier returned into a `Classification`. Anything invalid
 * (a string that is not a class, a malformed object) becomes `UNKNOWN`; a
 * non-finite or negative `retryAfterMs` is dropped.
 */
export function toClassification(value: unknown): Classification {
  if (isErrorClass(value)) return classificationOf(value)
  if (typeof value !== 'object' || value === null) return UNKNOWN
  try {
    const { errorClass, retryAfterMs } = value as Classification
    if (!isErrorClass(errorClass)) return UNKNOWN
    if (
      retryAfterMs !== undefined &&
      !(typeof retryAfterMs === 'number' && retryAfterMs >= 0 && retryAfterMs <= Number.MAX_VALUE)
    ) {
      const { retryAfterMs: _dropped, ...rest } = value as Classification
      return rest
    }
    return value as Classification
  } catch {
    return UNKNOWN
  }
}

/** Runs a classifier on an error, never throwing: a classifier that throws answers `UNKNOWN`. */
export function safeClassify(classifier: Classifier, error: unknown): Classification {
  return toClassification(isolate(UNKNOWN, classifier, undefined, error))
}

/**
 * Runs a result classifier on a value: `undefined` means success. A result
 * classifier that throws is treated as calling the value a success, so a buggy hook
 * never turns good data into a failure.
 */
export function safeClassifyResult(classifier: ResultClassifier, value: unknown): Classification | undefined {
  const raw = isolate(undefined, classifier, undefined, value)
  return raw === undefined ? undefined : toClassification(raw)
}
