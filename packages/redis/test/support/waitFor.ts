/**
 * The longest a test waits for any one thing — a sync, an agent's answer, every process reaching
 * a state — in ms. Far above what it takes (milliseconds; a few seconds for a child process's
 * start on a busy machine), so a slow machine is not a failure; but bounded, so a hang fails with
 * a message naming what was awaited rather than with the test's timeout. A test's own timeout is
 * above the sum of its waits (`testTimeout`).
 */
export const WAIT_MS = 30_000

/** A test timeout for a test that makes up to `waits` bounded waits. */
export function testTimeout(waits: number): number {
  return waits * WAIT_MS + 10_000
}

/**
 * Polls `check` every few ms until it returns a value other than `undefined`/`false`, and
 * resolves with it; rejects with `what` after `timeoutMs`. For waiting on background syncs
 * without guessing how long they take.
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = WAIT_MS,
): Promise<T> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}
