import { isolate } from '../guard/isolate.ts'
import type { AdmissionThrottle } from '../throttle/AdmissionThrottle.ts'
import type { DeferredCall } from './callFinish.ts'
import type { CallOptions } from './RetryOptions.ts'
import { type ResolvedPolicy, throttleOf } from './resolveOptions.ts'

/**
 * Asks the throttle of a quiet call (`PendingCall`), if any, to admit its first attempt: `false`
 * when it refuses; `true` when the call has no throttle, or a deferred call's own admitted it
 * (which it credits itself); else the throttle that admitted it, to be told how the call ended.
 * Without a throttle this costs a property load or two; with one, `admit()` (which for
 * `AdaptiveThrottle` only tests a flag while the backend accepts everything).
 */
export function admitFirst(
  p: ResolvedPolicy,
  call: CallOptions | undefined,
  deferred: DeferredCall | undefined,
): AdmissionThrottle | boolean {
  let throttle: AdmissionThrottle | undefined
  if (deferred === undefined) throttle = throttleOf(p, call)
  else {
    const own = deferred.admit?.()
    if (own !== undefined) return own
    throttle = p.throttle
  }
  if (throttle === undefined) return true
  return isolate(true, throttle.admit, throttle) === false ? false : throttle
}
