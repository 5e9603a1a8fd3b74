import {
  parseStructuredDictionary,
  parseStructuredList,
  type SfBareItem,
  type SfMember,
} from './parseStructuredField.ts'

/**
 * The delay, in milliseconds, that the IETF RateLimit fields ask for when a quota is exhausted.
 *
 * Reads `RateLimit` in the current draft's List form (draft-ietf-httpapi-ratelimit-headers-08+:
 * `"default";r=0;t=30`, one item per quota policy: `r` the remaining quota units, `t` the
 * seconds until the quota resets) and in draft-07's Dictionary form (`limit=100, remaining=0,
 * reset=30`). Both are RFC 9651 structured fields: any RFC 9651 value (a date `@…`, a display
 * string `%"…"`, a byte sequence `:…:`) may appear, in a member or a parameter, without hiding
 * the quota. Only exhausted quotas (`r=0`) ask for a delay — or, on a 429, a quota with no
 * remaining count at all, since the status says it is exhausted (a malformed count is no count); with several, the longest `t`
 * wins, since every exhausted quota must reset before a request can pass. When
 * `RateLimit-Policy` is present and names its policies, only `RateLimit` items naming one of
 * them count. Malformed fields (RFC 9651 §4.2), and items without integer `r` and `t`, are
 * ignored, as the draft says.
 *
 * @param rateLimit the `RateLimit` field value, if any
 * @param rateLimitPolicy the `RateLimit-Policy` field value, if any
 * @param tooManyRequests whether the response is a 429, on which a reset with no remaining count counts
 * @returns the delay in milliseconds, or `undefined` when no quota is exhausted
 *
 * @example
 * rateLimitDelayMs('"default";r=0;t=30', undefined, false) // 30_000
 */
export function rateLimitDelayMs(
  rateLimit: string | undefined,
  rateLimitPolicy: string | undefined,
  tooManyRequests: boolean,
): number | undefined {
  if (rateLimit === undefined) return undefined
  const list = parseStructuredList(rateLimit)
  if (list !== undefined) return fromPolicyItems(list, policyNames(rateLimitPolicy), tooManyRequests)
  const dictionary = parseStructuredDictionary(rateLimit)
  if (dictionary === undefined) return undefined
  const reset = integerOf(dictionary.get('reset'))
  return exhausted(integerOf(dictionary.get('remaining')), tooManyRequests) && reset !== undefined
    ? reset * 1000
    : undefined
}

function fromPolicyItems(
  members: readonly SfMember[],
  known: ReadonlySet<string> | undefined,
  tooManyRequests: boolean,
): number | undefined {
  let longestSeconds: number | undefined
  for (const member of members) {
    if (member.kind !== 'item') continue
    const name = nameOf(member.item)
    if (name === undefined || (known !== undefined && !known.has(name))) continue
    const resetSeconds = integerParam(member.params.get('t'))
    if (resetSeconds === undefined || !exhausted(integerParam(member.params.get('r')), tooManyRequests)) continue
    if (longestSeconds === undefined || resetSeconds > longestSeconds) longestSeconds = resetSeconds
  }
  return longestSeconds === undefined ? undefined : longestSeconds * 1000
}

/**
 * A quota is exhausted when its remaining count is 0; on a 429, also when it gives no count (or
 * a malformed one): the status says a quota is exhausted, and only a count above 0 says not this one.
 */
function exhausted(remaining: number | undefined, tooManyRequests: boolean): boolean {
  return remaining === 0 || (tooManyRequests && remaining === undefined)
}

/** The policy names `RateLimit-Policy` declares, or `undefined` to accept every name. */
function policyNames(rateLimitPolicy: string | undefined): ReadonlySet<string> | undefined {
  if (rateLimitPolicy === undefined) return undefined
  const members = parseStructuredList(rateLimitPolicy)
  if (members === undefined) return undefined
  const names = new Set<string>()
  for (const member of members) {
    const name = member.kind === 'item' ? nameOf(member.item) : undefined
    if (name !== undefined) names.add(name)
  }
  // Draft-07 policies (`100;w=60`) carry no names, so they cannot narrow anything down.
  return names.size === 0 ? undefined : names
}

function nameOf(item: SfBareItem): string | undefined {
  return item.kind === 'string' || item.kind === 'token' ? item.value : undefined
}

function integerOf(member: SfMember | undefined): number | undefined {
  return member?.kind === 'item' ? integerParam(member.item) : undefined
}

function integerParam(item: SfBareItem | undefined): number | undefined {
  return item?.kind === 'integer' && item.value >= 0 ? item.value : undefined
}
