/**
 * The calls under way with one caller signal. The first takes the caller's signal itself (a lone
 * call, the usual case, pays for nothing more); every other one takes a follower, and all the
 * followers hang on one listener on the caller's signal. However many calls share a signal,
 * redress adds a bounded number of listeners to it (those of one call, plus this one), where a
 * listener per call would pass Node's limit of 10 and print a `MaxListenersExceededWarning`.
 */
class SignalShare {
  /** True while one call uses the caller's signal itself. */
  direct = true
  /** The followers of the other calls, by the signal each call was given. */
  readonly followers: Map<AbortSignal, AbortController> = new Map()
  readonly #caller: AbortSignal

  constructor(caller: AbortSignal) {
    this.#caller = caller
  }

  /** The one listener on the caller's signal while there are followers: aborts them all with its reason. */
  readonly onAbort = (): void => {
    SHARES.delete(this.#caller)
    const reason: unknown = this.#caller.reason
    const followers = [...this.followers.values()]
    this.followers.clear()
    for (const follower of followers) follower.abort(reason)
  }
}

const SHARES = new WeakMap<AbortSignal, SignalShare>()

/**
 * The signal a call made with the caller's `signal` runs under: the caller's signal itself for
 * the first call under way with it (or when it is already aborted), else a follower that aborts,
 * with the same reason, when the caller's signal does. Hand both to {@link releaseCallerSignal}
 * when the call ends.
 */
export function shareCallerSignal(caller: AbortSignal): AbortSignal {
  if (typeof caller !== 'object' || caller === null || caller.aborted) return caller
  const share = SHARES.get(caller)
  if (share === undefined) {
    SHARES.set(caller, new SignalShare(caller))
    return caller
  }
  if (!share.direct) {
    share.direct = true
    return caller
  }
  const follower = new AbortController()
  if (share.followers.size === 0) caller.addEventListener('abort', share.onAbort, { once: true })
  share.followers.set(follower.signal, follower)
  return follower.signal
}

/**
 * Ends a call's use of the caller's signal (`used` being what {@link shareCallerSignal} gave it).
 * The listener on the caller's signal is removed with the last follower; the caller's signal is
 * forgotten with the last call. Never throws.
 */
export function releaseCallerSignal(caller: AbortSignal, used: AbortSignal): void {
  if (typeof caller !== 'object' || caller === null) return
  const share = SHARES.get(caller)
  if (share === undefined) return
  if (used === caller) share.direct = false
  else share.followers.delete(used)
  if (share.followers.size === 0) {
    caller.removeEventListener('abort', share.onAbort)
    // An aborted signal is done with: no call it is given can outlive the abort.
    if (!share.direct || caller.aborted) SHARES.delete(caller)
  }
}
