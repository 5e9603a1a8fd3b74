import { describe, expect, it } from 'vitest'
import { createHttpAdapter } from '../adapter/index.ts'
import {
  AdaptiveThrottle,
  type AdmissionThrottle,
  type ErrorClass,
  isThrottledError,
  StopReason,
  ThrottledError,
} from '../index.ts'
import { FakeClock, seededRandom } from '../testing/index.ts'
import { httpPolicy } from './index.ts'
import { OriginThrottles } from './OriginThrottles.ts'

// Issue 16: a client-side throttle per origin under httpPolicy, asked before every request's
// first attempt — also on the adapters' success path.

const get = (url: string, origin?: string) => ({
  method: 'GET',
  url,
  origin,
  headers: undefined,
  oneShotBody: false,
  redress: undefined,
  signal: undefined,
})
const hooks = { release: () => {} }

/** A throttle that records what it is told, and refuses while `refusing`. */
class RecordingThrottle implements AdmissionThrottle {
  refusing = false
  readonly log: string[] = []
  admit(): boolean {
    this.log.push(this.refusing ? 'refuse' : 'admit')
    return !this.refusing
  }
  recordSuccess(): void {
    this.log.push('success')
  }
  recordFailure(errorClass: ErrorClass): void {
    this.log.push(`failure ${errorClass}`)
  }
}

describe('httpPolicy throttles', () => {
  it('gives each origin its own AdaptiveThrottle by default, on the policy clock', () => {
    const clock = new FakeClock()
    const policy = httpPolicy({ clock })
    expect(policy.throttlePerOrigin).toBe(true)
    const a = policy.throttleFor('https://a.example')
    expect(a).toBeInstanceOf(AdaptiveThrottle)
    expect(policy.throttleFor('https://a.example')).toBe(a)
    expect(policy.throttleFor('https://b.example')).not.toBe(a)
    expect(policy.throttles()).toEqual({ 'https://a.example': 0, 'https://b.example': 0 })
  })

  it('refuses requests to an origin that keeps failing, never sends them, and rejects with ThrottledError', async () => {
    const clock = new FakeClock()
    const policy = httpPolicy({ clock, random: seededRandom(5), maxAttempts: 1 })
    const adapter = createHttpAdapter({ policy }, 'test')
    let sent = 0
    let refused = 0
    for (let i = 0; i < 100; i++) {
      const response = await adapter
        .run(
          get('https://down.example/x'),
          async () => {
            sent++
            return { status: 503 }
          },
          hooks,
        )
        .catch((error: unknown) => error)
      if (isThrottledError(response)) refused++
      else expect(response).toEqual({ status: 503 })
      await clock.advance(100)
    }
    expect(sent + refused).toBe(100)
    // The first 10 calls are needed before any refusal (minRequests); then most are refused.
    expect(sent).toBeGreaterThanOrEqual(10)
    expect(refused).toBeGreaterThan(60)
    // A healthy origin of the same policy is not touched.
    const ok = await adapter.run(get('https://up.example/x'), async () => ({ status: 200 }), hooks)
    expect(ok).toEqual({ status: 200 })
    expect(policy.throttles()['https://up.example']).toBe(0)
  })

  it('asks the origin throttle on the quiet path and credits it once per successful request', async () => {
    const throttle = new RecordingThrottle()
    const policy = httpPolicy({ throttleFor: () => throttle, strategy: () => 0 })
    const adapter = createHttpAdapter({ policy }, 'test')
    await adapter.run(get('https://a.example/1'), async () => ({ status: 200 }), hooks)
    const statuses = [503, 200]
    await adapter.run(get('https://a.example/2'), async () => ({ status: statuses.shift() }), hooks)
    expect(throttle.log).toEqual(['admit', 'success', 'admit', 'success'])
  })

  it('emits the throttled event with the request tags when a listener is present', async () => {
    const throttle = new RecordingThrottle()
    throttle.refusing = true
    const events: [string, Record<string, unknown>][] = []
    const policy = httpPolicy({ throttleFor: () => throttle, onMetric: (e, _a, _s, tags) => events.push([e, tags]) })
    const adapter = createHttpAdapter({ policy }, 'test')
    let sent = false
    const error = await adapter
      .run(
        get('https://a.example/x'),
        async () => {
          sent = true
          return { status: 200 }
        },
        hooks,
      )
      .catch((e: unknown) => e)
    expect(sent).toBe(false)
    expect(error).toBeInstanceOf(ThrottledError)
    expect(events).toEqual([
      [
        'throttled',
        { operation: 'GET a.example', method: 'GET', host: 'a.example', stop_reason: StopReason.THROTTLED },
      ],
    ])
  })

  it('shares one throttle across origins with throttle: <throttle>, and has none with throttle: null', async () => {
    const shared = new RecordingThrottle()
    const policy = httpPolicy({ throttle: shared })
    expect(policy.throttlePerOrigin).toBe(false)
    expect(policy.throttleFor('https://a.example')).toBe(shared)
    const adapter = createHttpAdapter({ policy }, 'test')
    await adapter.run(get('https://a.example/x'), async () => ({ status: 200 }), hooks)
    await adapter.run(get('https://b.example/x'), async () => ({ status: 200 }), hooks)
    expect(shared.log).toEqual(['admit', 'success', 'admit', 'success'])
    const off = httpPolicy({ throttle: null })
    expect(off.throttleFor('https://a.example')).toBeUndefined()
    expect(off.throttles()).toEqual({})
  })

  it('passes adaptiveThrottle options to each origin’s throttle', () => {
    const policy = httpPolicy({ adaptiveThrottle: { k: 3, maxRequests: 50 } })
    const t = policy.throttleFor('https://a.example') as AdaptiveThrottle
    expect([t.k, t.maxRequests]).toEqual([3, 50])
  })

  it.each([
    ['throttleFor not a function', { throttleFor: 3 }, /throttleFor must be a function/],
    ['throttleFor with throttle', { throttleFor: () => new RecordingThrottle(), throttle: null }, /throttleFor/],
    ['adaptiveThrottle with throttle', { adaptiveThrottle: {}, throttle: null }, /adaptiveThrottle/],
    ['bad adaptiveThrottle options', { adaptiveThrottle: { k: 0 } }, /AdaptiveThrottle: k must be/],
    ['a throttle without admit', { throttle: { recordSuccess() {}, recordFailure() {} } }, /throttle must have/],
  ])('rejects %s at construction', (_name, options, message) => {
    expect(() => httpPolicy(options as never)).toThrow(message)
  })
})

describe('the default per-origin throttle on the success path', () => {
  it('parses the URL once per origin, draws no random number and reads its clock only at construction', async () => {
    const OriginalURL = globalThis.URL
    let parsed = 0
    globalThis.URL = class extends OriginalURL {
      constructor(url: string | URL, base?: string | URL) {
        super(url, base)
        parsed++
      }
    } as typeof URL
    try {
      let draws = 0
      const policy = httpPolicy({
        random: () => {
          draws++
          return 0.5
        },
      })
      const adapter = createHttpAdapter({ policy }, 'test')
      for (let i = 0; i < 200; i++) {
        const response = await adapter.run(get(`https://a.example/users/${i}`), async () => ({ status: 200 }), hooks)
        expect(response).toEqual({ status: 200 })
      }
      expect(parsed).toBe(1)
      expect(draws).toBe(0)
      // 200 accepts were counted while quiet, and fold in when asked.
      expect((policy.throttleFor('https://a.example') as AdaptiveThrottle).toJSON()).toMatchObject({
        requests: 20,
        accepts: 20,
        rejectionProbability: 0,
      })
    } finally {
      globalThis.URL = OriginalURL
    }
  })
})

/** Request runs for URL strings, counting how often a lookup falls back to parsing the URL. */
function countingParses() {
  let count = 0
  const run = (url: string) => ({
    request: { url, origin: undefined },
    get origin(): string {
      count++
      return new URL(url).origin
    },
  })
  return { run, parsed: () => count }
}

describe('OriginThrottles', () => {
  it('finds the throttle of a URL to the last origin by its prefix, without parsing the URL', () => {
    const throttles = new OriginThrottles({}, 4)
    const { run, parsed } = countingParses()
    const a = throttles.forRequest(run('https://a.example/1'))
    expect(throttles.forRequest(run('https://a.example/2?x'))).toBe(a)
    expect(throttles.forRequest(run('https://a.example#f'))).toBe(a)
    expect(throttles.forRequest(run('https://a.example'))).toBe(a)
    expect(parsed()).toBe(1)
    // Another origin — also one that only shares a prefix — is parsed.
    const b = throttles.forRequest(run('https://a.example.org/1'))
    expect(b).not.toBe(a)
    expect(parsed()).toBe(2)
    // Back to an origin already remembered: found by its prefix, not parsed.
    expect(throttles.forRequest(run('https://a.example/3'))).toBe(a)
    expect(parsed()).toBe(2)
  })

  it('parses no URL while requests alternate between origins it remembers', () => {
    const throttles = new OriginThrottles({}, 4)
    const { run, parsed } = countingParses()
    const a = throttles.forRequest(run('https://a.example/'))
    const b = throttles.forRequest(run('http://b.example:8080?q'))
    expect(parsed()).toBe(2)
    for (let i = 0; i < 50; i++) {
      expect(throttles.forRequest(run(`https://a.example/${i}`))).toBe(a)
      expect(throttles.forRequest(run(`http://b.example:8080/${i}#f`))).toBe(b)
    }
    expect(parsed()).toBe(2)
    // Spelled otherwise than the origin is kept (a default port, an upper-case host): parsed, same throttle.
    expect(throttles.forRequest(run('https://a.example:443/x'))).toBe(a)
    expect(throttles.forRequest(run('https://A.EXAMPLE/x'))).toBe(a)
    expect(parsed()).toBe(4)
  })

  it('keys a URL built by a function by the adapter’s hint, never calling the function (axios)', () => {
    const throttles = new OriginThrottles()
    let built = 0
    const run = (path: string) => ({
      request: {
        url: () => {
          built++
          return `https://api.example${path}`
        },
        origin: undefined,
        originHint: 'https://api.example/v1/',
      },
      get origin(): string {
        built++
        return 'https://api.example'
      },
    })
    const first = throttles.forRequest(run('/v1/a'))
    for (let i = 0; i < 50; i++) expect(throttles.forRequest(run(`/v1/${i}`))).toBe(first)
    expect(built).toBe(0)
    expect(throttles.for('https://api.example')).toBe(first)
  })

  it('uses a given origin string as it is (undici)', () => {
    const throttles = new OriginThrottles()
    const run = { request: { url: '/x', origin: 'http://127.0.0.1:9' }, origin: 'unused' }
    expect(throttles.forRequest(run)).toBe(throttles.for('http://127.0.0.1:9'))
  })

  it('finds a given origin string equal to the last one without asking the map, and never hands out a forgotten one', () => {
    const throttles = new OriginThrottles({}, 1)
    const given = (origin: string) => ({ request: { url: '/x', origin }, origin: 'unused' })
    // A new string per request, as undici makes one: found by equality, not by identity.
    const a = throttles.forRequest(given(['http://a.example', ':8080'].join('')))
    expect(throttles.forRequest(given(['http://a.example', ':8080'].join('')))).toBe(a)
    // Another origin evicts a (maxOrigins 1): a comes back as a new throttle, not the forgotten one.
    const b = throttles.forRequest(given('http://b.example'))
    expect(b).not.toBe(a)
    const again = throttles.forRequest(given('http://a.example:8080'))
    expect(again).not.toBe(a)
    expect(throttles.for('http://a.example:8080')).toBe(again)
    expect(throttles.size).toBe(1)
  })

  it('forgets the least recently used origin past maxOrigins', () => {
    const throttles = new OriginThrottles({}, 2)
    const a = throttles.for('https://a.example')
    throttles.for('https://b.example')
    throttles.for('https://a.example')
    throttles.for('https://c.example')
    expect(throttles.size).toBe(2)
    expect(throttles.for('https://a.example')).toBe(a)
    expect(Object.keys(throttles.toJSON()).sort()).toEqual(['https://a.example', 'https://c.example'])
  })

  it('gives an origin a local AdaptiveThrottle when the factory throws or returns no throttle', () => {
    const throwing = new OriginThrottles(() => {
      throw new Error('down')
    })
    expect(throwing.for('https://a.example')).toBeInstanceOf(AdaptiveThrottle)
    const empty = new OriginThrottles(() => ({}) as never)
    expect(empty.for('https://a.example')).toBeInstanceOf(AdaptiveThrottle)
  })

  it('rejects a bad maxOrigins', () => {
    expect(() => new OriginThrottles({}, 0)).toThrow(RangeError)
  })
})
