/** An object that keeps the resolvers of a promise made for it by {@link ownedPromise}. */
export interface PromiseOwner<T> {
  /** Receives the new promise's resolvers, synchronously, inside `ownedPromise`. */
  setResolvers(resolve: (value: T) => void, reject: (error: unknown) => void): void
}

/** The owner whose promise is being constructed (see `ownedPromise`). */
const CAPTURE: { owner: PromiseOwner<never> | undefined } = { owner: undefined }

/** The executor of every owned promise: `new Promise` runs it at once, inside `ownedPromise`. */
function captureResolvers(resolve: (value: never) => void, reject: (error: unknown) => void): void {
  const owner = CAPTURE.owner
  CAPTURE.owner = undefined
  owner?.setResolvers(resolve, reject)
}

/**
 * A new promise whose resolvers go to `owner.setResolvers`: one shared executor instead of a
 * closure per promise, for objects made once per call on the success path (the engine's pending
 * call, an adapter's request) that settle their caller's promise themselves.
 */
export function ownedPromise<T>(owner: PromiseOwner<T>): Promise<T> {
  CAPTURE.owner = owner as PromiseOwner<never>
  return new Promise<T>(captureResolvers as (resolve: (value: T) => void, reject: (error: unknown) => void) => void)
}
