/**
 * OpenTelemetry spans for redress runs, printed to the console: `@redress/otel` opens one
 * span per run (attributes: `http.request.resend_count`, `error.type`, the redress class
 * and stop reason) and records its metrics, from the hooks `otelHooks().forCall()` returns.
 *
 * Run: pnpm --filter @redress/examples exec node --conditions=@redress/source --import tsx otel-console/index.ts
 */
import assert from 'node:assert/strict'
import {
  BasicTracerProvider,
  ConsoleSpanExporter,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base'
import { decorrelatedJitter, RetryPolicy, ServerError } from '@redress/core'
import { otelHooks } from '@redress/otel'

const memory = new InMemorySpanExporter()
const provider = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter()), new SimpleSpanProcessor(memory)],
})
const otel = otelHooks({ tracer: provider.getTracer('otel-console-example') })
const policy = new RetryPolicy({ strategy: decorrelatedJitter({ baseMs: 5, maxMs: 20 }), maxAttempts: 3 })

let calls = 0
await policy.call(
  async () => {
    calls++
    if (calls < 3) throw new ServerError('503 from inventory')
    return 42
  },
  { operation: 'getInventory', ...otel.forCall() },
)
await policy
  .call(
    async () => {
      throw new ServerError('still down')
    },
    { operation: 'getPrices', ...otel.forCall() },
  )
  .catch(() => undefined)

await provider.forceFlush()
const spans = memory.getFinishedSpans()
assert.equal(spans.length, 2)
console.log(`\n${spans.length} spans: ${spans.map((s) => `${s.name} (${JSON.stringify(s.attributes)})`).join('; ')}`)
await provider.shutdown()
