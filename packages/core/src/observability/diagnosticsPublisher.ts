import type { EventName } from '../events/EventName.ts'
import { isolate } from '../guard/isolate.ts'
import type { DiagnosticsMessage } from './diagnosticsChannels.ts'

/** The part of a `node:diagnostics_channel` Channel redress uses. */
export interface DiagnosticsChannelLike {
  readonly hasSubscribers: boolean
  publish(message: unknown): void
}

/** The part of the `node:diagnostics_channel` module redress uses. */
export interface DiagnosticsChannelModule {
  channel(name: string): DiagnosticsChannelLike
}

/**
 * Finds `node:diagnostics_channel` through `process.getBuiltinModule` (Node ≥ 20.16),
 * so that importing core never requires a Node module: in a browser, a worker or an
 * older runtime there is simply no channel.
 */
export function loadDiagnosticsModule(proc: unknown): DiagnosticsChannelModule | undefined {
  try {
    if (typeof proc !== 'object' || proc === null) return undefined
    const get: unknown = (proc as { getBuiltinModule?: unknown }).getBuiltinModule
    if (typeof get !== 'function') return undefined
    const mod: unknown = get.call(proc, 'node:diagnostics_channel')
    if (typeof mod !== 'object' || mod === null) return undefined
    return typeof (mod as { channel?: unknown }).channel === 'function' ? (mod as DiagnosticsChannelModule) : undefined
  } catch {
    return undefined
  }
}

// null = looked and found nothing (or a channel could not be made): no channels, ever. Looked
// for on the first event, never at import time.
let diagnostics: DiagnosticsChannelModule | null | undefined
// Each event's channel, made the first time the event is asked about. The name is built, not
// read from DIAGNOSTICS_CHANNELS (whose type pins every name to `redress:<event>`), so the engine
// does not ship that table.
const channels = new Map<EventName, DiagnosticsChannelLike>()

function channelOf(event: EventName): DiagnosticsChannelLike | undefined {
  const known = channels.get(event)
  if (known !== undefined) return known
  if (diagnostics === undefined) {
    diagnostics = loadDiagnosticsModule((globalThis as { process?: unknown }).process) ?? null
  }
  if (diagnostics === null) return undefined
  try {
    const channel = diagnostics.channel(`redress:${event}`)
    channels.set(event, channel)
    return channel
  } catch {
    diagnostics = null
    channels.clear()
    return undefined
  }
}

/**
 * The channel of `event` when someone subscribes to it, else `undefined`: callers check
 * this before building a message, so publishing costs one lookup when nobody listens.
 * Holding the Channel objects keeps them alive, so `subscribe(name)` reaches these.
 */
export function activeDiagnosticsChannel(event: EventName): DiagnosticsChannelLike | undefined {
  const channel = channelOf(event)
  return channel?.hasSubscribers === true ? channel : undefined
}

/**
 * Publishes one event. Node rethrows a subscriber's exception asynchronously (as an
 * uncaught exception), which is the channel's contract and not ours to change; the
 * synchronous path is still guarded so the run goes on unchanged.
 */
export function publishDiagnostics(channel: DiagnosticsChannelLike, message: DiagnosticsMessage): void {
  isolate(undefined, channel.publish, channel, message)
}

// The success channel, looked up once: every quiet call asks about it.
let successChannel: DiagnosticsChannelLike | null | undefined

/** True when someone subscribes to the `success` event's channel (checked on every quiet call). */
export function successSubscribed(): boolean {
  if (successChannel === undefined) successChannel = channelOf('success') ?? null
  return successChannel !== null && successChannel.hasSubscribers === true
}
