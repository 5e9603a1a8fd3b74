import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Classification, Classifier } from '../Classification.ts'
import { ErrorClass, isErrorClass } from '../ErrorClass.ts'
import { ConcurrencyError } from '../errors/ConcurrencyError.ts'
import { MarkerError } from '../errors/MarkerError.ts'
import { PermanentError } from '../errors/PermanentError.ts'
import { RateLimitError } from '../errors/RateLimitError.ts'
import { ServerError } from '../errors/ServerError.ts'
import { TransientError } from '../errors/TransientError.ts'
import { defaultClassifier } from './defaultClassifier.ts'
import { MAX_CAUSE_DEPTH, TRANSIENT_ERROR_CODES } from './errorCodes.ts'
import { strictClassifier } from './strictClassifier.ts'

function classOf(result: ErrorClass | Classification): ErrorClass {
  return typeof result === 'string' ? result : result.errorClass
}

function withProps(props: Record<string, unknown>, message = 'boom'): Error {
  return Object.assign(new Error(message), props)
}

function nest(inner: unknown, levels: number): unknown {
  let current = inner
  for (let i = 0; i < levels; i++) current = new Error(`wrapper ${i}`, { cause: current })
  return current
}

const STATUS_TABLE: ReadonlyArray<readonly [number, ErrorClass]> = [
  [401, ErrorClass.AUTH],
  [403, ErrorClass.PERMISSION],
  [400, ErrorClass.PERMANENT],
  [404, ErrorClass.PERMANENT],
  [422, ErrorClass.PERMANENT],
  [409, ErrorClass.CONCURRENCY],
  [408, ErrorClass.TRANSIENT],
  [429, ErrorClass.RATE_LIMIT],
  [500, ErrorClass.SERVER_ERROR],
  [502, ErrorClass.SERVER_ERROR],
  [503, ErrorClass.SERVER_ERROR],
  [504, ErrorClass.SERVER_ERROR],
  [599, ErrorClass.SERVER_ERROR],
]

const UNMAPPED_NUMBERS: readonly number[] = [200, 302, 402, 418, 425, 499, 600, 0, -1, 500.5, Number.NaN, Infinity]

function hostileValues(): unknown[] {
  const revocable = Proxy.revocable({}, {})
  revocable.revoke()
  const revokedFn = Proxy.revocable(() => undefined, {})
  revokedFn.revoke()
  // A handler whose every trap throws: the handler itself is a proxy answering any trap lookup with a thrower.
  const throwingHandler = new Proxy(
    {},
    {
      get: () => () => {
        throw new Error('trap')
      },
    },
  )
  const trapsThrow = new Proxy({}, throwingHandler)
  const handlerLookupThrows = new Proxy(
    {},
    new Proxy(
      {},
      {
        get: () => {
          throw new Error('handler lookup')
        },
      },
    ),
  )
  const throwingGetters = Object.defineProperties(
    {},
    Object.fromEntries(
      ['name', 'status', 'statusCode', 'code', 'response', 'cause', 'constructor', 'errorClass', 'retryAfterMs'].map(
        (key) => [
          key,
          {
            get: () => {
              throw new Error(`getter ${key}`)
            },
          },
        ],
      ),
    ),
  )
  const errorWithThrowingCause = new Error('outer')
  Object.defineProperty(errorWithThrowingCause, 'cause', {
    get: () => {
      throw new Error('cause getter')
    },
  })
  const cyclic: { name: string; cause?: unknown } = { name: 'Error' }
  cyclic.cause = { cause: cyclic }
  const selfCause = new Error('self')
  Object.defineProperty(selfCause, 'cause', { value: selfCause })
  const nullProto = Object.create(null) as Record<string, unknown>
  nullProto.name = 'TimeoutErrorish'
  const responseThrows = {
    response: new Proxy(
      {},
      {
        get: () => {
          throw new Error('response')
        },
      },
    ),
  }
  const nameIsObject = {
    name: {
      toString: () => {
        throw new Error('toString')
      },
    },
  }
  const markerWithThrowingClass = new (class extends MarkerError {
    override get errorClass(): ErrorClass {
      throw new Error('errorClass getter')
    }
    constructor() {
      super('m', 'ERR_TEST')
    }
  })()
  return [
    null,
    undefined,
    '',
    'ECONNRESET',
    'TimeoutError',
    0,
    503,
    Number.NaN,
    Symbol('s'),
    10n,
    true,
    () => undefined,
    function AuthThing() {},
    Object.freeze(new Error('frozen')),
    Object.freeze(withProps({ status: 503 })),
    revocable.proxy,
    revokedFn.proxy,
    trapsThrow,
    handlerLookupThrows,
    throwingGetters,
    errorWithThrowingCause,
    new Error('wraps hostile', { cause: trapsThrow }),
    new Error('wraps revoked', { cause: revocable.proxy }),
    cyclic,
    selfCause,
    nullProto,
    Object.create(null),
    responseThrows,
    nameIsObject,
    markerWithThrowingClass,
    new AggregateError([new Error('a')], 'agg'),
  ]
}

class HostileRef {
  constructor(readonly index: number) {}
}

class Shape {
  constructor(readonly fields: Record<string, unknown>) {}
}

const CLASSIFIERS: ReadonlyArray<readonly [string, Classifier]> = [
  ['defaultClassifier', defaultClassifier],
  ['strictClassifier', strictClassifier],
]

describe.each(CLASSIFIERS)('%s (rules shared by both)', (_name, classify) => {
  describe('rule 1: timeouts', () => {
    it('classifies an error named TimeoutError as TRANSIENT', () => {
      const error = new Error('too slow')
      error.name = 'TimeoutError'
      expect(classify(error)).toBe(ErrorClass.TRANSIENT)
    })

    it('classifies the DOMException thrown by AbortSignal.timeout() as TRANSIENT', () => {
      expect(classify(new DOMException('signal timed out', 'TimeoutError'))).toBe(ErrorClass.TRANSIENT)
    })

    it('lets a TimeoutError win over a status on the same error', () => {
      expect(classify(withProps({ name: 'TimeoutError', status: 404 }))).toBe(ErrorClass.TRANSIENT)
    })

    it('does not treat an AbortError as a timeout', () => {
      expect(classify(new DOMException('aborted', 'AbortError'))).toBe(ErrorClass.UNKNOWN)
    })
  })

  describe('rule 2: marker errors', () => {
    it.each([
      ['PermanentError', new PermanentError(), ErrorClass.PERMANENT],
      ['RateLimitError', new RateLimitError(), ErrorClass.RATE_LIMIT],
      ['ConcurrencyError', new ConcurrencyError(), ErrorClass.CONCURRENCY],
      ['ServerError', new ServerError(), ErrorClass.SERVER_ERROR],
      ['TransientError', new TransientError(), ErrorClass.TRANSIENT],
    ])('classifies a %s as its own class', (_label, error, expected) => {
      expect(classify(error)).toBe(expected)
    })

    it('carries a RateLimitError retryAfterMs into the classification', () => {
      expect(classify(new RateLimitError('slow down', { retryAfterMs: 1500 }))).toEqual({
        errorClass: ErrorClass.RATE_LIMIT,
        retryAfterMs: 1500,
      })
    })

    it('carries a zero retryAfterMs (retry at once) rather than dropping it', () => {
      expect(classify(new RateLimitError('now', { retryAfterMs: 0 }))).toEqual({
        errorClass: ErrorClass.RATE_LIMIT,
        retryAfterMs: 0,
      })
    })

    it('lets a marker win over a status on the same error', () => {
      expect(classify(Object.assign(new PermanentError(), { status: 503 }))).toBe(ErrorClass.PERMANENT)
    })

    it('ignores a marker whose errorClass is not a class and falls through to later rules', () => {
      const bogus = new (class extends MarkerError {
        override readonly errorClass = 'NOPE' as ErrorClass
        constructor() {
          super('bogus', 'ERR_TEST')
        }
      })()
      expect(classify(bogus)).toBe(ErrorClass.UNKNOWN)
      expect(classify(Object.assign(bogus, { status: 503 }))).toBe(ErrorClass.SERVER_ERROR)
    })

    it('does not trust a plain object that merely has an errorClass field', () => {
      expect(classify({ errorClass: ErrorClass.PERMANENT })).toBe(ErrorClass.UNKNOWN)
    })
  })

  describe('rule 3: numeric status', () => {
    for (const key of ['status', 'statusCode', 'code'] as const) {
      it.each(STATUS_TABLE)(`maps ${key} %i to %s`, (status, expected) => {
        expect(classify(withProps({ [key]: status }))).toBe(expected)
      })
    }

    it.each(STATUS_TABLE)('maps response.status %i to %s', (status, expected) => {
      expect(classify(withProps({ response: { status } }))).toBe(expected)
    })

    it.each(STATUS_TABLE)('maps status %i on a plain object to %s', (status, expected) => {
      expect(classify({ status })).toBe(expected)
    })

    it.each(UNMAPPED_NUMBERS)('lets the unmapped number %d fall through to UNKNOWN', (status) => {
      expect(classify(withProps({ status, statusCode: status, response: { status } }))).toBe(ErrorClass.UNKNOWN)
    })

    it('lets an unmapped status fall through to a later field', () => {
      expect(classify(withProps({ status: 418, response: { status: 503 } }))).toBe(ErrorClass.SERVER_ERROR)
    })

    it('lets an unmapped status fall through to the error-code rule', () => {
      expect(classify(withProps({ status: 418, syscall: 'read', code: 'ECONNRESET' }))).toBe(ErrorClass.TRANSIENT)
    })

    it('ignores a numeric string status', () => {
      expect(classify(withProps({ status: '503' }))).toBe(ErrorClass.UNKNOWN)
    })

    it('reads status before statusCode before code before response.status', () => {
      expect(classify(withProps({ status: 404, statusCode: 503, code: 429, response: { status: 401 } }))).toBe(
        ErrorClass.PERMANENT,
      )
      expect(classify(withProps({ statusCode: 503, code: 429, response: { status: 401 } }))).toBe(
        ErrorClass.SERVER_ERROR,
      )
      expect(classify(withProps({ code: 429, response: { status: 401 } }))).toBe(ErrorClass.RATE_LIMIT)
    })
  })

  describe('rule 4: Node and undici error codes', () => {
    it.each([...TRANSIENT_ERROR_CODES])('classifies code %s as TRANSIENT', (code) => {
      expect(classify(withProps({ code }))).toBe(ErrorClass.TRANSIENT)
    })

    it('classifies the shape of a real undici "fetch failed" TypeError by its cause', () => {
      const socket = withProps({ name: 'SocketError', code: 'UND_ERR_SOCKET' }, 'other side closed')
      expect(classify(new TypeError('fetch failed', { cause: socket }))).toBe(ErrorClass.TRANSIENT)
    })

    it.each(['ENOENT', 'EACCES', 'ERR_INVALID_ARG_TYPE', 'econnreset', ''])(
      'does not classify the code %j as TRANSIENT',
      (code) => {
        expect(classify(withProps({ code }))).toBe(ErrorClass.UNKNOWN)
      },
    )
  })

  describe('causes', () => {
    it.each([
      ['a TimeoutError', withProps({ name: 'TimeoutError' }), ErrorClass.TRANSIENT],
      ['a marker', new ConcurrencyError(), ErrorClass.CONCURRENCY],
      ['a status', withProps({ status: 401 }), ErrorClass.AUTH],
      ['a statusCode', withProps({ statusCode: 403 }), ErrorClass.PERMISSION],
      ['a response.status', withProps({ response: { status: 429 } }), ErrorClass.RATE_LIMIT],
      ['an error code', withProps({ code: 'ECONNREFUSED' }), ErrorClass.TRANSIENT],
    ])('finds %s three causes deep', (_label, inner, expected) => {
      expect(classOf(classify(nest(inner, 3)))).toBe(expected)
    })

    it('keeps a nested RateLimitError retryAfterMs', () => {
      expect(classify(nest(new RateLimitError('x', { retryAfterMs: 700 }), 2))).toEqual({
        errorClass: ErrorClass.RATE_LIMIT,
        retryAfterMs: 700,
      })
    })

    it('lets the outermost recognised link decide, even against a higher-priority rule deeper down', () => {
      const timeout = withProps({ name: 'TimeoutError' })
      expect(classify(new PermanentError('gave up', { cause: timeout }))).toBe(ErrorClass.PERMANENT)
      expect(classify(withProps({ status: 500, cause: new TransientError() }))).toBe(ErrorClass.SERVER_ERROR)
      expect(classify(withProps({ code: 'ECONNRESET', cause: withProps({ status: 404 }) }))).toBe(ErrorClass.TRANSIENT)
    })

    it('skips links that carry no fact and unmapped numbers on the way down', () => {
      const inner = withProps({ code: 'EPIPE' })
      expect(classify(withProps({ status: 418, cause: { cause: inner } }))).toBe(ErrorClass.TRANSIENT)
    })

    it(`follows at most ${MAX_CAUSE_DEPTH} levels of causes`, () => {
      const inner = withProps({ status: 503 })
      expect(classify(nest(inner, MAX_CAUSE_DEPTH))).toBe(ErrorClass.SERVER_ERROR)
      expect(classify(nest(inner, MAX_CAUSE_DEPTH + 1))).toBe(ErrorClass.UNKNOWN)
    })

    it('stops on a cyclic cause chain', () => {
      const a = new Error('a')
      const b = new Error('b', { cause: a })
      Object.defineProperty(a, 'cause', { value: b })
      expect(classify(a)).toBe(ErrorClass.UNKNOWN)
    })

    it('still classifies a cycle that contains a fact', () => {
      const a = new Error('a')
      const b = withProps({ code: 'ETIMEDOUT' })
      Object.defineProperty(a, 'cause', { value: b })
      Object.defineProperty(b, 'cause', { value: a })
      expect(classify(a)).toBe(ErrorClass.TRANSIENT)
    })
  })

  describe('never throws', () => {
    it.each(hostileValues().map((value, index) => [index, value] as const))(
      'answers a valid class for hostile value #%i',
      (_index, value) => {
        expect(isErrorClass(classOf(classify(value)))).toBe(true)
      },
    )

    it('classifies a frozen error by its facts', () => {
      expect(classify(Object.freeze(withProps({ status: 503 })))).toBe(ErrorClass.SERVER_ERROR)
    })

    it('classifies a null-prototype object by its facts', () => {
      const bare = Object.create(null) as Record<string, unknown>
      bare.code = 'ECONNRESET'
      expect(classify(bare)).toBe(ErrorClass.TRANSIENT)
    })

    it('skips a cause whose getter throws and still uses the outer facts', () => {
      const error = withProps({ statusCode: 409 })
      Object.defineProperty(error, 'cause', {
        get: () => {
          throw new Error('no')
        },
      })
      expect(classify(error)).toBe(ErrorClass.CONCURRENCY)
    })

    it.each([null, undefined, 'ECONNRESET', 503, Symbol('x'), () => undefined])(
      'answers UNKNOWN for the non-object %s',
      (value) => {
        expect(classify(value)).toBe(ErrorClass.UNKNOWN)
      },
    )

    it('answers a valid class for anything fast-check can build', () => {
      fc.assert(
        fc.property(
          fc.anything({
            withBigInt: true,
            withBoxedValues: true,
            withDate: true,
            withMap: true,
            withSet: true,
            withNullPrototype: true,
            withObjectString: true,
            withSparseArray: true,
            withTypedArray: true,
          }),
          (value) => isErrorClass(classOf(classify(value))),
        ),
        { numRuns: 2000 },
      )
    })

    it('answers a valid class for error-shaped values with arbitrary fields, causes and hostile members', () => {
      const hostiles = hostileValues()
      // fast-check probes every generated value for a clone method, which hostile values throw on;
      // so the arbitrary builds an inert plan and the property materialises it.
      const field = fc.oneof(
        fc.anything(),
        fc.nat({ max: hostiles.length - 1 }).map((index) => new HostileRef(index)),
        fc.integer({ min: 0, max: 700 }),
        fc.constantFrom(...TRANSIENT_ERROR_CODES, 'TimeoutError', 'AuthError', 'ConnectionError'),
      )
      const plan = fc.letrec((tie) => ({
        node: fc.oneof(
          { depthSize: 'small' },
          field,
          fc
            .record(
              {
                name: field,
                status: field,
                statusCode: field,
                code: field,
                response: fc.oneof(
                  field,
                  fc.record({ status: field }).map((fields) => new Shape(fields)),
                ),
                errorClass: field,
                cause: tie('node'),
              },
              { requiredKeys: [] },
            )
            .map((fields) => new Shape(fields)),
        ),
      })).node
      const materialise = (value: unknown): unknown => {
        if (value instanceof HostileRef) return hostiles[value.index]
        if (value instanceof Shape) {
          return Object.fromEntries(Object.entries(value.fields).map(([key, inner]) => [key, materialise(inner)]))
        }
        return value
      }
      fc.assert(
        fc.property(plan, (p) => isErrorClass(classOf(classify(materialise(p))))),
        { numRuns: 2000 },
      )
    })
  })
})
