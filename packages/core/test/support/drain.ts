import type { FakeClock } from '@redress/core/testing'

/** Marks a promise as handled now; awaiting it later still sees its rejection. */
export function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {})
  return p
}

/** Runs the fake clock until nothing is pending, then settles `p` (which may reject meanwhile). */
export async function drain<T>(clock: FakeClock, p: Promise<T>): Promise<T> {
  quiet(p)
  await clock.runAll()
  return p
}
