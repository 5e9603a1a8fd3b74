import { describeValue } from '../describeValue.ts'
import { msOption, numberOption, optionNames, optionsObject, stringOption } from '../guard/validate.ts'
import { type CallHedgeOptions, HEDGE_DEFAULTS, type ResolvedHedge } from './HedgeOptions.ts'

const KNOWN: ReadonlySet<string> = optionNames<CallHedgeOptions>({
  afterMs: true,
  quantile: true,
  maxHedges: true,
  latencyKey: true,
})

/**
 * Checks a `hedge` option (of a policy or of a call): an object of {@link CallHedgeOptions},
 * or `false`/`null` (off) or `undefined` (not given). Returns it, checked.
 *
 * @throws TypeError/RangeError naming `hedge.<field>` and the value
 */
export function hedgeOption(
  owner: string,
  value: unknown,
  name = 'hedge',
): CallHedgeOptions | false | null | undefined {
  if (value === undefined || value === null || value === false) return value
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(
      `${owner}: ${name} must be an object { afterMs?, quantile?, maxHedges? }, false or null, got ${describeValue(value)}`,
    )
  }
  const o = optionsObject(`${owner}: ${name}`, value, KNOWN) as CallHedgeOptions
  msOption(owner, `${name}.afterMs`, o.afterMs)
  numberOption(owner, `${name}.quantile`, o.quantile, { min: 0, minExclusive: true, max: 1 })
  if (o.quantile === 1) throw new RangeError(`${owner}: ${name}.quantile must be a number < 1, got 1`)
  numberOption(owner, `${name}.maxHedges`, o.maxHedges, { min: 1, integer: true })
  stringOption(owner, `${name}.latencyKey`, o.latencyKey)
  return o
}

/**
 * The hedging a run applies: the call's `hedge` merged over the policy's (fields given replace
 * the policy's), `undefined` when off. `call` must have been checked by {@link hedgeOption}.
 */
export function resolveHedge(
  policy: ResolvedHedge | undefined,
  call: CallHedgeOptions | false | null | undefined,
): ResolvedHedge | undefined {
  if (call === undefined) return policy
  if (call === null || call === false) return undefined
  return {
    afterMs: call.afterMs ?? policy?.afterMs,
    quantile: call.quantile ?? policy?.quantile ?? HEDGE_DEFAULTS.quantile,
    maxHedges: call.maxHedges ?? policy?.maxHedges ?? HEDGE_DEFAULTS.maxHedges,
    latencyKey: call.latencyKey ?? policy?.latencyKey,
  }
}

/** True when a call with this `hedge` option (given or not) may hedge under a policy that does (or not). */
export function hedgeRequested(policy: ResolvedHedge | undefined, call: unknown): boolean {
  return call === undefined ? policy !== undefined : call !== null && call !== false
}
