import { getHeader, type HeadersLike } from './headers/getHeader.ts'
import { trimHttpWhitespace } from './headers/trimHttpWhitespace.ts'

/**
 * The methods RFC 9110 §9.2.2 defines as idempotent, plus QUERY (draft-ietf-httpbis-safe-method-w-body),
 * in upper case. Repeating one of them has the same effect on the server as sending it once.
 */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'OPTIONS',
  'TRACE',
  'PUT',
  'DELETE',
  'QUERY',
])

/**
 * True when a request may be sent twice without a different effect: its method is idempotent
 * (GET HEAD OPTIONS TRACE PUT DELETE QUERY, case-insensitive), or it carries a non-empty
 * `Idempotency-Key` header (draft-ietf-httpapi-idempotency-key-header), whatever its method.
 * Never throws.
 *
 * @param method the request method
 * @param headers the request headers, in any {@link HeadersLike} shape
 *
 * @example
 * isIdempotent('get') // true
 * isIdempotent('POST', { 'Idempotency-Key': 'order-42' }) // true
 */
export function isIdempotent(method: string, headers?: HeadersLike | null): boolean {
  if (typeof method === 'string' && IDEMPOTENT_METHODS.has(method.toUpperCase())) return true
  const key = getHeader(headers, 'idempotency-key')
  return key !== undefined && trimHttpWhitespace(key) !== ''
}
