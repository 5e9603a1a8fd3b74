/**
 * `httpClassifier`, the classifier of `httpPolicy()` used without an adapter, against axios: the
 * rejection axios makes of a status that is no failure (1xx–3xx) is PERMANENT, by the same rule
 * (`classifyRejectedStatus`) as the adapters' `requestClassifiers`. axios runs for real against a
 * loopback server; the policy runs on virtual time.
 */
import { type FaultServer, type FaultStep, startFaultServer, virtualPolicy } from '@redress/test-support'
import axios, { type AxiosRequestConfig, isAxiosError } from 'axios'
import { afterEach, describe, expect, it } from 'vitest'
import { TokenBudget } from '../budget/TokenBudget.ts'
import { toClassification } from '../classify/safeClassify.ts'
import { ErrorClass } from '../ErrorClass.ts'
import { EventName } from '../events/EventName.ts'
import { HTTP_TOKEN_BUDGET_DEFAULTS, httpClassifier, requestClassifiers } from './index.ts'

/** An error as axios makes one: `settle`'s message for a status it rejects, unless told otherwise. */
const axiosError = (status: number, message = `Request failed with status code ${status}`): Error =>
  Object.assign(new Error(message), {
    name: 'AxiosError',
    status,
    response: { status, headers: { location: '/elsewhere', 'retry-after': '1' } },
  })

describe('httpClassifier and requestClassifiers: one rule for what axios rejects', () => {
  const { classifier } = requestClassifiers({ method: 'GET', bodyReplayable: true }, { now: () => 0 })

  it.each([
    ['a 302 it did not follow (maxRedirects: 0)', axiosError(302), { errorClass: ErrorClass.PERMANENT, status: 302 }],
    ['a 304 a validateStatus refused', axiosError(304), { errorClass: ErrorClass.PERMANENT, status: 304 }],
    ['a 201 a validateStatus refused', axiosError(201), { errorClass: ErrorClass.PERMANENT, status: 201 }],
    ['a 101', axiosError(101), { errorClass: ErrorClass.PERMANENT, status: 101 }],
    ['a 404 (a failure by its status)', axiosError(404), { errorClass: ErrorClass.PERMANENT, status: 404 }],
    ['a 503 (retried)', axiosError(503), { errorClass: ErrorClass.SERVER_ERROR, status: 503 }],
    ['a 429 (retried)', axiosError(429), { errorClass: ErrorClass.RATE_LIMIT, status: 429 }],
    // Not axios's rejection of that status: left to the fallback, so a cut 200 is still retried.
    ['a 200 whose body was cut', axiosError(200, 'stream has been aborted'), { errorClass: ErrorClass.UNKNOWN }],
    [
      'a 302 with the message of another status',
      axiosError(302, 'Request failed with status code 502'),
      {
        errorClass: ErrorClass.UNKNOWN,
      },
    ],
    [
      'the message on an error with no response',
      new Error('Request failed with status code 302'),
      {
        errorClass: ErrorClass.UNKNOWN,
      },
    ],
    [
      'a response with no status',
      Object.assign(new Error('Request failed with status code 302'), { response: {} }),
      {
        errorClass: ErrorClass.UNKNOWN,
      },
    ],
    [
      'a 304 rejection that also carries headers of its own',
      Object.assign(axiosError(304), { headers: {} }),
      { errorClass: ErrorClass.PERMANENT, status: 304 },
    ],
    [
      'a response with no status, whatever the message',
      Object.assign(new Error('Request failed with status code undefined'), { response: {} }),
      { errorClass: ErrorClass.UNKNOWN },
    ],
  ] as const)('classifies %s alike', (_name, error, expected) => {
    for (const classification of [httpClassifier(error), classifier(error)]) {
      const { errorClass, details } = toClassification(classification)
      expect(errorClass).toBe(expected.errorClass)
      if ('status' in expected) expect(details).toEqual({ status: expected.status })
      else expect(details?.status).toBeUndefined()
    }
  })

  it('answers exactly { errorClass: PERMANENT, details: { status } } for the rejection', () => {
    expect(httpClassifier(axiosError(304))).toStrictEqual({
      errorClass: ErrorClass.PERMANENT,
      details: { status: 304 },
    })
  })
})

let server: FaultServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/**
 * `httpPolicy().call(() => axios.get(...))` on virtual time, with no adapter, against a server
 * that always answers `step`; a shared `TokenBudget` shows what the failures cost.
 */
async function callThroughPolicy(adapter: 'http' | 'fetch', step: FaultStep, config: AxiosRequestConfig) {
  const s = await startFaultServer(() => step)
  server = s
  const events: string[] = []
  const classes: (ErrorClass | undefined)[] = []
  const budget = new TokenBudget(HTTP_TOKEN_BUDGET_DEFAULTS)
  const { policy, sleeps } = virtualPolicy({
    budget,
    onMetric: (event) => events.push(event),
    onAttemptEnd: ({ errorClass }) => classes.push(errorClass),
  })
  const tokensBefore = budget.tokens
  const error: unknown = await policy
    .call(() => axios.get(`${s.origin}/thing`, { ...config, adapter }))
    .then(
      () => expect.unreachable('axios rejects this status'),
      (e: unknown) => e,
    )
  return { error, requests: s.requests.length, classes, events, sleeps, tokensSpent: tokensBefore - budget.tokens }
}

describe('httpPolicy().call around axios: a status axios rejects but that is no failure', () => {
  it('hands back a 302 not followed under maxRedirects: 0 after one request, PERMANENT', async () => {
    const got = await callThroughPolicy(
      'http',
      { status: 302, headers: { location: '/elsewhere' } },
      { maxRedirects: 0 },
    )
    expect(isAxiosError(got.error) && got.error.response?.status).toBe(302)
    expect(got.requests).toBe(1)
    expect(got.classes).toEqual([ErrorClass.PERMANENT])
    expect(got.events).toEqual([EventName.PERMANENT_FAIL])
    expect(got.sleeps).toEqual([])
    expect(got.tokensSpent).toBe(0)
  })

  describe.each(['http', 'fetch'] as const)('with axios’s %s adapter', (adapter) => {
    it.each([
      [304, (status: number) => status < 300],
      // No Location: fetch would follow a 302 that has one.
      [302, (status: number) => status < 300],
      [201, (status: number) => status === 200],
    ])('hands back a %i its validateStatus rejects after one request, PERMANENT', async (status, validateStatus) => {
      const got = await callThroughPolicy(adapter, { status }, { validateStatus })
      expect(isAxiosError(got.error) && got.error.response?.status).toBe(status)
      expect(got.requests).toBe(1)
      expect(got.classes).toEqual([ErrorClass.PERMANENT])
      expect(got.events).toEqual([EventName.PERMANENT_FAIL])
      expect(got.sleeps).toEqual([])
      expect(got.tokensSpent).toBe(0)
    })

    const below300 = (status: number): boolean => status < 300
    it.each([
      ['a 503 under the default validateStatus', 503, {}],
      ['a 503 under a custom validateStatus', 503, { validateStatus: below300 }],
      ['a 502 under a custom validateStatus', 502, { validateStatus: below300 }],
    ] as const)('still retries %s to the last attempt', async (_name, status, config) => {
      const got = await callThroughPolicy(adapter, { status }, config)
      expect(isAxiosError(got.error) && got.error.response?.status).toBe(status)
      expect(got.requests).toBe(3)
      expect(got.classes).toEqual([ErrorClass.SERVER_ERROR, ErrorClass.SERVER_ERROR, ErrorClass.SERVER_ERROR])
      expect(got.events.filter((event) => event === EventName.RETRY)).toHaveLength(2)
      expect(got.sleeps).toHaveLength(2)
    })
  })
})
