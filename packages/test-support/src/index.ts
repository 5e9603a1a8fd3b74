export type {
  AdapterDriver,
  ConformanceBody,
  ConformanceClient,
  ConformanceClientOptions,
  ConformanceRequest,
  ConformanceResponse,
} from './adapterConformance.ts'
export { adapterConformance } from './adapterConformance.ts'
export { closedPortOrigin } from './closedPortOrigin.ts'
export { hedgeConformance } from './hedgeConformance.ts'
export type { MarkdownRow, MarkdownTable, MarkdownTableQuery, ReadmeDefaultsQuery } from './readmeDefaults.ts'
export { codeSpans, numbersIn, readMarkdownTables, readmeDefaults } from './readmeDefaults.ts'
export type { ScriptedHttpRunExtra } from './scriptedHttpRun.ts'
export { scriptedHttpRun } from './scriptedHttpRun.ts'
export type { FaultScript, FaultServer, FaultStep, RecordedRequest } from './startFaultServer.ts'
export { startFaultServer } from './startFaultServer.ts'
export type { HeldRequest, HeldServer } from './startHeldServer.ts'
export { startHeldServer } from './startHeldServer.ts'
export type { RangeRequest, RangeServer, RangeServerOptions, RangeStep, RangeValidator } from './startRangeServer.ts'
export { cutAt, cutOffsets, seededBytes, sha256, startRangeServer } from './startRangeServer.ts'
export type { VirtualPolicy } from './virtualPolicy.ts'
export { virtualPolicy } from './virtualPolicy.ts'
