import type { Classification } from '../Classification.ts'
import { safeGet, walkCauses } from '../classify/errorCodes.ts'
import { ErrorClass } from '../ErrorClass.ts'
import { CONNECT_PHASE_ERROR_CODES, CONNECT_PHASE_SYSCALLS, NETWORK_ERROR_CODES } from './networkErrorCodes.ts'

/**
 * How far a request got before the network failed it: `'connect'` proves it never reached the
 * server (connection refused, DNS failure, connect timeout); `'unknown'` means it may have been
 * received and processed (a reset after sending, a response timeout).
 */
export type NetworkErrorPhase = 'connect' | 'unknown'

/** The `details` of a classification made by `classifyNetworkError`. */
export type NetworkErrorDetails = {
  /** The Node or undici error code found on the error or its causes (`'ECONNRESET'`); absent for a bare `TimeoutError`. */
  readonly code?: string
  /** How far the request got. */
  readonly phase: NetworkErrorPhase
}

/** A classification made by `classifyNetworkError`. */
export interface NetworkErrorClassification extends Classification {
  readonly errorClass: typeof ErrorClass.TRANSIENT
  readonly details: NetworkErrorDetails
}

/** How many members of an `AggregateError` (Node's happy-eyeballs connect) are looked at. */
const MAX_AGGREGATED_ERRORS = 8

/**
 * The messages of the `TypeError` a browser's fetch rejects with when the network fails before a
 * response: it carries no code, and the Fetch standard gives it no other mark. Matched exactly,
 * and only on a `TypeError`.
 */
const BROWSER_NETWORK_ERROR_MESSAGES: ReadonlySet<string> = new Set([
  'Failed to fetch', // Chromium (Chrome, Edge, Opera)
  'NetworkError when attempting to fetch resource.', // Firefox
  'Load failed', // Safari 17+
  'The Internet connection appears to be offline.', // Safari 16
  'The network connection was lost.', // Safari
  'Network request failed', // React Native, and the whatwg-fetch and cross-fetch polyfills
])

/** Chromium may name the host after its message: `Failed to fetch (api.example.com)`. */
const CHROMIUM_HOST_SUFFIXED = /^Failed to fetch \([^()]*\)$/

/**
 * Recognises a network failure: a Node or undici error code on the error, its `cause` chain
 * (`TypeError('fetch failed')` wraps the real error) or the members of an `AggregateError`; a
 * `TimeoutError` (`AbortSignal.timeout`, the engine's attempt timeout); or the code-less
 * `TypeError` a browser's fetch rejects with when the network fails before any response
 * (`Failed to fetch` in Chromium, `NetworkError when attempting to fetch resource.` in Firefox,
 * `Load failed` in Safari). Every one is TRANSIENT, with `details.code` (when there is one) and
 * `details.phase`: `'connect'` when the failure proves the request never reached the server (see
 * `provesNotProcessed`), else `'unknown'` — always so for a browser's error, which does not say
 * how far the request got (a POST is not retried after it). Returns `undefined` for anything
 * else, including aborts (`AbortError`) and HTTP status errors. Never throws.
 *
 * @example
 * classifyNetworkError(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }))
 * // { errorClass: 'TRANSIENT', details: { code: 'ECONNREFUSED', phase: 'connect' } }
 */
export function classifyNetworkError(error: unknown): NetworkErrorClassification | undefined {
  let code: string | undefined
  let connectPhase = false
  let timeout = false
  let browser = false
  walkCauses(error, (node) => {
    for (const candidate of withAggregatedErrors(node)) {
      const candidateCode = safeGet(candidate, 'code')
      if (typeof candidateCode === 'string' && NETWORK_ERROR_CODES.has(candidateCode)) {
        code ??= candidateCode
        const syscall = safeGet(candidate, 'syscall')
        if (
          CONNECT_PHASE_ERROR_CODES.has(candidateCode) ||
          (typeof syscall === 'string' && CONNECT_PHASE_SYSCALLS.has(syscall))
        ) {
          connectPhase = true
        }
      }
      const name = safeGet(candidate, 'name')
      if (name === 'TimeoutError') timeout = true
      else if (name === 'TypeError' && isBrowserNetworkMessage(safeGet(candidate, 'message'))) browser = true
    }
    return undefined
  })
  if (code === undefined && !timeout && !browser) return undefined
  const phase: NetworkErrorPhase = connectPhase ? 'connect' : 'unknown'
  return {
    errorClass: ErrorClass.TRANSIENT,
    details: code === undefined ? { phase } : { code, phase },
  }
}

function isBrowserNetworkMessage(message: unknown): boolean {
  return (
    typeof message === 'string' && (BROWSER_NETWORK_ERROR_MESSAGES.has(message) || CHROMIUM_HOST_SUFFIXED.test(message))
  )
}

function withAggregatedErrors(node: unknown): unknown[] {
  try {
    const errors = safeGet(node, 'errors')
    return Array.isArray(errors) ? [node, ...errors.slice(0, MAX_AGGREGATED_ERRORS)] : [node]
  } catch {
    // A revoked proxy makes even Array.isArray throw.
    return [node]
  }
}
