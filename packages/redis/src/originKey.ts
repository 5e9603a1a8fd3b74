import { describeValue } from '@redress/core/adapter'

/**
 * The Redis key of one origin's budget or breaker: `<prefix>:<kind>:{<origin>}`. The origin is
 * the hash tag, so every key of one origin lands in one Redis Cluster slot, and different
 * origins spread over the cluster. Braces in the origin (which `URL.origin` never has) are
 * percent-encoded so the tag stays whole.
 *
 * @example
 * originKey('redress', 'budget', 'https://api.example.com') // 'redress:budget:{https://api.example.com}'
 */
export function originKey(prefix: string, kind: 'budget' | 'breaker', origin: string): string {
  return `${prefix}:${kind}:{${origin.replaceAll('{', '%7B').replaceAll('}', '%7D')}}`
}

/** Checks a factory's `prefix`: a non-empty string without braces. @throws TypeError naming `owner`. */
export function checkPrefix(owner: string, prefix: unknown): string {
  if (typeof prefix !== 'string' || prefix.length === 0 || /[{}]/.test(prefix)) {
    throw new TypeError(`${owner}: prefix must be a non-empty string without braces, got ${describeValue(prefix)}`)
  }
  return prefix
}

/** Checks a factory's `maxOrigins`: a whole number ≥ 1. @throws RangeError naming `owner`. */
export function checkMaxOrigins(owner: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`${owner}: maxOrigins must be a whole number >= 1, got ${describeValue(value)}`)
  }
  return value
}
