import type { Classification, Classifier } from '../Classification.ts'
import { toClassification } from '../classify/safeClassify.ts'
import type { NotRetryableReason } from './NotRetryableReason.ts'

/**
 * The classifier of a malformed request (its URL cannot be made absolute, or the adapter says it
 * is not well formed): its failure is the client's own error, so `classifier`'s answer is made
 * final with `reason: 'invalid_request'` (one already final keeps its own reason).
 */
export function invalidRequestClassifier(classifier: Classifier): Classifier {
  return (error) => notRetryable(toClassification(classifier(error)), 'invalid_request')
}

function notRetryable(classification: Classification, reason: NotRetryableReason): Classification {
  if (classification.retryable === false) return classification
  return { ...classification, retryable: false, details: { ...classification.details, reason } }
}
