/**
 * `pnpm bench:resume` (and the third part of `pnpm bench`): resuming a cut download against
 * starting it again — bytes the server sent and wall time for a 50 MB body cut three times
 * (seeded offsets), through each adapter with `resume` on, and through the same adapter with
 * `resume: false` and the caller fetching the whole body again after each cut. Loopback, so the
 * time is mostly the client's own work per byte. Prints and writes one PASS/MISSED line per
 * adapter against issue 19's target (resume sends at most 1.05× the body size), writes
 * `bench/results/resume.md`, then re-assembles bench/README.md. Environment: `RESUME_BENCH_RUNS`
 * (downloads per variant, default 5).
 */
import { writeFileSync } from 'node:fs'
import type { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { installRedress } from '@redress/axios'
import { httpPolicy } from '@redress/core/http'
import { seededRandom } from '@redress/core/testing'
import { redressFetch } from '@redress/fetch'
import { cutOffsets, type RangeStep, seededBytes, sha256, startRangeServer } from '@redress/test-support'
import { redressInterceptor } from '@redress/undici'
import axios from 'axios'
import { Agent, request } from 'undici'
import { median } from '../overhead/median.ts'
import { positiveEnv } from '../positiveEnv.ts'
import { markdownTable } from '../report/markdownTable.ts'
import { writeReadme } from '../report/writeReadme.ts'
import { judgeResume, RESUME_TARGET, resumeVerdictLine } from './resumeVerdict.ts'
import { successCost } from './successCost.ts'

const MB = 1_048_576
const SIZE = 50 * MB
const RUNS = positiveEnv('RESUME_BENCH_RUNS', 5)
const body = seededBytes(SIZE, 50)
const digest = sha256(body)
const offsets = cutOffsets(SIZE, 3, seededRandom(50), MB)

/** Reads one whole download, or throws the error that cut it. */
type Download = (origin: string) => Promise<Uint8Array>

/** Each request i < 3 is cut at offsets[i] from the start of the representation, wherever it starts. */
function cutScript(): (index: number, request: { headers: Record<string, unknown> }) => RangeStep | undefined {
  return (index, req) => {
    const at = offsets[index]
    if (at === undefined) return undefined
    const from = Number(/^bytes=(\d+)-/.exec(String(req.headers['range'] ?? ''))?.[1] ?? 0)
    return { cutAfter: at - from }
  }
}

async function readStream(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  for await (const chunk of stream) chunks.push(chunk)
  return Buffer.concat(chunks)
}

const policy = httpPolicy({ budget: null, strategy: () => 0, maxAttempts: 4 })
const agent = new Agent()
const resumingAgent = agent.compose(redressInterceptor({ policy }))
const plainAgent = agent.compose(redressInterceptor({ policy, resume: false }))
const resumingFetch = redressFetch({ policy })
const plainFetch = redressFetch({ policy, resume: false })
const resumingAxios = axios.create({ responseType: 'stream', adapter: 'http' })
installRedress(resumingAxios, { policy })
const plainAxios = axios.create({ responseType: 'stream', adapter: 'http' })
installRedress(plainAxios, { policy, resume: false })

const variants: ReadonlyArray<readonly [string, string, Download]> = [
  ['fetch', 'resume', async (o) => new Uint8Array(await (await resumingFetch(o)).arrayBuffer())],
  ['fetch', 'whole restart', async (o) => new Uint8Array(await (await plainFetch(o)).arrayBuffer())],
  ['undici', 'resume', async (o) => readStream((await request(o, { dispatcher: resumingAgent })).body)],
  ['undici', 'whole restart', async (o) => readStream((await request(o, { dispatcher: plainAgent })).body)],
  ['axios (stream)', 'resume', async (o) => readStream((await resumingAxios.get<Readable>(o)).data)],
  ['axios (stream)', 'whole restart', async (o) => readStream((await plainAxios.get<Readable>(o)).data)],
]

interface Row {
  readonly client: string
  readonly mode: string
  readonly requests: number
  readonly bytes: number
  readonly ms: number[]
}

const rows: Row[] = []
for (const [client, mode, download] of variants) {
  const ms: number[] = []
  let requests = 0
  let bytes = 0
  for (let run = 0; run < RUNS; run++) {
    const server = await startRangeServer({ body, script: cutScript() })
    const started = performance.now()
    let got: Uint8Array | undefined
    // The whole-restart caller: fetch again from byte 0 after each cut (bounded).
    for (let attempt = 0; attempt < 8 && got === undefined; attempt++) {
      try {
        got = await download(server.origin)
      } catch {
        // cut: start over
      }
    }
    ms.push(performance.now() - started)
    if (got === undefined || sha256(got) !== digest) throw new Error(`${client} ${mode}: the body arrived wrong`)
    requests = server.requests.length
    bytes = server.bodyBytesSent
    await server.close()
  }
  rows.push({ client, mode, requests, bytes, ms })
  console.log(client, mode, requests, bytes, ms.map((m) => m.toFixed(0)).join(' '))
}
await agent.close()

const verdicts = judgeResume(rows, SIZE)
for (const v of verdicts) console.log(resumeVerdictLine(v))

/** How this run was started: the pnpm script that ran it, else the plain command. */
function writtenBy(): string {
  const script = process.env['npm_lifecycle_event']
  if (script === 'bench') return '`pnpm bench` (its third part, on the built packages)'
  if (script === 'bench:resume') return '`pnpm bench:resume` (on the sources)'
  return '`node --conditions=@redress/source --import tsx src/resume/main.ts`'
}

const fmt = (n: number): string => n.toLocaleString('en').replaceAll(',', ' ')
const lines = [
  '## Resuming a cut download (`pnpm bench`, part 3: `pnpm bench:resume`)',
  '',
  `A ${SIZE / MB} MB body cut three times, at bytes ${offsets.map(fmt).join(', ')} of the representation (seeded),`,
  'served over loopback by `startRangeServer` (`@redress/test-support`). **resume**: the adapter with',
  '`resume` on (its default) continues the body with `Range` + `If-Match` in the same stream. **whole',
  'restart**: the same adapter with `resume: false`, and the caller fetching the whole body again after',
  'each cut. Body bytes are what the server wrote; the time is the median wall time of',
  `${RUNS} runs (whole download, SHA-256 checked). Machine shared while measured: read the bytes, not the times.`,
  `Written by ${writtenBy()}, Node ${process.version}.`,
  '',
  `Target (issue 19): with resume, the server sends at most ${RESUME_TARGET.maxBodyRatio}× the body size.`,
  '',
  '```',
  ...verdicts.map(resumeVerdictLine),
  '```',
  '',
  markdownTable(
    ['client', 'mode', 'requests', 'body bytes sent', '× body size', 'time (median ms)'],
    rows.map((r) => [
      r.client,
      r.mode,
      String(r.requests),
      fmt(r.bytes),
      (r.bytes / SIZE).toFixed(3),
      median(r.ms).toFixed(0),
    ]),
    ['l', 'l', 'r', 'r', 'r', 'r'],
  ),
  '',
]

// What resume costs responses that are not cut, in process (see successCost.ts).
const costs = await successCost()
const variantNames = Object.keys(Object.values(costs)[0] ?? {})
lines.push(
  '### What resume costs a response that is not cut',
  '',
  'CPU time per request in process (no sockets): a fake transport answering `200` with a 256 KiB body in',
  'four 64 KiB chunks, read to its end, through each adapter with `httpPolicy()`. Only a `GET` answered',
  '`200`/`206` with a strong validator and at least `RESUME_MIN_BODY_BYTES` (64 KiB, or of unknown length)',
  'is wrapped; every other response pays one or two header lookups. Median of 15 interleaved rounds of',
  '300 requests; the machine was shared, so differences of a few µs are within the noise.',
  '',
  markdownTable(
    ['client', ...variantNames],
    Object.entries(costs).map(([client, row]) => [
      client,
      ...variantNames.map((v) => `${(row[v] ?? 0).toFixed(1)} µs`),
    ]),
    ['l', ...variantNames.map((): 'r' => 'r')],
  ),
  '',
)
writeFileSync(new URL('../../results/resume.md', import.meta.url), lines.join('\n'))
console.log(`wrote results/resume.md and ${writeReadme(fileURLToPath(new URL('../..', import.meta.url)))}`)
