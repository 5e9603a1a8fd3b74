import { describeValue } from '../describeValue.ts'
import {
  functionOption,
  knownKeysCheck,
  msOption,
  NON_NEGATIVE_OR_INFINITE,
  objectOption,
  optionNames,
  stringOption,
} from '../guard/validate.ts'
import { hedgeOption } from '../hedge/hedgeOption.ts'
import { breakerOption, budgetOption, throttleOption } from './gateOptions.ts'
import type { CallOptions } from './RetryOptions.ts'
import { checkHooks, isQuiet } from './resolveOptions.ts'

/** Every per-call option: a key of a call's options that is not here is refused as unknown. */
const KNOWN: ReadonlySet<string> = optionNames<CallOptions>({
  operation: true,
  signal: true,
  abortIf: true,
  classifier: true,
  resultClassifier: true,
  budget: true,
  circuitBreaker: true,
  throttle: true,
  maxRetryAfterMs: true,
  hedge: true,
  tags: true,
  captureTimeline: true,
  onMetric: true,
  onLog: true,
  onAttemptStart: true,
  onAttemptEnd: true,
  beforeSleep: true,
})

// Marked pure so a bundle that never checks a call's options drops it (see tsup.base.ts).
const knownKeysOnly = /* @__PURE__ */ knownKeysCheck(KNOWN)

/** Validates per-call options (`call`, `execute`, `context`, `start`, `resume`); throws a TypeError/RangeError naming the option. */
export function checkCallOptions<O extends CallOptions>(o: O): O {
  const owner = 'call options'
  if (typeof o !== 'object' || o === null) throw new TypeError(`${owner} must be an object, got ${describeValue(o)}`)
  knownKeysOnly(owner, o)
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
