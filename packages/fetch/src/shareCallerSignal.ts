/**
 * The calls under way with one caller signal, once a second call shares it. The first takes the
 * caller's signal itself (a lone call, the usual case, pays for nothing more); every other one
 * takes a follower, and all the followers hang on one listener on the caller's signal. However
 * many calls share a signal, redress adds a bounded number of listeners to it (those of one call,
 * plus this one), where a listener per call would pass Node's limit of 10 and print a
 * `MaxListenersExceededWarning`.
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

  /** A new follower of the caller's signal, for one more call. */
  follow(): AbortSignal {
    const follower = new AbortController()
    if (this.followers.size === 0) this.#caller.addEventListener('abort', this.onAbort, { once: true })
    this.followers.set(follower.signal, follower)
    return follower.signal
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

/** What {@link SHARES} holds for a caller signal a single call uses: no share is made until a second one does. */
const ALONE = 0

/** The caller signals of calls under way: {@link ALONE}, or their share. */
const SHARES = new WeakMap<AbortSignal, SignalShare | typeof ALONE>()

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
    SHARES.set(caller, ALONE)
    return caller
  }
  if (share === ALONE) {
    const made = new SignalShare(caller)
    SHARES.set(caller, made)
    return made.follow()
  }
  if (!share.direct) {
    share.direct = true
    return caller
  }
  return share.follow()
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
  if (share === ALONE) {
    if (used === caller) SHARES.delete(caller)
    return
  }
  if (used === caller) share.direct = false
  else share.followers.delete(used)
  if (share.followers.size === 0) {
    caller.removeEventListener('abort', share.onAbort)
    // An aborted signal is done with: no call it is given can outlive the abort.
    if (!share.direct || caller.aborted) SHARES.delete(caller)
  }
}
