import { safeGet } from './errorCodes.ts'

/**
 * The HTTP status a value carries directly: a numeric `status` (fetch `Response`, axios
 * response, most SDK errors) or `statusCode` (undici, Node), when it is an integer from
 * 100 to 599. Never throws.
 */
export function statusOf(value: unknown): number | undefined {
  // No array of candidates: adapters call this on every response, success path included.
  const status = safeGet(value, 'status')
  if (isStatus(status)) return status
  const statusCode = safeGet(value, 'statusCode')
  return isStatus(statusCode) ? statusCode : undefined
}

function isStatus(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 100 && v <= 599
}
