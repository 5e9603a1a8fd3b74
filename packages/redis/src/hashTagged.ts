/**
 * `key` as is when it already has a Redis Cluster hash tag (a non-empty `{…}`), else wrapped in
 * one (`{key}`), so that keys derived from it (`…:failures`) hash to the same slot.
 *
 * @example
 * hashTagged('breaker:{payments}') // 'breaker:{payments}'
 * hashTagged('payments')           // '{payments}'
 */
export function hashTagged(key: string): string {
  const open = key.indexOf('{')
  if (open !== -1) {
    const close = key.indexOf('}', open + 1)
    if (close > open + 1) return key
  }
  return `{${key}}`
}
