import { describeValue } from '../describeValue.ts'
import { functionOption, msOption, NON_NEGATIVE_OR_INFINITE, objectOption, stringOption } from '../guard/validate.ts'
import { hedgeOption } from '../hedge/hedgeOption.ts'
import { breakerOption, budgetOption, throttleOption } from './gateOptions.ts'
import type { CallOptions } from './RetryOptions.ts'
import { checkHooks, isQuiet } from './resolveOptions.ts'

/** Validates per-call options (`call`, `execute`, `context`, `start`, `resume`); throws a TypeError/RangeError naming the option. */
export function checkCallOptions<O extends CallOptions>(o: O): O {
  const owner = 'call options'
  if (typeof o !== 'object' || o === null) throw new TypeError(`${owner} must be an object, got ${describeValue(o)}`)
  stringOption(owner, 'operation', o.operation)
  if (o.signal !== undefined && !(typeof o.signal === 'object' && o.signal !== null && 'aborted' in o.signal)) {
    throw new TypeError(`${owner}: signal must be an AbortSignal, got ${describeValue(o.signal)}`)
  }
  functionOption(owner, 'classifier', o.classifier)
  functionOption(owner, 'resultClassifier', o.resultClassifier)
  functionOption(owner, 'abortIf', o.abortIf)
  budgetOption(owner, o.budget)
  breakerOption(owner, o.circuitBreaker)
  throttleOption(owner, o.throttle)
  objectOption(owner, 'tags', o.tags)
  msOption(owner, 'maxRetryAfterMs', o.maxRetryAfterMs, NON_NEGATIVE_OR_INFINITE)
  if (o.hedge !== undefined) hedgeOption(owner, o.hedge)
  checkHooks(o, owner)
  return o
}

/** A per-call options object that adds no hook, breaker, abortIf or timeline. */
export function isQuietCall(call: CallOptions): boolean {
  return (
    isQuiet(call) && call.abortIf === undefined && call.circuitBreaker === undefined && call.captureTimeline !== true
  )
}
