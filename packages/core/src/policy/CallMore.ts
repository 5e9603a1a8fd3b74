import type { AdmissionThrottle } from '../throttle/AdmissionThrottle.ts'
import type { Attempt } from './Attempt.ts'

/**
 * The part of a pending call (`PendingCall`) only a caller's signal, an abort, a second abort
 * listener or a policy throttle needs: made then, so that a quiet call is one object.
 */
export class CallMore {
  // The attempt's signal and further abort listeners, made only when `fn` asks for them.
  ctx: Attempt | undefined
  aborted: { readonly reason: unknown } | undefined
  onCallerAbort: (() => void) | undefined
  // The throttle that admitted the call (not a deferred call's own, which it credits itself).
  throttle: AdmissionThrottle | undefined
}
