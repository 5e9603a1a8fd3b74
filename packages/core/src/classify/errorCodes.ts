/**
 * Node and undici error codes that mean "the network or the peer failed in passing":
 * retrying may well succeed. Shared by `defaultClassifier` and `@redress/core/http`.
 */
export const TRANSIENT_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
  'ERR_NETWORK',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
])

/** How deep `walkCauses` follows `error.cause` before giving up. */
export const MAX_CAUSE_DEPTH = 8

/**
 * Reads `obj[key]` without ever throwing (hostile getters, revoked proxies).
 * Returns `undefined` for non-objects and on any exception.
 */
export function safeGet(obj: unknown, key: string): unknown {
  if ((typeof obj !== 'object' && typeof obj !== 'function') || obj === null) return undefined
  try {
    return (obj as Record<string, unknown>)[key]
  } catch {
    return undefined
  }
}

/**
 * Calls `visit` on `error`, then on `error.cause`, `error.cause.cause` … (at most
 * {@link MAX_CAUSE_DEPTH} levels, stopping on cycles) until `visit` returns something
 * other than `undefined`, which is returned. Never throws because of the values walked.
 */
export function walkCauses<T>(error: unknown, visit: (value: unknown) => T | undefined): T | undefined {
  const seen = new Set<unknown>()
  let current: unknown = error
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH; depth++) {
    if (current === undefined || current === null || seen.has(current)) return undefined
    seen.add(current)
    const found = visit(current)
    if (found !== undefined) return found
    current = safeGet(current, 'cause')
  }
  return undefined
}
