/**
 * Throws `error` again outside the run, as an uncaught exception: an exception from the caller's
 * own handler, thrown while the run settles, must surface as undici's would, not vanish into a
 * promise nobody awaits.
 */
export function rethrowOutside(error: unknown): void {
  queueMicrotask(() => {
    throw error
  })
}
