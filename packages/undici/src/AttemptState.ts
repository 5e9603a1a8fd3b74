/**
 * Where an attempt is: waiting for its response (`pending`); its response `held` for the engine,
 * its body paused; `forwarding` the response to its sink (the caller, at once or once the engine
 * kept it); `discarding` (draining) a response nobody will see; or `closed`.
 */
export type AttemptState = 'pending' | 'held' | 'forwarding' | 'discarding' | 'closed'
