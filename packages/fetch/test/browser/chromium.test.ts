import { fileURLToPath } from 'node:url'
import { type FaultServer, type FaultStep, type RecordedRequest, startFaultServer } from '@redress/test-support'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Chromium } from './Chromium.ts'
import { DIST_PACKAGES, ensureDist } from './ensureDist.ts'
import { locateChromium } from './locateChromium.ts'
import type { ScenarioResult, ScenarioSpec } from './pageScenario.ts'

// Issue 15: @redress/fetch as shipped — its dist/ and core's, bundled by esbuild through their
// exports maps as a user's bundler would — in a real headless Chromium (its own fetch, network
// stack and CORS) against two loopback origins. The setup builds a dist/ that is missing or older
// than its src/ (ensureDist), and finds Chromium or installs Debian's package (as root); it
// fails, never skips, when it can do neither.

/** Long enough for `apt-get install chromium` on a cold machine; the tests themselves are quick. */
const SETUP_TIMEOUT_MS = 600_000

/** Every response closes its connection: Chromium silently re-sends a request whose reused keep-alive socket fails, which would hide what redress does. */
const CLOSE = { connection: 'close' }

/** The steps each scripted path answers with, in order (the last repeats). */
const scripts = new Map<string, readonly FaultStep[]>()
/** The requests each path received. */
const received = new Map<string, RecordedRequest[]>()

let chromium: Chromium | undefined
let tab = ''
let page: FaultServer
let other: FaultServer

/** Answers a scripted path; anything else is a 404. */
function scripted(request: RecordedRequest): FaultStep {
  const path = request.url.split('?')[0] ?? ''
  const steps = scripts.get(path)
  if (steps === undefined) return { status: 404, headers: CLOSE, body: 'no such path' }
  const seen = received.get(path) ?? []
  received.set(path, [...seen, request])
  return steps[Math.min(seen.length, steps.length - 1)] ?? { status: 500, headers: CLOSE }
}

/** The workspace files the bundle took in, relative to packages/ (e.g. `core/dist/http/index.js`). */
let bundled: string[] = []

beforeAll(async () => {
  const executable = locateChromium()
  ensureDist()
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./pageScenario.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    // No '@redress/source' condition: the packages resolve to dist/, as they do for a user.
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  bundled = Object.keys(bundle.metafile.inputs).flatMap((input) => {
    const at = input.lastIndexOf('packages/')
    return at === -1 ? [] : [input.slice(at + 'packages/'.length)]
  })
  const script = bundle.outputFiles[0]?.text ?? ''
  const html = '<!doctype html><meta charset="utf-8"><title>redress</title><script src="/redress-fetch.js"></script>'
  page = await startFaultServer((_index, request) => {
    if (request.url === '/') return { status: 200, headers: { ...CLOSE, 'content-type': 'text/html' }, body: html }
    if (request.url === '/redress-fetch.js') {
      return { status: 200, headers: { ...CLOSE, 'content-type': 'text/javascript' }, body: script }
    }
    return scripted(request)
  })
  other = await startFaultServer((_index, request) => scripted(request))
  chromium = await Chromium.launch(executable)
  tab = await chromium.open(`${page.origin}/`)
}, SETUP_TIMEOUT_MS)

afterAll(async () => {
  await chromium?.close()
  await page?.close()
  await other?.close()
})

/** Runs one redressFetch call in the page. */
function inPage(spec: ScenarioSpec): Promise<ScenarioResult> {
  if (chromium === undefined) throw new Error('Chromium did not start')
  return chromium.evaluate<ScenarioResult>(tab, `runScenario(${JSON.stringify(spec)})`)
}

/** The retry events of a run: [attempt, sleepMs, class]. */
const retries = (result: ScenarioResult) =>
  result.events.filter((e) => e.event === 'retry').map((e) => [e.attempt, e.sleepMs, e.errorClass])

const ok: FaultStep = { status: 200, headers: CLOSE, body: 'ok' }

describe('redressFetch in headless Chromium', () => {
  it('runs the shipped dist/ of @redress/fetch and @redress/core, no TypeScript source', () => {
    const fromPackages = bundled.filter((file) => !file.startsWith('fetch/test/'))
    for (const name of DIST_PACKAGES) expect(fromPackages.some((file) => file.startsWith(`${name}/dist/`))).toBe(true)
    expect(fromPackages.filter((file) => !/^[a-z-]+\/dist\//.test(file))).toEqual([])
  })

  it('retries a 503 and resolves with the 200 that follows', async () => {
    scripts.set('/flaky-503', [{ status: 503, headers: CLOSE, body: 'busy' }, ok])
    const result = await inPage({ url: `${page.origin}/flaky-503` })
    expect(result).toMatchObject({ status: 200, body: 'ok' })
    expect(retries(result)).toEqual([[1, 250, 'SERVER_ERROR']])
    expect(received.get('/flaky-503')).toHaveLength(2)
  })

  it('honours Retry-After on a 429: the one retry sleeps exactly the 1 000 ms the server asked for', async () => {
    scripts.set('/limited', [{ status: 429, headers: { ...CLOSE, 'retry-after': '1' } }, ok])
    const result = await inPage({ url: `${page.origin}/limited` })
    expect(result).toMatchObject({ status: 200, retryAfterSeen: ['1'] })
    expect(retries(result)).toEqual([[1, 1_000, 'RATE_LIMIT']])
    expect(received.get('/limited')).toHaveLength(2)
  })

  it("retries a GET after the browser's network error (Failed to fetch) as TRANSIENT, with every attempt", async () => {
    // Two failures in a row: as UNKNOWN (before issue 15) the run stopped after 2 attempts.
    scripts.set('/reset-get', [{ destroy: true }, { destroy: true }, ok])
    const result = await inPage({ url: `${page.origin}/reset-get`, sleep: 'instant' })
    expect(result).toMatchObject({ status: 200, body: 'ok' })
    expect(retries(result)).toEqual([
      [1, 250, 'TRANSIENT'],
      [2, 250, 'TRANSIENT'],
    ])
    expect(received.get('/reset-get')).toHaveLength(3)
  })

  it("does not retry a POST after the browser's network error, and rejects with the browser's TypeError", async () => {
    scripts.set('/reset-post', [{ destroy: true }, ok])
    const result = await inPage({
      url: `${page.origin}/reset-post`,
      method: 'POST',
      body: 'order #1',
      sleep: 'instant',
    })
    expect(result.error).toMatchObject({ name: 'TypeError', message: expect.stringMatching(/^Failed to fetch/) })
    expect(retries(result)).toEqual([])
    expect(result.events.at(-1)).toMatchObject({ event: 'permanent_fail', errorClass: 'TRANSIENT' })
    expect(received.get('/reset-post')?.map((r) => [r.method, r.body])).toEqual([['POST', 'order #1']])
  })

  it('ends at once, with the reason, when the signal aborts during the backoff sleep', async () => {
    scripts.set('/abort-sleep', [{ status: 503, headers: { ...CLOSE, 'retry-after': '30' } }, ok])
    const result = await inPage({ url: `${page.origin}/abort-sleep`, abortDuringBackoff: true })
    expect(result.error?.isAbortReason).toBe(true)
    expect(retries(result)).toEqual([[1, 30_000, 'SERVER_ERROR']])
    expect(received.get('/abort-sleep')).toHaveLength(1)
  })

  it('re-sends the body of a Request (as ky sends it) after a 503', async () => {
    scripts.set('/put-request', [{ status: 503, headers: CLOSE }, ok])
    const result = await inPage({
      url: `${page.origin}/put-request`,
      method: 'PUT',
      body: '{"a":1}',
      asRequest: true,
      sleep: 'instant',
    })
    expect(result).toMatchObject({ status: 200 })
    expect(received.get('/put-request')?.map((r) => [r.method, r.body])).toEqual([
      ['PUT', '{"a":1}'],
      ['PUT', '{"a":1}'],
    ])
  })

  it('sends a Request whose body is longer than maxBufferedRequestBodyBytes once, whole, as a plain upload', async () => {
    scripts.set('/put-long', [{ status: 503, headers: CLOSE }, ok])
    const body = 'x'.repeat(1_000)
    const result = await inPage({
      url: `${page.origin}/put-long`,
      method: 'PUT',
      body,
      asRequest: true,
      maxBufferedRequestBodyBytes: 100,
      sleep: 'instant',
    })
    // Over HTTP/1.1, where Chromium refuses a streamed upload: the Request went as it was.
    expect(result).toMatchObject({ status: 503 })
    expect(received.get('/put-long')?.map((r) => [r.method, r.body])).toEqual([['PUT', body]])
  })

  describe('cross-origin', () => {
    const busy = (expose: boolean): FaultStep => ({
      status: 503,
      headers: {
        ...CLOSE,
        'retry-after': '7',
        'access-control-allow-origin': page.origin,
        ...(expose ? { 'access-control-expose-headers': 'Retry-After' } : {}),
      },
    })
    const allowed = (): FaultStep => ({
      status: 200,
      headers: { ...CLOSE, 'access-control-allow-origin': page.origin },
      body: 'ok',
    })

    it('cannot see Retry-After without Access-Control-Expose-Headers, so it falls back to its own backoff', async () => {
      scripts.set('/cors-hidden', [busy(false), allowed()])
      const result = await inPage({ url: `${other.origin}/cors-hidden`, sleep: 'instant' })
      expect(result).toMatchObject({ status: 200, retryAfterSeen: [null] })
      expect(retries(result)).toEqual([[1, 250, 'SERVER_ERROR']])
      expect(received.get('/cors-hidden')).toHaveLength(2)
    })

    it('honours Retry-After when the server exposes it with Access-Control-Expose-Headers', async () => {
      scripts.set('/cors-exposed', [busy(true), allowed()])
      const result = await inPage({ url: `${other.origin}/cors-exposed`, sleep: 'instant' })
      expect(result).toMatchObject({ status: 200, retryAfterSeen: ['7'] })
      expect(retries(result)).toEqual([[1, 7_000, 'SERVER_ERROR']])
      expect(received.get('/cors-exposed')).toHaveLength(2)
    })
  })
})
