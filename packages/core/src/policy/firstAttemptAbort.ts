import { isolate } from '../guard/isolate.ts'
import { Attempt } from './Attempt.ts'
import { CallMore } from './CallMore.ts'
import { noop } from './noop.ts'
import type { PendingCall } from './PendingCall.ts'

// The first attempt's abort side (`PendingCall.signal`, `onAbort`, `abort`): its signal, its
// listeners and a sink's attempt. Free functions of the call, which holds their state; a call
// whose `fn` asks for neither its signal nor an abort listener runs none of them.

/** The part of the call only a signal, an abort, a second listener or a throttle needs: made then. */
export function moreOf<R>(c: PendingCall<R>): CallMore {
  c.more ??= new CallMore()
  return c.more
}

/** The attempt's signal, made when first asked for (aborted already if the attempt was). */
export function attemptSignal<R>(c: PendingCall<R>): AbortSignal {
  const more = moreOf(c)
  if (more.ctx === undefined) {
    more.ctx = new Attempt(1)
    if (more.aborted !== undefined) more.ctx.abort(more.aborted.reason)
  }
  return more.ctx.signal
}

/** Adds an abort listener: the first is kept on the call itself (no Attempt for it). */
export function onFirstAbort<R>(c: PendingCall<R>, listener: (reason: unknown) => void): () => void {
  const aborted = c.more?.aborted
  if (aborted !== undefined) {
    isolate(undefined, listener, undefined, aborted.reason)
    return noop
  }
  if (c.listener === undefined && c.more?.ctx === undefined) {
    c.listener = listener
    return () => {
      if (c.listener === listener) c.listener = undefined
    }
  }
  const more = moreOf(c)
  more.ctx ??= new Attempt(1)
  return more.ctx.onAbort(listener)
}

/** Aborts the attempt: its signal, its `onAbort` listeners and a sink's attempt (once). */
export function abortFirst<R>(c: PendingCall<R>, reason: unknown): void {
  const more = moreOf(c)
  if (more.aborted !== undefined) return
  more.aborted = { reason }
  // In the order an Attempt keeps: the signal, the first listener, the others.
  const ctx = more.ctx
  ctx?.abortSignal(reason)
  const listener = c.listener
  c.listener = undefined
  if (listener !== undefined) isolate(undefined, listener, undefined, reason)
  ctx?.abort(reason)
  const sent = c.sent
  if (sent !== undefined) isolate(undefined, sent.abandon, sent, reason)
}
