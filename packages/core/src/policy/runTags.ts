import { safeGet } from '../classify/errorCodes.ts'
import { statusOf } from '../classify/statusOf.ts'
import type { ErrorClass } from '../ErrorClass.ts'
import type { EventTags } from './hooks.ts'

/** The HTTP status an error or a response carries, itself or on its `response` (axios errors). */
export function statusTagOf(value: unknown): number | undefined {
  return statusOf(value) ?? statusOf(safeGet(value, 'response'))
}

/** The `err` tag: the error's `code`, else its `name` (short strings only: tags must stay low-cardinality). */
function errTag(error: unknown): string | undefined {
  const code = safeGet(error, 'code')
  if (typeof code === 'string' && code.length > 0 && code.length <= 64) return code
  const name = safeGet(error, 'name')
  return typeof name === 'string' && name.length > 0 && name.length <= 64 ? name : undefined
}

/** The tags of an event about the last failure: its class, `err`, cause and status. */
export function failureTags(
  lastClass: ErrorClass | null | undefined,
  cause: 'error' | 'result' | undefined,
  error: unknown,
  status: number | undefined,
): EventTags {
  return {
    class: lastClass ?? undefined,
    err: cause === 'error' ? errTag(error) : undefined,
    cause,
    status,
  }
}

/**
 * An event's tags: the run's tags, then `extra` (undefined values skipped), then the last
 * status unless `extra` set one; no key is left with an undefined value.
 */
export function eventTags(base: EventTags, extra: EventTags, lastStatus: number | undefined): EventTags {
  const tags: Record<string, string | number | undefined> = { ...base }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) tags[k] = v
  if (tags['status'] === undefined && lastStatus !== undefined) tags['status'] = lastStatus
  for (const k of Object.keys(tags)) if (tags[k] === undefined) delete tags[k]
  return tags
}

/** The `error` log field: the error's message, or the error itself when it is a string. */
export function errorMessageOf(error: unknown): string | undefined {
  const m = safeGet(error, 'message')
  if (typeof m === 'string') return m
  return typeof error === 'string' ? error : undefined
}
