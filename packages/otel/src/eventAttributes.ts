import type { Attributes } from '@opentelemetry/api'
import type { EventTags } from '@redress/core'
import { OTEL_ATTRIBUTES as A } from './otelAttributes.ts'

/**
 * The low-cardinality attributes of one event, read from its tags. Unknown user tags are
 * left out on purpose: a metric's attribute set must stay bounded.
 */
export function eventAttributes(tags: EventTags, failed: boolean): Attributes {
  const out: Attributes = {}
  const operation = tags['operation']
  if (typeof operation === 'string') out[A.OPERATION] = operation
  const cls = tags['class']
  if (typeof cls === 'string') out[A.CLASS] = cls
  const stop = tags['stop_reason']
  if (typeof stop === 'string') out[A.STOP_REASON] = stop
  const method = tags['method']
  if (typeof method === 'string') out[A.HTTP_REQUEST_METHOD] = method
  const host = tags['host']
  if (typeof host === 'string') out[A.SERVER_ADDRESS] = host
  const status = tags['status']
  if (typeof status === 'number') out[A.HTTP_RESPONSE_STATUS_CODE] = status
  if (failed) {
    const type = errorType(tags)
    if (type !== undefined) out[A.ERROR_TYPE] = type
  }
  return out
}

/**
 * `error.type` as the semantic conventions describe it for HTTP clients: the status code
 * when it is an error status, else the error's own type (its code, e.g. `ECONNRESET`, or
 * name), else redress's class, else the stop reason (an abort or a rejection before
 * any failure).
 */
function errorType(tags: EventTags): string | undefined {
  const status = tags['status']
  if (typeof status === 'number' && status >= 400) return String(status)
  const err = tags['err']
  if (typeof err === 'string') return err
  const cls = tags['class']
  if (typeof cls === 'string') return cls
  const stop = tags['stop_reason']
  return typeof stop === 'string' ? stop : undefined
}
