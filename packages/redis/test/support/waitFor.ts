/**
 * Polls `check` every few ms until it returns a value other than `undefined`/`false`, and
 * resolves with it; rejects with `what` after `timeoutMs`. For waiting on background syncs
 * without guessing how long they take.
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}
