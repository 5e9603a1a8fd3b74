import { TRANSIENT_ERROR_CODES } from '../classify/errorCodes.ts'

/**
 * Error codes that prove the request never reached the server: the name did not resolve, or
 * the connection was never established. A request failing so can be re-sent whatever its method.
 */
export const CONNECT_PHASE_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
  // c-ares' DNS timeout (dns.TIMEOUT), not to be confused with the socket's ETIMEDOUT.
  'ETIMEOUT',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
])

/**
 * The system calls whose failure happens before a byte of the request is written: an error
 * raised by `connect` (even `ETIMEDOUT`, a SYN that was never answered) or a DNS lookup proves
 * the request was not sent.
 */
export const CONNECT_PHASE_SYSCALLS: ReadonlySet<string> = new Set(['connect', 'getaddrinfo', 'lookup'])

/**
 * Every code `classifyNetworkError` recognises: the shared `TRANSIENT_ERROR_CODES` of the
 * core classifier, plus the connect-phase codes and a few the HTTP layer meets on its own.
 */
export const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  ...TRANSIENT_ERROR_CODES,
  ...CONNECT_PHASE_ERROR_CODES,
  // The connection was reset by the network rather than the peer.
  'ENETRESET',
])
