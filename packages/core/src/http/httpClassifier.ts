import type { Classification, Classifier } from '../Classification.ts'
import { defaultClassifier } from '../classify/defaultClassifier.ts'
import { safeGet } from '../classify/errorCodes.ts'
import { safeClassify } from '../classify/safeClassify.ts'
import { classifyNetworkError } from './classifyNetworkError.ts'
import { classifyRejectedStatus } from './classifyRejectedStatus.ts'
import { classifyResponse } from './classifyResponse.ts'

/**
 * The classifier of `httpPolicy` for calls made without an adapter: network errors by
 * code (walking `cause`), then an error carrying a response (`error.response`, as axios
 * and undici's `ResponseError` do) by its status and `Retry-After`, and axios's rejection
 * of a 1xx–3xx status (`maxRedirects: 0`, or the caller's `validateStatus`) as PERMANENT,
 * never retried (the rule `requestClassifiers` applies too), then `defaultClassifier`.
 * Adapters replace it per request with `requestClassifiers`, which also knows the method
 * and body. Never throws.
 */
export const httpClassifier: Classifier = (error: unknown): Classification => {
  try {
    const response = safeGet(error, 'response')
    return (
      classifyNetworkError(error) ??
      classifyResponse(response, Date.now()) ??
      classifyRejectedStatus(error, response) ??
      safeClassify(defaultClassifier, error)
    )
  } catch {
    return safeClassify(defaultClassifier, error)
  }
}
