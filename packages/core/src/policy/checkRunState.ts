import { describeValue } from '../describeValue.ts'
import { isErrorClass } from '../ErrorClass.ts'
import { booleanOption, NON_NEGATIVE, numberOption, objectOption } from '../guard/validate.ts'
import type { RunState } from './RunState.ts'

const OWNER = 'policy.resume(state)'

/**
 * Checks a run state read back from storage (`policy.resume(state)`), in the validators' dialect.
 * @throws TypeError/RangeError naming the bad field, e.g. `policy.resume(state): attempts must be
 *   a number, got "2"`
 */
export function checkRunState(state: unknown): RunState {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new TypeError(`${OWNER}: state must be an object, got ${describeValue(state)}`)
  }
  const s = state as Readonly<Record<string, unknown>>
  if (s['v'] !== 1) throw new TypeError(`${OWNER}: v must be 1 (the state version), got ${describeValue(s['v'])}`)
  required('attempts', numberOption(OWNER, 'attempts', s['attempts'], { min: 0, integer: true }))
  required('startedAtMs', numberOption(OWNER, 'startedAtMs', s['startedAtMs'], NON_NEGATIVE))
  for (const k of ['deadlineAtMs', 'prevSleepMs'] as const) {
    if (s[k] !== null) required(k, numberOption(OWNER, k, s[k], NON_NEGATIVE), 'or null')
  }
  if (s['operation'] !== null && typeof s['operation'] !== 'string') {
    throw new TypeError(`${OWNER}: operation must be a string or null, got ${describeValue(s['operation'])}`)
  }
  required('done', booleanOption(OWNER, 'done', s['done']))
  if (s['lastClass'] !== null && !isErrorClass(s['lastClass'])) {
    throw new TypeError(`${OWNER}: lastClass must be an ErrorClass or null, got ${describeValue(s['lastClass'])}`)
  }
  const counts = required('classCounts', objectOption<object>(OWNER, 'classCounts', s['classCounts']))
  for (const [k, v] of Object.entries(counts)) {
    if (!isErrorClass(k)) throw new TypeError(`${OWNER}: classCounts.${k}: ${k} is not an ErrorClass`)
    numberOption(OWNER, `classCounts.${k}`, v, { min: 0, integer: true })
  }
  return state as RunState
}

/** A field the validators accepted as absent (`undefined`) is missing: the state is not a run's. */
function required<T>(name: string, value: T | undefined, or = ''): T {
  if (value === undefined)
    throw new TypeError(`${OWNER}: ${name} must be given${or === '' ? '' : ` (${or})`}, got undefined`)
  return value
}
