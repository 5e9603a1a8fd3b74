import { markdownTable } from '../report/markdownTable.ts'
import { percentile } from '../sim/percentile.ts'
import type { BenchConfig } from './BenchConfig.ts'
import { CLIENT_FAMILIES, type ClientFamily } from './ClientFamily.ts'
import type { CostRow } from './CostRow.ts'
import type { SelfTime } from './cpuProfileTop.ts'
import type { HttpRow } from './HttpRow.ts'
import { OVERHEAD_TARGETS, type Verdict, verdictLine } from './overheadTargets.ts'
import { pairedSummary } from './pairedSummary.ts'
import type { RoundSummary } from './RoundSummary.ts'
import type { TimingResult } from './TimingResult.ts'

/** Where the time goes, when a target is missed (see `main.ts`). */
export interface OverheadProfiles {
  /** The core microbenchmark, `policy.call` only. */
  readonly core: readonly SelfTime[]
  /** The undici benchmark, `redressInterceptor()` only, every frame. */
  readonly adapter: readonly SelfTime[]
  /** The same profile, redress's own frames only. */
  readonly adapterOwn: readonly SelfTime[]
}

/** Everything one run measured, and what it ran on. */
export interface OverheadReportInput {
  /** The script that produces this section, e.g. `pnpm bench`. */
  readonly command: string
  /** `process.version` of the node that ran the measuring child processes. */
  readonly runnerNode: string
  /** That node's path, when it is not the orchestrator's (`BENCH_NODE`). */
  readonly runnerNodePath: string | undefined
  /** `process.version` of the orchestrator's node, which also runs the server. */
  readonly serverNode: string
  /** CPU count and model, e.g. `2 × AMD EPYC`. */
  readonly machine: string
  /** Load averages (1 / 5 / 15 min) at the start and at the end. */
  readonly loadAtStart: string
  readonly loadAtEnd: string
  /** How long the whole run took, in seconds. */
  readonly durationS: number
  readonly config: BenchConfig
  /** Calls per allocation sample on the core's success path. */
  readonly coreAllocCalls: number
  /** Size of the server's (and the fake transports') response body, in bytes. */
  readonly bodyBytes: number
  /** File name of the throughput chart, next to the report. */
  readonly chartFile: string
  readonly http: ReadonlyMap<ClientFamily, readonly HttpRow[]>
  readonly inProcess: ReadonlyMap<ClientFamily, readonly CostRow[]>
  /** The core's success-path rows, bare `await` first. */
  readonly core: readonly CostRow[]
  /** The core's fails-once rows, the hand-written catch-and-call-again first. */
  readonly coreFailOnce: readonly CostRow[]
  readonly timing: readonly TimingResult[]
  readonly verdicts: readonly Verdict[]
  readonly profiles: OverheadProfiles | undefined
}

const fixed = (n: number, digits: number): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a')
const signed = (n: number, digits: number): string =>
  Number.isFinite(n) ? `${n < 0 ? '−' : '+'}${Math.abs(n).toFixed(digits)}` : 'n/a'
const whole = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a')
const signedWhole = (n: number): string =>
  Number.isFinite(n) ? `${n < 0 ? '−' : '+'}${Math.round(Math.abs(n)).toLocaleString('en-US')}` : 'n/a'
/** `median (p25–p75)`. */
const cell = (s: RoundSummary, digits: number): string =>
  `${fixed(s.median, digits)} (${fixed(s.p25, digits)}–${fixed(s.p75, digits)})`
const signedCell = (s: RoundSummary, digits: number): string =>
  `${signed(s.median, digits)} (${signed(s.p25, digits)}…${signed(s.p75, digits)})`
const bold = (kind: string, name: string): string => (kind === 'redress' ? `**${name}**` : name)

function httpTable(rows: readonly HttpRow[]): string {
  return markdownTable(
    [
      'variant',
      'req/s',
      'throughput × raw',
      'p50 × raw',
      'p99 × raw',
      'client CPU µs/req',
      'CPU µs above pass-through',
      'bytes/req',
      'bytes above pass-through',
    ],
    rows.map((r) => [
      bold(r.kind, r.variant),
      fixed(r.rps.median, 0),
      r.kind === 'raw' ? '1 (baseline)' : cell(r.throughput, 2),
      r.kind === 'raw' ? `1 (${fixed(r.p50Ms, 2)} ms)` : cell(r.p50, 2),
      r.kind === 'raw' ? `1 (${fixed(r.p99Ms, 2)} ms)` : cell(r.p99, 2),
      cell(r.cpuUs, 1),
      r.kind === 'passthrough' ? '0 (baseline)' : signedCell(r.cpuUsAbovePassThrough, 1),
      whole(r.bytes.median),
      r.kind === 'passthrough' ? '0 (baseline)' : signedWhole(r.bytesAbovePassThrough),
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  )
}

function inProcessTable(inProcess: ReadonlyMap<ClientFamily, readonly CostRow[]>): string {
  return markdownTable(
    ['client', 'variant', 'CPU ns/req', 'CPU ns above pass-through', 'bytes/req', 'bytes above pass-through'],
    CLIENT_FAMILIES.flatMap((family) =>
      (inProcess.get(family) ?? []).map((r) => [
        family,
        bold(r.kind, r.variant),
        cell(r.cpuNs, 0),
        r.kind === 'passthrough' ? '0 (baseline)' : signedCell(r.cpuNsAbove, 0),
        whole(r.bytes.median),
        r.kind === 'passthrough' ? '0 (baseline)' : signedWhole(r.bytesAbove),
      ]),
    ),
    ['l', 'l', 'r', 'r', 'r', 'r'],
  )
}

function coreTable(rows: readonly CostRow[]): string {
  const cockatiel = rows.find((r) => r.variant.startsWith('cockatiel'))
  return markdownTable(
    ['variant', 'ns/call', 'ns above bare await', '× cockatiel', 'CPU ns/call', 'bytes/call', 'bytes above bare await'],
    rows.map((r) => [
      bold(r.kind, r.variant),
      cell(r.wallNs, 0),
      r.kind === 'raw' ? '0 (baseline)' : signedCell(r.wallNsAbove, 0),
      cockatiel === undefined
        ? 'n/a'
        : cell(
            pairedSummary(r.rounds.wallNsPerOp, cockatiel.rounds.wallNsPerOp, (v, b) => v / b),
            2,
          ),
      cell(r.cpuNs, 0),
      whole(r.bytes.median),
      r.kind === 'raw' ? '0 (baseline)' : signedWhole(r.bytesAbove),
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
  )
}

function failOnceTable(rows: readonly CostRow[]): string {
  return markdownTable(
    ['variant', 'CPU ns/call', 'CPU ns above catch-and-call-again', 'wall µs/call', 'bytes/call', 'bytes above'],
    rows.map((r) => [
      bold(r.kind, r.variant),
      cell(r.cpuNs, 0),
      r.kind === 'raw' ? '0 (baseline)' : signedCell(r.cpuNsAbove, 0),
      fixed(r.wallNs.median / 1000, 1),
      whole(r.bytes.median),
      r.kind === 'raw' ? '0 (baseline)' : signedWhole(r.bytesAbove),
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r'],
  )
}

function timingTable(timing: readonly TimingResult[]): string {
  const q = (values: readonly number[], p: number): number => percentile([...values], p) ?? Number.NaN
  const pair = (values: readonly number[], digits: number): string =>
    `${fixed(q(values, 0.5), digits)} / ${fixed(q(values, 0.99), digits)} (n = ${values.length})`
  return markdownTable(
    [
      'adapter',
      'late after Retry-After: 1, jitter 0 (p50 / p99 ms)',
      'late, default policy incl. U(0, 250) jitter (p50 / p99 ms)',
      'beyond the 250 ms jitter window',
      'abort → rejection during a 10 s backoff (p50 / p99 ms)',
    ],
    timing.map((t) => [
      t.adapter,
      pair(t.latenessNoJitterMs, 1),
      pair(t.latenessDefaultMs, 1),
      `${t.latenessDefaultMs.filter((v) => v > 250).length} of ${t.latenessDefaultMs.length}`,
      pair(t.abortMs, 2),
    ]),
    ['l', 'r', 'r', 'r', 'r'],
  )
}

function selfTable(list: readonly SelfTime[]): string {
  return markdownTable(
    ['function (source:line)', 'self ms', 'share of all samples'],
    list.map((p) => [p.frame, fixed(p.selfMs, 1), `${(p.share * 100).toFixed(1)} %`]),
    ['l', 'r', 'r'],
  )
}

function profileSection(profiles: OverheadProfiles | undefined): string {
  if (profiles === undefined) return ''
  const ownShare = profiles.adapterOwn.reduce((sum, p) => sum + p.share, 0)
  return `
### Where the time goes

Targets are missed, so the benchmarks were profiled (\`node --cpu-prof\`, 100 µs sampling, the built \`dist/\`; redress frames mapped back to \`src/\` through the build's source maps). Self time, top 15.

The core microbenchmark, \`policy.call\` only:

${selfTable(profiles.core)}

The undici benchmark, \`redressInterceptor()\` only (all frames; undici's and Node's included):

${selfTable(profiles.adapter)}

The same run, redress's own frames only (\`packages/*\`: ${(ownShare * 100).toFixed(1)} % of all samples in these 15):

${selfTable(profiles.adapterOwn)}
`
}

/**
 * Where the success path still pays, and why it is kept: the costs the targets run into that
 * are not redress's to remove. Measured by hand while building the success path; see
 * `packages/core/README.md` for the design.
 */
const REMAINING_COST = `### Where the remaining cost is, and why it stays

The figures in this section were profiled by hand on Node 20 while the success path was built, not measured by this run.

- **fetch: the deadline's abort.** The deadline and \`attemptTimeoutMs\` must free the connection of an attempt that overruns. Through Node's own \`fetch\` (the loopback rows), redress hands fetch a per-attempt \`dispatcher\` wrapping the real one and aborts an overrunning request through undici's own abort: no \`AbortSignal\`. For a string or \`URL\` input with no \`init.dispatcher\`, that wrapper takes the global dispatcher's place for the synchronous \`fetch()\` call only (Node's fetch reads it there, on Node 20 and 22; a test checks it), because giving fetch any non-empty init costs Node's \`Request\` about 600–800 bytes per request. Through any other fetch (a browser's, a test double) redress must pass a signal, and on Node 20 constructing one costs about 5 µs and 1.1–1.6 KB (a new \`EventTarget\` and a prototype switch, two thirds of it, the rest garbage collection; on Node 22 about 0.2–0.4 µs); no row here takes that path, since every fetch row runs Node's own fetch. A signal shared by many requests is not an option: aborting it for one request that overran would also cut the bodies still streaming to the callers of the others. The row \`redressFetch(), no deadline\` runs \`httpPolicy({ deadlineMs: Infinity })\`, whose attempts cannot be cut: the caller's init goes to fetch untouched.
- **axios: no real signal at all.** Each attempt's transport gets a signal-like object driven by the engine's \`onAbort\` (axios's adapters read \`aborted\` and call \`addEventListener\`), so axios pays neither an \`AbortController\` nor a timer per request. What is left is the promise axios gets (redress must own it, to reject at the deadline even when a transport ignores its abort), one request object, the engine's pending call and run, and the per-origin throttle and budget.
- **undici: composing costs undici itself.** A composed do-nothing interceptor already costs several µs per request (undici wraps the handler in its v7 API and back), which is why undici is judged against the pass-through, not the raw client. A 2xx/3xx response goes straight to the caller's handler (no pause/resume round trip), and the run needs no promise at all: the attempt reports its head to the engine's pending call, which reports the end to the run. Six small objects per request remain (the run, which is also the caller's controller; the request; the engine's run and pending call; the attempt handler; the response head). On Node 20 undici hands each request's options with a hidden class of its own, so every property read costs ~150 ns: redress reads only the method and the origin before a failure.
- **core: the floor of a wrapper that can enforce a timeout.** To reject at the deadline while \`fn\`'s promise is still pending, \`policy.call\` must return a promise of its own and hold a reaction on \`fn\`'s: its resolvers, the reaction and the derived promise. A skeleton doing only that (no retry logic) allocates 467–526 bytes per call above a bare \`await\` on Node 20 (about 470–505 reacting through two bound methods, as redress does, 513–526 through two arrows and the context they share; through an \`async\` function, more), and runs 70–90 ns above it; redress's own logic adds about 100 bytes on top. cockatiel's \`retry()\` does not enforce a timeout and still allocates more. The 300-byte target is below that floor.
- **CPU over sockets is noisy.** Round-to-round, a client's CPU per request over loopback spreads by tens of µs on this shared 2-core machine, even between the raw client and the pass-through; the client-CPU targets are therefore judged on the in-process rows, which measure the same difference without sockets.
- **Throughput and fetch's CPU cannot settle a few percent here.** Over loopback each throughput ratio's quartiles span 10–20 % and its median over 30 rounds moves by several hundredths between runs: across the runs of December 2026 the pass-through, which does nothing, measured 0.87–1.06× raw; \`redressInterceptor()\` 0.80–0.83× against \`interceptors.retry()\` 0.83–0.89×; \`redressFetch()\` 0.89–1.00×; \`installRedress()\` 0.84–0.96× (Node 20 and 22). A throughput line therefore flips between PASS and MISSED from one run to the next; the in-process rows, where the same clients stand 1–2 µs above their pass-through in every run, are the finer measure. Node's own \`fetch\` allocates about 40 KB per request, and its in-process batches vary with the collections that fall in them: the paired quartiles span about ±8–15 µs, and in the same runs the raw fetch and fetch-retry landed −1 to +7 µs from the pass-through, so fetch's 3 µs line is judged within noise either way. Its bytes column moves too: the per-attempt dispatcher that lets the deadline cut an attempt cost 0.15–1.2 KB per request across runs (the difference between \`redressFetch()\` and the no-deadline row); the no-deadline row is the figure without it.
- **The in-process rows answer on microtasks; sockets answer on a later macrotask.** An attempt still pending when its macrotask ends is armed in the policy's deadline queue (one \`setImmediate\` per batch of attempts, a clock read, a queue entry); an attempt answered on microtasks never is. Measured by hand (December 2026, Node 20, one process, 91 interleaved rounds of 1,000 requests, twice) with the fake axios adapter answering after a \`setImmediate\`: \`installRedress()\` +1.5–1.6 µs above the pass-through, against +0.8–1.0 µs with both answering on microtasks; of the 0.6 µs difference, switching the arming off saved 0.3–0.7 µs and \`deadlineMs: Infinity\` 0.3–0.5 µs. That is the price of a deadline that cuts an attempt in flight, and it stays. A first measurement on a loaded machine had given +4.0 µs: part of it was contention, part a garbage-collection effect seen in some processes and not pinned down (axios's merged request config, about 0.9 KB per request, surviving into the old generation and adding about 3 µs of scavenge time per request; no object is retained in a heap snapshot).
`

/**
 * The overhead section of `bench/README.md`: method, targets, the HTTP tables per client,
 * the in-process tables, the core tables, timing accuracy and, when present, profiles.
 */
export function overheadReport(r: OverheadReportInput): string {
  const c = r.config
  const runner =
    r.runnerNodePath === undefined
      ? `Node ${r.runnerNode}`
      : `Node ${r.runnerNode} (\`BENCH_NODE\`: \`${r.runnerNodePath}\`); the server ran on Node ${r.serverNode}`
  const httpTables = CLIENT_FAMILIES.map((f) => `### ${f}\n\n${httpTable(r.http.get(f) ?? [])}`).join('\n\n')
  const redressRows = CLIENT_FAMILIES.flatMap((f) => (r.http.get(f) ?? []).filter((x) => x.kind === 'redress'))
  const headline = redressRows.map((x) => `${x.variant} ${fixed(x.throughput.median, 2)}×`).join(', ')
  const ours = r.core.find((x) => x.kind === 'redress')
  const bare = r.core.find((x) => x.kind === 'raw')
  const missed = r.verdicts.filter((v) => !v.pass).length
  return `## Overhead on Node ${r.runnerNode} (\`${r.command}\`)

Machine: ${r.machine}; the measuring processes ran on ${runner}. Load average (1 / 5 / 15 min) ${r.loadAtStart} at the start, ${r.loadAtEnd} at the end; the whole run took ${Math.round(r.durationS)} s. **The machine may be shared while these numbers are taken: read the quartiles, not only the medians.**

Method: \`pnpm build\` first, then every measurement runs the built packages (\`dist/\`) in plain \`node\` (no TypeScript loader), in a child process of its own; a keep-alive \`node:http\` server on 127.0.0.1 runs in another. For each client, the raw client, a pass-through layer and each middleware run in ${c.rounds} interleaved rounds of ${c.requests.toLocaleString('en-US')} \`GET /ok\` requests (${c.concurrency} in flight, one shared keep-alive pool per client; a warm-up round first; the order rotates every round). Every ratio and every difference is taken **within a round** (to the raw client's, or the pass-through's, measurement in the same round); the tables show the median over rounds and, in brackets, the 25th–75th percentiles across rounds. Every middleware runs with its defaults and retries on (redress: \`httpPolicy()\`; undici \`interceptors.retry()\`; \`fetch-retry\` with 3 retries; ky's default retry; \`axios-retry\`'s and \`retry-axios\`'s defaults); every request succeeds (200, ${r.bodyBytes}-byte JSON), so this is the success-path cost. The fetch rows use **Node's global \`fetch\`** on its default (keep-alive) dispatcher: undici 7's own \`fetch\` rejects ky's requests (ky builds a global \`Request\`, a different class). ky is a whole client, not only a retry layer: its row includes its own request handling.

- **Pass-through** rows are the client behind one layer that does nothing, the floor any middleware pays for being installed: undici, a composed interceptor \`(dispatch) => (opts, handler) => dispatch(opts, handler)\` (composing alone makes undici wrap the handler in its v7 API); fetch, a wrapper \`(input, init) => base(input, init)\`; axios, one synchronous request interceptor \`(c) => c\`.
- **Client CPU** is \`process.cpuUsage()\` (user + system) of the client process over the round, divided by its requests: the client's own work, including V8's collector and compiler threads, excluding time spent waiting on the server or preempted by other processes. Over sockets it also depends on how many responses each event-loop turn handles (more when the machine is busy), so it spreads widely from round to round; the in-process section below measures the same differences without sockets.
- **Bytes per request** come from a separate pass in a process started with \`--expose-gc --min-semi-space-size=64 --max-semi-space-size=64\` (the flags change how often the collector runs, so they stay out of the timed rounds): \`gc()\`, read \`process.memoryUsage().heapUsed\`, run ${c.allocRequests} requests (same concurrency), read it again, divide by the requests. Until a collection the V8 heap only grows, by what was allocated; a \`PerformanceObserver\` on \`gc\` entries discards every sample in which a collection ran. Median of the samples kept, up to ${c.allocSamples} per variant. Buffers' backing stores (socket reads) live outside the V8 heap and are not counted.

![Throughput ratios](${r.chartFile})

### Targets

\`\`\`
${r.verdicts.map(verdictLine).join('\n')}
\`\`\`

Each HTTP target is judged on the median over rounds: throughput on that client's table below; client CPU above the pass-through on the in-process table (no sockets: over loopback the CPU per request of the same client spreads by tens of µs from round to round on this shared machine, so a 3 µs question cannot be answered there; the loopback figure is printed in the same line); the core targets on the success-path core table.

${httpTables}

### In-process, against a fake transport

The same clients with no sockets and no server, so what is left is the client's own request handling and the middleware's: undici's \`request()\` on a \`Dispatcher\` subclass whose \`dispatch\` answers every request with a \`200\` and the same body on a resolved-promise microtask (through the v7 handler API, \`onRequestStart\` → \`onResponseStart\` → \`onResponseData\` → \`onResponseEnd\`, for composed chains; through the legacy callbacks for \`request()\` straight to it, as a real \`Client\` does); Node's global \`fetch\` with such a dispatcher installed as the process's global dispatcher (so redress takes the path it takes in a Node service: a per-attempt dispatcher wrapper, no signal); an axios instance whose \`adapter\` resolves a 200 response. Raw, pass-through, redress (\`redressInterceptor()\`, \`redressFetch({ fetch })\`, \`installRedress()\`) and the peers, ${c.rounds} interleaved rounds of ${c.inProcessRequests.toLocaleString('en-US')} requests one after another, the event loop turning every 100 requests as a service's does between I/O callbacks (a fake transport answers on microtasks: without the turns nothing scheduled for a later macrotask ever ran, what the clients release there piled up until the heap held 270 MB, and undici's redress row measured 13–14 µs per request above the pass-through instead of 1–3, most of it in the timed scavenges); CPU per request as above (in-process, wall-clock time is the same to within the collector's threads). The process runs with \`--expose-gc\`, and every batch is bracketed by a scavenge of the young generation: one before it, untimed, and one at its end, timed, so each variant pays for collecting its own garbage — without them, the scavenges that fall in a batch collect what the variant before it left, which moved several µs per request from one row to the next and widened every paired spread. "Above pass-through" is paired by round. Bytes per request as above, ${c.allocRequests} requests per sample.

${inProcessTable(r.inProcess)}

### Core: \`policy.call\`

**Success path.** An async function that resolves at once, run ${c.coreCalls.toLocaleString('en-US')} times per round, awaited one after another, ${c.rounds} interleaved rounds. ns/call is wall-clock time; "above bare await" and "× cockatiel" are paired by round. Each batch is bracketed by scavenges as in the in-process section (the timed one at its end), so each variant pays for its own garbage: without them, p-retry's garbage was collected inside whichever batch followed it. \`new RetryPolicy()\` with defaults; cockatiel \`retry(handleAll, { maxAttempts: 3 }).execute(fn)\`; \`pRetry(fn, { retries: 3 })\`. Bytes per call as above, ${r.coreAllocCalls.toLocaleString('en-US')} calls per sample.

${coreTable(r.core)}

**Fails once, then succeeds.** Each call gets a fresh function that throws \`Object.assign(new Error('x'), { code: 'ECONNRESET' })\` on its first attempt and resolves on its second: \`new RetryPolicy({ strategy: () => 0 })\`, against cockatiel's \`retry(handleAll, { maxAttempts: 3 })\` (whose default backoff is also 0 ms) and a hand-written \`try { await f() } catch { await f() }\`. A 0 ms backoff may still be waited out on a real timer (cockatiel's is: about a millisecond of idle wall-clock time per call, which the wall column shows), so the comparison is in CPU time: ${c.coreFailCalls.toLocaleString('en-US')} calls per round, ${c.rounds} rounds, paired by round; bytes over ${c.coreFailCalls} calls per sample.

${failOnceTable(r.coreFailOnce)}

### Timing accuracy on loopback

Measured at the server: the time from handing the \`429\` (\`Retry-After: 1\`) to the kernel to the retry's arrival, minus 1 000 ms (${c.timingSamples} samples per adapter, 4 at a time, no retry budget so every 429 is retried). "jitter 0" runs \`new RetryPolicy({ classifier: httpClassifier, strategy: retryAfterOr(decorrelatedJitter(), { jitterMs: 0 }), maxAttempts: 3 })\`; "default policy" runs \`httpPolicy({ budget: null })\`, whose \`retryAfterOr\` adds \`U(0, 250 ms)\` on purpose so clients told the same \`Retry-After\` do not return together: its lateness is that jitter plus the scheduling delay. The abort column: the server answers \`503\` with \`Retry-After: 10\`; 200 ms later (the client is sleeping) the caller's \`AbortController\` aborts; time from \`abort()\` to the request's rejection.

${timingTable(r.timing)}
${profileSection(r.profiles)}
${REMAINING_COST}
### Closing note

Throughput relative to the raw client (median of ${c.rounds} rounds): ${headline}. \`policy.call\`: ${fixed(ours?.wallNsAbove.median ?? Number.NaN, 0)} ns/call above a bare \`await fn()\` (${fixed(ours?.wallNs.median ?? Number.NaN, 0)} against ${fixed(bare?.wallNs.median ?? Number.NaN, 0)} ns), ${whole(ours?.bytesAbove ?? Number.NaN)} bytes allocated per call above it. ${missed === 0 ? 'Every target passes.' : `${missed} of ${r.verdicts.length} targets are MISSED by this build (targets: throughput ≥ ${OVERHEAD_TARGETS.minThroughputRatio}× raw, client CPU within ${OVERHEAD_TARGETS.maxCpuUsAbovePassThrough} µs/request of the pass-through, \`policy.call\` ≤ ${OVERHEAD_TARGETS.maxCoreNsAboveBare} ns and ${OVERHEAD_TARGETS.maxCoreBytesAboveBare} bytes above a bare await); the profiles above show where the core path and the undici path spend their time.`}
`
}
