import type { EventName } from '../events/EventName.ts'
import { isolate } from '../guard/isolate.ts'
import { DIAGNOSTICS_CHANNELS, type DiagnosticsMessage } from './diagnosticsChannels.ts'

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

// null = looked and found nothing; resolved on the first event, never at import time.
let channels: Map<EventName, DiagnosticsChannelLike> | null | undefined

function channelsOrNull(): Map<EventName, DiagnosticsChannelLike> | null {
  if (channels !== undefined) return channels
  const mod = loadDiagnosticsModule((globalThis as { process?: unknown }).process)
  if (mod === undefined) {
    channels = null
    return channels
  }
  const map = new Map<EventName, DiagnosticsChannelLike>()
  try {
    for (const [event, name] of Object.entries(DIAGNOSTICS_CHANNELS)) map.set(event as EventName, mod.channel(name))
  } catch {
    channels = null
    return channels
  }
  channels = map
  return channels
}

/**
 * The channel of `event` when someone subscribes to it, else `undefined`: callers check
 * this before building a message, so publishing costs one lookup when nobody listens.
 * Holding the Channel objects keeps them alive, so `subscribe(name)` reaches these.
 */
export function activeDiagnosticsChannel(event: EventName): DiagnosticsChannelLike | undefined {
  const channel = channelsOrNull()?.get(event)
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
  if (successChannel === undefined) successChannel = channelsOrNull()?.get('success' as EventName) ?? null
  return successChannel !== null && successChannel.hasSubscribers === true
}
