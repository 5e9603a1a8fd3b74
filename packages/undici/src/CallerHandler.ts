import type { Dispatcher } from 'undici'
import type { UndiciResponseHead } from './UndiciResponseHead.ts'

/**
 * The caller's handler as the run calls it. undici types `onResponseError`'s error as an
 * `Error`; the run passes what the engine rejects with (an abort reason may be anything).
 */
export interface CallerHandler {
  onRequestStart?(controller: Dispatcher.DispatchController, context: unknown): void
  onResponseStart?(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: UndiciResponseHead['headers'],
    statusMessage?: string,
  ): void
  onResponseData?(controller: Dispatcher.DispatchController, chunk: Buffer): void
  onResponseEnd?(controller: Dispatcher.DispatchController, trailers: UndiciResponseHead['headers']): void
  onResponseError?(controller: Dispatcher.DispatchController, error: unknown): void
}
