import type { CallerHandler } from './CallerHandler.ts'
import type { RedressRun } from './RedressRun.ts'
import type { UndiciHeaders } from './UndiciHeaders.ts'

/**
 * Passes an informational (1xx) response of the current attempt on to the caller's `handler`,
 * as undici passes it on: `onResponseStart` with the 1xx status (the final response follows on
 * the same request). undici aborts a request whose handler throws; the run ends with the error,
 * as it would.
 */
export function passInformational(
  run: RedressRun,
  handler: CallerHandler,
  statusCode: number,
  headers: UndiciHeaders,
  statusMessage: string | undefined,
): void {
  try {
    handler.onResponseStart?.(run, statusCode, headers, statusMessage)
  } catch (error) {
    run.abort(error)
  }
}
