import { isolate } from '../guard/isolate.ts'
import { defaultOperationName, type HttpRequestSummary } from './HttpRequest.ts'

/**
 * The operation name of a `method` request to `url`: what the adapter's `namer` returns, or
 * `defaultOperationName` when the namer throws or returns something other than a string.
 */
export function operationNameOf(namer: (request: HttpRequestSummary) => string, method: string, url: URL): string {
  const summary: HttpRequestSummary = { method, url }
  const operation = isolate(undefined, namer, undefined, summary)
  return typeof operation === 'string' ? operation : defaultOperationName(summary)
}
