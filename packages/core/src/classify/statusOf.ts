import { safeGet } from './errorCodes.ts'

/**
 * The HTTP status a value carries directly: a numeric `status` (fetch `Response`, axios
 * response, most SDK errors) or `statusCode` (undici, Node), when it is an integer from
 * 100 to 599. Never throws.
 */
export function statusOf(value: unknown): number | undefined {
  for (const v of [safeGet(value, 'status'), safeGet(value, 'statusCode')]) {
    if (typeof v === 'number' && Number.isInteger(v) && v >= 100 && v <= 599) return v
  }
  return undefined
}
