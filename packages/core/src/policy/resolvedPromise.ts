/**
 * An already resolved promise, to run something a microtask later (`RESOLVED.then(fn)`): a
 * promise reaction is cheaper than `queueMicrotask`, which Node routes through async_hooks.
 */
export const RESOLVED: Promise<void> = Promise.resolve()
