import type { AttemptHandler } from './AttemptHandler.ts'

/** How the caller aborted the run: its reason, or undici's abort error when it gave none. */
export type CallerAbort = { readonly reason: unknown }

/** The part of a run only a hedge, a caller's signal, an abort or a cut body needs. */
export class RunMore {
  // Every attempt of a hedged run: several may be in flight at once, and any may end the run.
  racing: AttemptHandler[] | undefined
  unlistenSignal: (() => void) | undefined
  callerAbort: CallerAbort | undefined
  // The continuation spliced into the body after the latest cut, and whether a resume is in flight.
  continuation: AttemptHandler | undefined
  resuming = false
}
