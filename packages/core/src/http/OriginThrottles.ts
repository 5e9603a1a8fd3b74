import type { Clock, RandomSource } from '../Clock.ts'
import { isolate } from '../guard/isolate.ts'
import { THROTTLE_METHODS } from '../policy/gateOptions.ts'
import { AdaptiveThrottle, type AdaptiveThrottleOptions } from '../throttle/AdaptiveThrottle.ts'
import type { AdmissionThrottle } from '../throttle/AdmissionThrottle.ts'
import type { HttpRequest } from './HttpRequest.ts'
import { MAX_TRACKED_ORIGINS } from './OriginBudgets.ts'
import { OriginLru, type OriginSlot, originMaker } from './OriginLru.ts'

/** What `OriginThrottles.forRequest` reads of a request run: its facts, and its origin (parsed only if needed). */
export interface OriginKeyed {
  readonly request: Pick<HttpRequest, 'url' | 'origin' | 'originHint'>
  readonly origin: string
}

/**
 * One client-side throttle per origin (`scheme://host:port`), so one overloaded upstream never
 * makes calls to a healthy one fail fast: a local `AdaptiveThrottle` each, or whatever
 * `throttleFor(origin)` makes. Bounded: past `maxOrigins`, the least recently used origin is
 * forgotten (a local throttle starts again empty; a factory is asked again).
 *
 * Looked up on every request's success path, so the lookup parses no URL when it can help it:
 * undici hands the origin over as a string (compared with the last origin looked up before the
 * map is asked), and a URL string to the same origin as the last
 * lookup is recognised by its prefix (no allocation), as is a URL built by a function when the
 * adapter gives a hint (axios: its absolute `url` or `baseURL`); a URL to another origin already
 * remembered is found by its `scheme://host[:port]` prefix (one short string). Anything else (a new
 * origin, a URL with a default port or upper-case host, a relative URL) parses once.
 */
export class OriginThrottles {
  readonly #throttles: OriginLru<AdmissionThrottle>
  readonly #make: (origin: string) => AdmissionThrottle
  #last: OriginSlot<AdmissionThrottle> | undefined
  // The last origin given as a string (undici's), kept apart: it may be spelled any way.
  #lastGiven: OriginSlot<AdmissionThrottle> | undefined

  /**
   * @param options the options of each origin's `AdaptiveThrottle` (with the policy's clock and
   *   random source), or a function making each origin's throttle (called once per remembered
   *   origin; one that throws or returns no throttle gives that origin a local `AdaptiveThrottle`)
   * @param maxOrigins how many origins to remember. @default 512
   * @throws TypeError/RangeError for bad `AdaptiveThrottle` options or `maxOrigins`.
   */
  constructor(
    options: AdaptiveThrottleOptions | ((origin: string) => AdmissionThrottle) = {},
    maxOrigins: number = MAX_TRACKED_ORIGINS,
  ) {
    this.#throttles = new OriginLru(maxOrigins, (origin) => {
      if (this.#last?.origin === origin) this.#last = undefined
      if (this.#lastGiven?.origin === origin) this.#lastGiven = undefined
    })
    this.#make = originMaker<AdmissionThrottle, AdaptiveThrottleOptions>(
      options,
      (o) => new AdaptiveThrottle(o),
      THROTTLE_METHODS,
    )
  }

  /** The throttle of `origin`, made on first use. */
  for(origin: string): AdmissionThrottle {
    return this.#throttles.slot(origin, this.#make).value
  }

  /** The throttle of a request's origin, without parsing its URL when it can be helped. */
  forRequest(run: OriginKeyed): AdmissionThrottle {
    const request = run.request
    // The origin first: an adapter's request may read the rest from options that are costly to read (undici's).
    const given = request.origin
    if (typeof given === 'string') {
      // undici hands the origin over as a string, often a new one per request: comparing it with
      // the last origin costs less than hashing it for the map.
      const last = this.#lastGiven
      if (last !== undefined && last.origin === given) {
        this.#throttles.touch(last)
        return last.value
      }
      const entry = this.#throttles.slot(given, this.#make)
      this.#lastGiven = entry
      return entry.value
    }
    const { url, originHint } = request
    // A URL string, or for a URL built by a function (axios), the adapter's hint.
    const key = typeof url === 'string' ? url : typeof url === 'function' ? originHint : undefined
    if (key !== undefined) {
      const last = this.#last
      if (last !== undefined && sameOrigin(key, last.origin)) {
        this.#throttles.touch(last)
        return last.value
      }
      // An origin seen before, spelled as it is kept (lower-case host, no default port), is found
      // by the URL's prefix: one short string, no parse, when requests alternate between origins.
      const prefix = originPrefix(key)
      const known = prefix === undefined ? undefined : this.#throttles.known(prefix)
      if (known !== undefined) {
        this.#last = known
        return known.value
      }
    }
    const entry = this.#throttles.slot((key !== undefined && key !== url && originOf(key)) || run.origin, this.#make)
    if (key !== undefined && sameOrigin(key, entry.origin)) this.#last = entry
    return entry.value
  }

  /** Origins currently tracked. */
  get size(): number {
    return this.#throttles.size
  }

  /** A read-only view for health endpoints: each origin's refusal probability now (throttles that show one). */
  toJSON(): Record<string, number> {
    const view: Record<string, number> = {}
    for (const [origin, entry] of this.#throttles.entries()) {
      const p = isolate(
        undefined,
        () => (entry.value as { readonly rejectionProbability?: unknown }).rejectionProbability,
      )
      if (typeof p === 'number') view[origin] = p
    }
    return view
  }
}

/** The origin of an absolute URL string, or `undefined` (a relative or malformed one). */
function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url).origin
    return origin === 'null' ? undefined : origin
  } catch {
    return undefined
  }
}

/** `scheme://authority` of an absolute URL string (what comes before its path, query or fragment), or `undefined`. */
function originPrefix(url: string): string | undefined {
  const scheme = url.indexOf('://')
  if (scheme <= 0) return undefined
  let end = scheme + 3
  while (end < url.length) {
    const c = url.charCodeAt(end)
    if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) break
    end++
  }
  return url.slice(0, end)
}

/** True when `url` is `origin` followed by nothing, a path, a query or a fragment. Allocates nothing. */
function sameOrigin(url: string, origin: string): boolean {
  if (!url.startsWith(origin)) return false
  if (url.length === origin.length) return true
  const c = url.charCodeAt(origin.length)
  return c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */
}

/** The per-origin throttle options with the policy's clock and random source, unless given. */
export function withPolicyTime(
  options: AdaptiveThrottleOptions | undefined,
  clock: Clock | undefined,
  random: RandomSource | undefined,
): AdaptiveThrottleOptions {
  const o: AdaptiveThrottleOptions = { ...options }
  if (o.clock === undefined && clock !== undefined) (o as { clock?: Clock }).clock = clock
  if (o.random === undefined && random !== undefined) (o as { random?: RandomSource }).random = random
  return o
}
