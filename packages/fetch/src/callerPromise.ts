import { ownedPromise } from '@redress/core/adapter'
import type { FetchCall } from './FetchCall.ts'

// The caller's promise of a `FetchCall` and its settlement. The promise is made when the run may
// end without fetch answering (`ownedPromise`, whose resolvers the call keeps), or is the one
// derived from fetch's (see `FetchCall.send`); a run that ends before it is made keeps its outcome
// for it. Free functions of the call, which holds their state.

/** How a request's run ended: not yet, with a response, with an error. */
export type CallState = 0 | 1 | 2
export const RUNNING = 0
export const RESOLVED = 1
export const REJECTED = 2

/** The caller's promise, made once the run may end without fetch answering (or already ended). */
export function callerPromise(call: FetchCall): Promise<Response> {
  if (call.ended === RESOLVED) return Promise.resolve(call.outcome as Response)
  if (call.ended === REJECTED) return Promise.reject(call.outcome)
  return ownedPromise<Response>(call)
}

/** What the caller's promise derived from fetch's settles with, once the first attempt was reported. */
export function answerCaller(call: FetchCall): Response | Promise<Response> {
  if (call.ended === RESOLVED) return call.outcome as Response
  if (call.ended === REJECTED) throw call.outcome
  return callerPromise(call)
}

/** Ends the request: settles the caller's promise, or keeps the outcome for the one not made yet. */
export function settleCaller(call: FetchCall, state: typeof RESOLVED | typeof REJECTED, outcome: unknown): void {
  call.ended = state
  const resolve = call.resolveCaller
  const reject = call.rejectCaller
  if (resolve === undefined || reject === undefined) {
    call.outcome = outcome
    return
  }
  call.resolveCaller = call.rejectCaller = undefined
  if (state === RESOLVED) resolve(outcome as Response)
  else reject(outcome)
}
