/**
 * Marks the handlers of our own attempts, so a second redress interceptor in the chain (even
 * from another copy of this package) passes them through instead of multiplying attempts. On
 * the handler rather than the dispatch options: the options then go down the chain as the
 * caller gave them, uncopied and unmarked.
 */
export const ATTEMPT_BRAND: unique symbol = Symbol.for('@redress/undici.attempt') as never
