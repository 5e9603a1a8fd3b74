import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ErrorClass } from '../ErrorClass.ts'
import { FakeClock } from '../testing/FakeClock.ts'
import { CIRCUIT_BREAKER_DEFAULTS, CircuitBreaker, type CircuitBreakerOptions } from './CircuitBreaker.ts'
import type { BreakerAdmission, BreakerOutcome, CircuitState } from './CircuitBreakerLike.ts'

const SUCCESS: BreakerOutcome = { kind: 'success' }
const NEUTRAL: BreakerOutcome = { kind: 'neutral' }
const fail = (errorClass: ErrorClass): BreakerOutcome => ({ kind: 'failure', errorClass })

function setup(options: CircuitBreakerOptions = {}): { clock: FakeClock; breaker: CircuitBreaker } {
  const clock = new FakeClock()
  return { clock, breaker: new CircuitBreaker({ clock, ...options }) }
}

/** Runs one admitted operation that ends with `outcome`; returns what record() answered. */
function run(breaker: CircuitBreaker, outcome: BreakerOutcome): CircuitState | undefined {
  const admission = breaker.admit()
  expect(admission.allowed).toBe(true)
  return breaker.record(outcome, admission)
}

function openBreaker(breaker: CircuitBreaker): void {
  while (breaker.state === 'closed') run(breaker, fail(ErrorClass.TRANSIENT))
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('CircuitBreaker: closed', () => {
  it('opens when trip-class failures within the window reach failureThreshold', () => {
    const { breaker } = setup({ failureThreshold: 3 })
    expect(run(breaker, fail(ErrorClass.TRANSIENT))).toBeUndefined()
    expect(run(breaker, fail(ErrorClass.SERVER_ERROR))).toBeUndefined()
    expect(breaker.state).toBe('closed')
    expect(run(breaker, fail(ErrorClass.TRANSIENT))).toBe('open')
    expect(breaker.state).toBe('open')
  })

  it('forgets failures older than windowMs', async () => {
    const { clock, breaker } = setup({ failureThreshold: 2, windowMs: 1_000 })
    run(breaker, fail(ErrorClass.TRANSIENT))
    await clock.advance(1_000)
    expect(run(breaker, fail(ErrorClass.TRANSIENT))).toBeUndefined()
    await clock.advance(999)
    expect(run(breaker, fail(ErrorClass.TRANSIENT))).toBe('open')
  })

  it.each([ErrorClass.PERMANENT, ErrorClass.AUTH, ErrorClass.PERMISSION, ErrorClass.RATE_LIMIT, ErrorClass.UNKNOWN])(
    'does not count %s failures by default',
    (errorClass) => {
      const { breaker } = setup({ failureThreshold: 1 })
      for (let i = 0; i < 10; i++) run(breaker, fail(errorClass))
      expect(breaker.state).toBe('closed')
    },
  )

  it('does not erase counted failures on a success (the count is per window, not consecutive)', () => {
    const { breaker } = setup({ failureThreshold: 2 })
    run(breaker, fail(ErrorClass.TRANSIENT))
    run(breaker, SUCCESS)
    expect(run(breaker, fail(ErrorClass.TRANSIENT))).toBe('open')
  })

  it('counts only the classes in tripOn', () => {
    const { breaker } = setup({ failureThreshold: 1, tripOn: [ErrorClass.RATE_LIMIT] })
    run(breaker, fail(ErrorClass.TRANSIENT))
    expect(breaker.state).toBe('closed')
    expect(run(breaker, fail(ErrorClass.RATE_LIMIT))).toBe('open')
  })

  it('opens when one class reaches its own classThresholds entry', () => {
    const { breaker } = setup({ failureThreshold: 5, classThresholds: { [ErrorClass.RATE_LIMIT]: 2 } })
    run(breaker, fail(ErrorClass.TRANSIENT))
    run(breaker, fail(ErrorClass.RATE_LIMIT))
    expect(breaker.state).toBe('closed')
    expect(run(breaker, fail(ErrorClass.RATE_LIMIT))).toBe('open')
  })

  it('counts a class listed in classThresholds towards failureThreshold too', () => {
    const { breaker } = setup({ failureThreshold: 3, classThresholds: { [ErrorClass.CONCURRENCY]: 10 } })
    run(breaker, fail(ErrorClass.CONCURRENCY))
    run(breaker, fail(ErrorClass.TRANSIENT))
    expect(run(breaker, fail(ErrorClass.CONCURRENCY))).toBe('open')
  })

  it('lets a class threshold count only failures inside the window', async () => {
    const { clock, breaker } = setup({ windowMs: 100, classThresholds: { [ErrorClass.RATE_LIMIT]: 2 } })
    run(breaker, fail(ErrorClass.RATE_LIMIT))
    await clock.advance(100)
    run(breaker, fail(ErrorClass.RATE_LIMIT))
    expect(breaker.state).toBe('closed')
  })

  it('counts the outcome of an operation admitted earlier, when it ends', () => {
    const { breaker } = setup({ failureThreshold: 2 })
    const slow = breaker.admit()
    run(breaker, fail(ErrorClass.TRANSIENT))
    expect(breaker.record(fail(ErrorClass.SERVER_ERROR), slow)).toBe('open')
  })

  it('ignores a record for an admission that was refused', async () => {
    const { clock, breaker } = setup({ failureThreshold: 1, recoveryTimeoutMs: 1_000 })
    openBreaker(breaker)
    const refused = breaker.admit()
    expect(refused.allowed).toBe(false)
    await clock.advance(1_000)
    breaker.admit() // the probe
    expect(breaker.record(SUCCESS, refused)).toBeUndefined()
    expect(breaker.state).toBe('half_open')
  })
})

describe('CircuitBreaker: open and half-open', () => {
  it('rejects while open, with the time left until a probe', async () => {
    const { clock, breaker } = setup({ failureThreshold: 1, recoveryTimeoutMs: 30_000 })
    openBreaker(breaker)
    expect(breaker.admit()).toEqual({ allowed: false, probe: false, retryInMs: 30_000 })
    await clock.advance(29_000)
    expect(breaker.admit()).toEqual({ allowed: false, probe: false, retryInMs: 1_000 })
  })

  it('does not move to half-open when only its state is read', async () => {
    const { clock, breaker } = setup({ failureThreshold: 1, recoveryTimeoutMs: 1_000 })
    openBreaker(breaker)
    await clock.advance(5_000)
    expect(breaker.state).toBe('open')
    expect(breaker.state).toBe('open')
  })

  it('turns half-open on the first admit after recoveryTimeoutMs and lets exactly one probe through', async () => {
    const { clock, breaker } = setup({ failureThreshold: 1, recoveryTimeoutMs: 1_000 })
    openBreaker(breaker)
    await clock.advance(1_000)
    expect(breaker.admit()).toEqual({ allowed: true, probe: true, transition: 'half_open' })
    expect(breaker.state).toBe('half_open')
    expect(breaker.admit()).toEqual({ allowed: false, probe: false })
    expect(breaker.admit().allowed).toBe(false)
  })

  it('probes on the next admit when recoveryTimeoutMs is 0', async () => {
    const { breaker } = setup({ failureThreshold: 1, recoveryTimeoutMs: 0 })
    openBreaker(breaker)
    expect(breaker.admit().probe).toBe(true)
  })

  it.each<[string, BreakerOutcome, CircuitState | undefined, CircuitState]>([
    ['a success closes it', SUCCESS, 'closed', 'closed'],
    ['a TRANSIENT failure re-opens it', fail(ErrorClass.TRANSIENT), 'open', 'open'],
    ['a SERVER_ERROR failure re-opens it', fail(ErrorClass.SERVER_ERROR), 'open', 'open'],
    ['a PERMANENT failure (the server answered) closes it', fail(ErrorClass.PERMANENT), 'closed', 'closed'],
    ['a RATE_LIMIT failure (not a trip class) closes it', fail(ErrorClass.RATE_LIMIT), 'closed', 'closed'],
    ['a neutral outcome leaves it half-open', NEUTRAL, undefined, 'half_open'],
  ])('probe verdict: %s', async (_name, outcome, answer, state) => {
    const { clock, breaker } = setup({ failureThreshold: 1, recoveryTimeoutMs: 1_000 })
    openBreaker(breaker)
    await clock.advance(1_000)
    const probe = breaker.admit()
    expect(breaker.record(outcome, probe)).toBe(answer)
    expect(breaker.state).toBe(state)
  })

  it('re-opens with a fresh recovery timeout when the probe fails', async () => {
    const { clock, breaker } = setup({ failureThreshold: 1, recoveryTimeoutMs: 1_000 })
    openBreaker(breaker)
    await clock.advance(5_000)
    const probe = breaker.admit()
    await clock.advance(300)
    breaker.record(fail(ErrorClass.TRANSIENT), probe)
    expect(breaker.admit()).toEqual({ allowed: false, probe: false, retryInMs: 1_000 })
  })

  it('hands the probe to the next admit after an aborted probe', async () => {
    const { clock, breaker } = setup({ failureThreshold: 1, recoveryTimeoutMs: 1_000 })
    openBreaker(breaker)
    await clock.advance(1_000)
    const first = breaker.admit()
    breaker.record(NEUTRAL, first)
    expect(breaker.admit()).toEqual({ allowed: true, probe: true })
    expect(breaker.admit().allowed).toBe(false)
  })

  it('ignores a released probe that reports again', async () => {
    const { clock, breaker } = setup({ failureThreshold: 1, recoveryTimeoutMs: 1_000 })
    openBreaker(breaker)
    await clock.advance(1_000)
    const stale = breaker.admit()
    breaker.record(NEUTRAL, stale)
    const probe = breaker.admit()
    expect(breaker.record(SUCCESS, stale)).toBeUndefined()
    expect(breaker.state).toBe('half_open')
    expect(breaker.record(SUCCESS, probe)).toBe('closed')
  })

  it('does not let operations admitted while closed decide in half-open', async () => {
    const { clock, breaker } = setup({ failureThreshold: 1, recoveryTimeoutMs: 1_000 })
    const earlyA = breaker.admit()
    const earlyB = breaker.admit()
    openBreaker(breaker)
    await clock.advance(1_000)
    breaker.admit()
    expect(breaker.record(SUCCESS, earlyA)).toBeUndefined()
    expect(breaker.record(fail(ErrorClass.TRANSIENT), earlyB)).toBeUndefined()
    expect(breaker.state).toBe('half_open')
  })

  it('ignores outcomes that arrive while open', async () => {
    const { breaker } = setup({ failureThreshold: 1 })
    const early = breaker.admit()
    openBreaker(breaker)
    expect(breaker.record(SUCCESS, early)).toBeUndefined()
    expect(breaker.state).toBe('open')
  })

  it('starts counting afresh after it closes', async () => {
    const { clock, breaker } = setup({ failureThreshold: 2, recoveryTimeoutMs: 1_000 })
    openBreaker(breaker)
    await clock.advance(1_000)
    breaker.record(SUCCESS, breaker.admit())
    expect(run(breaker, fail(ErrorClass.TRANSIENT))).toBeUndefined()
    expect(run(breaker, fail(ErrorClass.TRANSIENT))).toBe('open')
  })
})

describe('CircuitBreaker: options', () => {
  it('uses the documented defaults', () => {
    const breaker = new CircuitBreaker()
    expect(breaker.failureThreshold).toBe(5)
    expect(breaker.windowMs).toBe(60_000)
    expect(breaker.recoveryTimeoutMs).toBe(30_000)
    expect([...breaker.tripOn]).toEqual([ErrorClass.TRANSIENT, ErrorClass.SERVER_ERROR])
    expect(breaker.state).toBe('closed')
  })

  it('documents the defaults it uses', () => {
    const source = readFileSync(new URL('./CircuitBreakerOptions.ts', import.meta.url), 'utf8')
    const documented = Object.fromEntries(
      [...source.matchAll(/@default ([\d_]+)\n\s*\*\/\n\s*readonly (\w+)\?/g)].map((m) => [
        m[2],
        Number(m[1]?.replaceAll('_', '')),
      ]),
    )
    const { tripOn, ...numeric } = CIRCUIT_BREAKER_DEFAULTS
    expect(documented).toEqual(numeric)
    expect(source).toContain(`@default [${tripOn.map((c) => `ErrorClass.${c}`).join(', ')}]`)
  })

  it.each([
    ['options a string', 'fast', TypeError, /options/],
    ['failureThreshold 0', { failureThreshold: 0 }, RangeError, /failureThreshold.*0/],
    ['failureThreshold fractional', { failureThreshold: 2.5 }, RangeError, /failureThreshold.*2\.5/],
    ['windowMs 0', { windowMs: 0 }, RangeError, /windowMs.*0/],
    ['windowMs NaN', { windowMs: Number.NaN }, RangeError, /windowMs.*NaN/],
    ['recoveryTimeoutMs negative', { recoveryTimeoutMs: -1 }, RangeError, /recoveryTimeoutMs.*-1/],
    ['recoveryTimeoutMs infinite', { recoveryTimeoutMs: Number.POSITIVE_INFINITY }, RangeError, /recoveryTimeoutMs/],
    ['tripOn not an array', { tripOn: 'TRANSIENT' }, TypeError, /tripOn must be an array/],
    ['tripOn with a bad class', { tripOn: ['TRANSIENT', 'FLAKY'] }, TypeError, /tripOn\[1\].*"FLAKY"/],
    ['classThresholds with a bad class', { classThresholds: { FLAKY: 1 } }, TypeError, /classThresholds.*"FLAKY"/],
    ['classThresholds value 0', { classThresholds: { RATE_LIMIT: 0 } }, RangeError, /classThresholds\.RATE_LIMIT.*0/],
    ['classThresholds an array', { classThresholds: [] }, TypeError, /classThresholds/],
    ['clock without now', { clock: { sleep: () => Promise.resolve() } }, TypeError, /clock/],
  ])('rejects %s at construction', (_name, options, ErrorType, message) => {
    expect(() => new CircuitBreaker(options as never)).toThrow(ErrorType)
    expect(() => new CircuitBreaker(options as never)).toThrow(message)
  })
})

describe('CircuitBreaker: snapshot and restore', () => {
  function wallClockAt(ms: number): void {
    vi.spyOn(Date, 'now').mockReturnValue(ms)
  }

  it('carries counted failures to another process, aged by the wall time in between', async () => {
    const { clock, breaker } = setup({ failureThreshold: 3 })
    await clock.advance(10_000)
    run(breaker, fail(ErrorClass.TRANSIENT))
    await clock.advance(500)
    run(breaker, fail(ErrorClass.SERVER_ERROR))
    run(breaker, SUCCESS)
    await clock.advance(100)
    wallClockAt(1_000_000)
    const saved = JSON.parse(JSON.stringify(breaker.snapshot()))
    expect(saved).toEqual({
      version: 1,
      state: 'closed',
      failures: [
        { errorClass: 'TRANSIENT', ageMs: 600 },
        { errorClass: 'SERVER_ERROR', ageMs: 100 },
      ],
      savedAt: 1_000_000,
    })

    // The new process's monotonic clock starts from 0; 2 s of wall time have passed.
    wallClockAt(1_002_000)
    const clock2 = new FakeClock()
    const restored = CircuitBreaker.restore(saved, { failureThreshold: 3, clock: clock2 })
    expect(restored.state).toBe('closed')
    expect(restored.snapshot().failures).toEqual([
      { errorClass: 'TRANSIENT', ageMs: 2_600 },
      { errorClass: 'SERVER_ERROR', ageMs: 2_100 },
    ])
    expect(run(restored, fail(ErrorClass.TRANSIENT))).toBe('open')
  })

  it('drops restored failures that have left the window meanwhile', () => {
    wallClockAt(5_000)
    const snapshot = {
      version: 1,
      state: 'closed',
      failures: [{ errorClass: 'TRANSIENT', ageMs: 59_000 }],
      savedAt: 3_000,
    }
    const restored = CircuitBreaker.restore(snapshot, { clock: new FakeClock() })
    expect(restored.snapshot().failures).toEqual([])
  })

  it('keeps an open breaker open for what is left of its recovery timeout', async () => {
    const { clock, breaker } = setup({ failureThreshold: 1, recoveryTimeoutMs: 30_000 })
    openBreaker(breaker)
    await clock.advance(10_000)
    wallClockAt(50_000)
    const saved = breaker.snapshot()
    expect(saved).toMatchObject({ state: 'open', openedAgoMs: 10_000, failures: [] })

    wallClockAt(55_000)
    const clock2 = new FakeClock(123_456)
    const restored = CircuitBreaker.restore(JSON.parse(JSON.stringify(saved)), {
      recoveryTimeoutMs: 30_000,
      clock: clock2,
    })
    expect(restored.state).toBe('open')
    expect(restored.admit()).toEqual({ allowed: false, probe: false, retryInMs: 15_000 })
    await clock2.advance(15_000)
    expect(restored.admit()).toMatchObject({ allowed: true, probe: true, transition: 'half_open' })
  })

  it('does not persist a probe in flight: the restored breaker gives the probe to its next admit', async () => {
    const { clock, breaker } = setup({ failureThreshold: 1, recoveryTimeoutMs: 1_000 })
    openBreaker(breaker)
    await clock.advance(1_000)
    breaker.admit()
    const saved = breaker.snapshot()
    expect(saved).toMatchObject({ state: 'half_open', failures: [] })
    const restored = CircuitBreaker.restore(saved, { clock: new FakeClock() })
    expect(restored.admit()).toEqual({ allowed: true, probe: true })
  })

  it('never moves times into the future when the wall clock went backwards', async () => {
    const { clock, breaker } = setup({ failureThreshold: 1, recoveryTimeoutMs: 1_000 })
    openBreaker(breaker)
    wallClockAt(10_000)
    const saved = breaker.snapshot()
    wallClockAt(4_000)
    const restored = CircuitBreaker.restore(saved, { recoveryTimeoutMs: 1_000, clock })
    expect(restored.admit().retryInMs).toBe(1_000)
  })

  it('opens at once when the restored failures already reach a threshold under the new options', () => {
    wallClockAt(0)
    const snapshot = {
      version: 1,
      state: 'closed',
      failures: [
        { errorClass: 'TRANSIENT', ageMs: 20 },
        { errorClass: 'TRANSIENT', ageMs: 10 },
      ],
      savedAt: 0,
    }
    expect(CircuitBreaker.restore(snapshot, { failureThreshold: 2, clock: new FakeClock() }).state).toBe('open')
    expect(CircuitBreaker.restore(snapshot, { failureThreshold: 3, clock: new FakeClock() }).state).toBe('closed')
    const notTripping = CircuitBreaker.restore(snapshot, { failureThreshold: 1, tripOn: [], clock: new FakeClock() })
    expect(notTripping.state).toBe('closed')
    expect(notTripping.snapshot().failures).toEqual([])
  })

  const valid = { version: 1, state: 'closed', failures: [], savedAt: 0 }
  it.each([
    ['null', null, /snapshot must be an object/],
    ['an array', [], /snapshot must be an object/],
    ['a JSON string', JSON.stringify(valid), /snapshot must be an object/],
    ['a wrong version', { ...valid, version: 2 }, /snapshot\.version/],
    ['an unknown state', { ...valid, state: 'ajar' }, /snapshot\.state.*"ajar"/],
    ['no savedAt', { ...valid, savedAt: undefined }, /snapshot\.savedAt/],
    ['a string savedAt', { ...valid, savedAt: '2026-01-01' }, /snapshot\.savedAt/],
    ['failures not an array', { ...valid, failures: {} }, /snapshot\.failures must be an array/],
    ['a failure that is null', { ...valid, failures: [null] }, /snapshot\.failures\[0\] must be an object/],
    [
      'a failure with a bad class',
      {
        ...valid,
        failures: [
          { errorClass: 'TRANSIENT', ageMs: 1 },
          { errorClass: 'OOPS', ageMs: 1 },
        ],
      },
      /snapshot\.failures\[1\]\.errorClass.*"OOPS"/,
    ],
    [
      'a failure with a negative age',
      { ...valid, failures: [{ errorClass: 'TRANSIENT', ageMs: -1 }] },
      /snapshot\.failures\[0\]\.ageMs/,
    ],
    ['an open state without openedAgoMs', { ...valid, state: 'open' }, /snapshot\.openedAgoMs/],
    [
      'an open state with NaN openedAgoMs',
      { ...valid, state: 'open', openedAgoMs: Number.NaN },
      /snapshot\.openedAgoMs/,
    ],
    ['openedAgoMs on a closed state', { ...valid, openedAgoMs: 5 }, /snapshot\.openedAgoMs/],
  ])('rejects a snapshot that is %s with a TypeError naming the field', (_name, snapshot, message) => {
    expect(() => CircuitBreaker.restore(snapshot)).toThrow(TypeError)
    expect(() => CircuitBreaker.restore(snapshot)).toThrow(message)
  })

  it('validates the options before the snapshot', () => {
    expect(() => CircuitBreaker.restore(valid, { failureThreshold: 0 })).toThrow(/failureThreshold/)
  })
})

describe('CircuitBreaker: state machine properties', () => {
  type Command =
    | { readonly kind: 'admit' }
    | { readonly kind: 'record'; readonly pick: number; readonly outcome: BreakerOutcome }
    | { readonly kind: 'advance'; readonly ms: number }

  // Weighted so that runs reach open, half-open and every probe verdict often (checked by hand).
  const outcome: fc.Arbitrary<BreakerOutcome> = fc.oneof(
    { arbitrary: fc.constant(SUCCESS), weight: 2 },
    { arbitrary: fc.constant(NEUTRAL), weight: 1 },
    { arbitrary: fc.constantFrom(ErrorClass.TRANSIENT, ErrorClass.SERVER_ERROR).map(fail), weight: 3 },
    { arbitrary: fc.constantFrom(...Object.values(ErrorClass)).map(fail), weight: 1 },
  )
  const command: fc.Arbitrary<Command> = fc.oneof(
    { arbitrary: fc.constant({ kind: 'admit' as const }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('record' as const), pick: fc.nat({ max: 5 }), outcome }), weight: 4 },
    { arbitrary: fc.integer({ min: 0, max: 400 }).map((ms) => ({ kind: 'advance' as const, ms })), weight: 2 },
  )
  const commands = fc.array(command, { minLength: 10, maxLength: 120 })
  /** One of the most recent admissions (`pick` back from the newest), stale ones included. */
  const pickFrom = (handedOut: readonly BreakerAdmission[], pick: number): BreakerAdmission | undefined =>
    handedOut[handedOut.length - 1 - (pick % Math.max(1, handedOut.length))]

  it('never has two probes in flight and never closes from half-open without the probe saying so', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 500 }),
        commands,
        async (failureThreshold, recoveryTimeoutMs, script) => {
          const clock = new FakeClock()
          const breaker = new CircuitBreaker({ failureThreshold, recoveryTimeoutMs, windowMs: 1_000, clock })
          // Every admission ever handed out, recorded or not (stale ones are re-recorded on purpose).
          const handedOut: BreakerAdmission[] = []
          const recorded = new Set<BreakerAdmission>()
          let openedAt = 0
          for (const c of script) {
            const before = breaker.state
            if (c.kind === 'advance') {
              await clock.advance(c.ms)
              expect(breaker.state).toBe(before)
              continue
            }
            if (c.kind === 'admit') {
              const admission = breaker.admit()
              handedOut.push(admission)
              if (before === 'closed') expect(admission).toMatchObject({ allowed: true, probe: false })
              if (before === 'open') {
                const due = clock.now() - openedAt >= recoveryTimeoutMs
                expect(admission.allowed).toBe(due)
                expect(breaker.state).toBe(due ? 'half_open' : 'open')
              }
              if (before === 'half_open') expect(breaker.state).toBe('half_open')
            } else {
              const admission = pickFrom(handedOut, c.pick)
              if (admission === undefined) continue
              const inFlightProbe = admission.probe && !recorded.has(admission)
              recorded.add(admission)
              const answer = breaker.record(c.outcome, admission)
              const after = breaker.state
              expect(answer).toBe(after === before ? undefined : after)
              if (before === 'half_open' && after === 'closed') {
                expect(inFlightProbe).toBe(true)
                const answered =
                  c.outcome.kind === 'success' ||
                  (c.outcome.kind === 'failure' && !breaker.tripOn.has(c.outcome.errorClass))
                expect(answered).toBe(true)
              }
              if (before === 'half_open' && after === 'open') expect(inFlightProbe).toBe(true)
              expect(before === 'open' && after !== 'open').toBe(false)
              if (after === 'open' && before !== 'open') openedAt = clock.now()
            }
            expect(['closed', 'open', 'half_open']).toContain(breaker.state)
            const probesInFlight = handedOut.filter((a) => a.allowed && a.probe && !recorded.has(a)).length
            expect(probesInFlight).toBeLessThanOrEqual(1)
            if (breaker.state !== 'half_open') expect(probesInFlight).toBe(0)
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it('restores any snapshot it produced into the same state', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000)
    await fc.assert(
      fc.asyncProperty(commands, async (script) => {
        const clock = new FakeClock()
        const breaker = new CircuitBreaker({ failureThreshold: 2, recoveryTimeoutMs: 300, windowMs: 1_000, clock })
        const handedOut: BreakerAdmission[] = []
        for (const c of script) {
          if (c.kind === 'advance') await clock.advance(c.ms)
          else if (c.kind === 'admit') handedOut.push(breaker.admit())
          else {
            const admission = pickFrom(handedOut, c.pick)
            if (admission !== undefined) breaker.record(c.outcome, admission)
          }
        }
        const saved = breaker.snapshot()
        const restored = CircuitBreaker.restore(JSON.parse(JSON.stringify(saved)), {
          failureThreshold: 2,
          recoveryTimeoutMs: 300,
          windowMs: 1_000,
          clock,
        })
        expect(restored.state).toBe(breaker.state)
        expect({ ...restored.snapshot(), savedAt: 0 }).toEqual({ ...saved, savedAt: 0 })
      }),
      { numRuns: 100 },
    )
  })
})
