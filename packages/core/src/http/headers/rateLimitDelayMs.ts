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
 * reset=30`). Only exhausted quotas (`r=0`) ask for a delay; with several, the longest `t`
 * wins, since every exhausted quota must reset before a request can pass. When
 * `RateLimit-Policy` is present and names its policies, only `RateLimit` items naming one of
 * them count. Malformed fields, and items without integer `r` and `t`, are ignored, as the draft says.
 *
 * @param rateLimit the `RateLimit` field value, if any
 * @param rateLimitPolicy the `RateLimit-Policy` field value, if any
 * @returns the delay in milliseconds, or `undefined` when no quota is exhausted
 *
 * @example
 * rateLimitDelayMs('"default";r=0;t=30', undefined) // 30_000
 */
export function rateLimitDelayMs(
  rateLimit: string | undefined,
  rateLimitPolicy: string | undefined,
): number | undefined {
  if (rateLimit === undefined) return undefined
  const list = parseStructuredList(rateLimit)
  if (list !== undefined) return fromPolicyItems(list, policyNames(rateLimitPolicy))
  const dictionary = parseStructuredDictionary(rateLimit)
  if (dictionary === undefined) return undefined
  const remaining = integerOf(dictionary.get('remaining'))
  const reset = integerOf(dictionary.get('reset'))
  return remaining === 0 && reset !== undefined ? reset * 1000 : undefined
}

function fromPolicyItems(members: readonly SfMember[], known: ReadonlySet<string> | undefined): number | undefined {
  let longestSeconds: number | undefined
  for (const member of members) {
    if (member.kind !== 'item') continue
    const name = nameOf(member.item)
    if (name === undefined || (known !== undefined && !known.has(name))) continue
    const remaining = integerParam(member.params.get('r'))
    const resetSeconds = integerParam(member.params.get('t'))
    if (remaining !== 0 || resetSeconds === undefined) continue
    if (longestSeconds === undefined || resetSeconds > longestSeconds) longestSeconds = resetSeconds
  }
  return longestSeconds === undefined ? undefined : longestSeconds * 1000
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
