// The operations the core benchmarks (coreRunner.ts, beforeAfter.ts) wrap, and their bare baselines.

/** An async function that resolves at once: the success path. */
export const fn = async (): Promise<number> => 1

/** A fresh function per call, which throws an `ECONNRESET` (transient to every classifier) on its first attempt only. */
export const failingOnce = (): (() => Promise<number>) => {
  let attempts = 0
  return async () => {
    if (attempts++ === 0) throw Object.assign(new Error('x'), { code: 'ECONNRESET' })
    return 1
  }
}

/** The hand-written baseline of the fails-once path: catch the first failure and call again. */
export async function catchAndCallAgain(): Promise<number> {
  const once = failingOnce()
  try {
    return await once()
  } catch {
    return await once()
  }
}
