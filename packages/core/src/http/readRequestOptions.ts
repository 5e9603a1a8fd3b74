import { describeValue } from '../describeValue.ts'
import { booleanOption, knownKeysCheck, optionNames, stringOption } from '../guard/validate.ts'
import { hedgeOption } from '../hedge/hedgeOption.ts'
import type { RedressRequestOptions } from './HttpRequest.ts'
import type { ResumableRequestOptions } from './resume/ResumeOptions.ts'

/**
 * Every per-request `redress` option; another key is refused as unknown. `resume` is listed
 * because every adapter that reads these options (fetch, axios, undici) resumes downloads; it is
 * checked by `readResumeOption`.
 */
const KNOWN_REQUEST_OPTIONS: ReadonlySet<string> = optionNames<ResumableRequestOptions>({
  retry: true,
  operation: true,
  retryNonIdempotent: true,
  hedge: true,
  resume: true,
})
// Marked pure so a bundle that never reads a request's options drops it (see tsup.base.ts).
const knownRequestKeysOnly = /* @__PURE__ */ knownKeysCheck(KNOWN_REQUEST_OPTIONS, 'redress.')

/**
 * Reads and checks the per-request `redress` options; throws a TypeError naming the field, or
 * naming a key that is no option (`redress.opertion`).
 */
export function readRequestOptions(value: unknown, owner: string): RedressRequestOptions | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'object')
    throw new TypeError(`${owner}: the request's redress option must be an object, got ${describeValue(value)}`)
  knownRequestKeysOnly(owner, value)
  const r = value as RedressRequestOptions
  booleanOption(owner, 'redress.retry', r.retry)
  stringOption(owner, 'redress.operation', r.operation)
  booleanOption(owner, 'redress.retryNonIdempotent', r.retryNonIdempotent)
  if (r.hedge !== undefined) hedgeOption(owner, r.hedge, 'redress.hedge')
  return r
}
