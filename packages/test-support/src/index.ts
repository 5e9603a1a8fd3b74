export type {
  AdapterDriver,
  ConformanceBody,
  ConformanceClient,
  ConformanceClientOptions,
  ConformanceRequest,
  ConformanceResponse,
} from './AdapterDriver.ts'
export { adapterConformance } from './adapterConformance.ts'
export { closedPortOrigin } from './closedPortOrigin.ts'
export type { SignalAndTimerCounts } from './countSignalsAndTimers.ts'
export { countSignalsAndTimers } from './countSignalsAndTimers.ts'
export { hedgeConformance } from './hedgeConformance.ts'
export type { HostileResponse } from './hostileUpstreamConformance.ts'
export { HOSTILE_RESPONSES, hostileUpstreamConformance } from './hostileUpstreamConformance.ts'
export type { LoopbackServer } from './listenLoopback.ts'
export { listenLoopback } from './listenLoopback.ts'
export { cutAt, cutOffsets, isPrefix, seededBytes, sha256 } from './rangeBodies.ts'
export type { MarkdownRow, MarkdownTable, MarkdownTableQuery, ReadmeDefaultsQuery } from './readmeDefaults.ts'
export { codeSpans, numbersIn, readMarkdownTables, readmeDefaults } from './readmeDefaults.ts'
export type { ReadBody } from './readToEnd.ts'
export { readToEnd, readUntil } from './readToEnd.ts'
export type { ScriptedHttpRunExtra } from './scriptedHttpRun.ts'
export { scriptedHttpRun } from './scriptedHttpRun.ts'
export type { FaultScript, FaultServer, FaultStep, RecordedRequest } from './startFaultServer.ts'
export { startFaultServer } from './startFaultServer.ts'
export type { HeldRequest, HeldServer } from './startHeldServer.ts'
export { startHeldServer } from './startHeldServer.ts'
export type { RangeRequest, RangeServer, RangeServerOptions, RangeStep, RangeValidator } from './startRangeServer.ts'
export { rangeServers, startRangeServer } from './startRangeServer.ts'
export type { RawServer, RawStep } from './startRawServer.ts'
export { EARLY_HINTS, response, startRawServer } from './startRawServer.ts'
export type { VirtualPolicy } from './virtualPolicy.ts'
export { virtualPolicy } from './virtualPolicy.ts'
export { WatchedClock } from './WatchedClock.ts'
export { warningsDuring } from './warningsDuring.ts'
