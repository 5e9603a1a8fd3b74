import type { Classification, Classifier } from '../Classification.ts'
import { defaultClassifier } from '../classify/defaultClassifier.ts'
import { safeGet } from '../classify/errorCodes.ts'
import { safeClassify } from '../classify/safeClassify.ts'
import { classifyNetworkError } from './classifyNetworkError.ts'
import { classifyResponse } from './classifyResponse.ts'

/**
 * The classifier of `httpPolicy` for calls made without an adapter: network errors by
 * code (walking `cause`), then an error carrying a response (`error.response`, as axios
 * and undici's `ResponseError` do) by its status and `Retry-After`, then
 * `defaultClassifier`. Adapters replace it per request with `requestClassifiers`,
 * which also knows the method and body. Never throws.
 */
export const httpClassifier: Classifier = (error: unknown): Classification => {
  try {
    return (
      classifyNetworkError(error) ??
      classifyResponse(safeGet(error, 'response'), Date.now()) ??
      safeClassify(defaultClassifier, error)
    )
  } catch {
    return safeClassify(defaultClassifier, error)
  }
}
