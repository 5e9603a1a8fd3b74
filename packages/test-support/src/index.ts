export { closedPortOrigin } from './closedPortOrigin.ts'
export { scriptedHttpRun } from './scriptedHttpRun.ts'
export { startFaultServer } from './startFaultServer.ts'
export { virtualPolicy } from './virtualPolicy.ts'

export type { ScriptedHttpRunExtra } from './scriptedHttpRun.ts'
export type { FaultScript, FaultServer, FaultStep, RecordedRequest } from './startFaultServer.ts'
export type { VirtualPolicy } from './virtualPolicy.ts'
