/** Does nothing: what an unsubscribe or disarm returns when there is nothing to undo. */
export const noop = (): void => {}
