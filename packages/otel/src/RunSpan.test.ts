import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { EventName } from '@redress/core'
import { describe, expect, it } from 'vitest'
import { defaultSpanName, RunSpan } from './RunSpan.ts'

function spanNamesOf(spanName: (operation: string | undefined) => string, operation: string | undefined): string[] {
  const exporter = new InMemorySpanExporter()
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('test')
  const span = new RunSpan(tracer, spanName)
  span.open(operation)
  span.event(EventName.SUCCESS, { attempt: 1 })
  return exporter.getFinishedSpans().map((s) => s.name)
}

describe('RunSpan', () => {
  it('names the span with the spanName option', () => {
    expect(spanNamesOf((op) => `custom ${op}`, 'getUser')).toEqual(['custom getUser'])
  })

  it('falls back to the default name when spanName throws (isolated: tracing never breaks a run)', () => {
    const throwing = (): string => {
      throw new Error('broken namer')
    }
    expect(spanNamesOf(throwing, 'getUser')).toEqual([defaultSpanName('getUser')])
    expect(spanNamesOf(throwing, undefined)).toEqual(['redress'])
  })
})
