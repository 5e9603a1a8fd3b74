/**
 * The names of every process warning emitted while `run` goes on (e.g.
 * `MaxListenersExceededWarning`), in order. `process.emitWarning` emits on the next tick, so
 * the listener stays one macrotask after `run` settles.
 */
export async function warningsDuring(run: () => Promise<void>): Promise<string[]> {
  const seen: string[] = []
  const onWarning = (warning: Error): void => {
    seen.push(warning.name)
  }
  process.on('warning', onWarning)
  try {
    await run()
    await new Promise<void>((resolve) => setImmediate(resolve))
  } finally {
    process.off('warning', onWarning)
  }
  return seen
}
