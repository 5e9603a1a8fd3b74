import { type Attributes, type Span, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api'
import { EventName, type EventTags, isTerminalEvent, StopReason } from '@redress/core'
import { isolate } from '@redress/core/adapter'
import { eventAttributes } from './eventAttributes.ts'
import { OTEL_ATTRIBUTES as A } from './otelAttributes.ts'

/**
 * The span of one run. It opens at the first attempt (or the first event, when the
 * breaker rejects before any attempt), collects every event as a span event, and ends
 * at the terminal event. Events after that — a breaker transition the run's outcome
 * caused — are counted by the metrics but not added to the ended span.
 */
export class RunSpan {
  readonly #tracer: Tracer
  readonly #spanName: (operation: string | undefined) => string
  #span: Span | undefined = undefined
  #ended = false

  constructor(tracer: Tracer, spanName: (operation: string | undefined) => string) {
    this.#tracer = tracer
    this.#spanName = spanName
  }

  /** Opens the span if it is not open yet. */
  open(operation: string | undefined): void {
    if (this.#span !== undefined || this.#ended) return
    const attributes: Attributes = {}
    if (operation !== undefined) attributes[A.OPERATION] = operation
    // A throwing `spanName` gets the default name: tracing never breaks a run.
    const name = isolate(defaultSpanName(operation), this.#spanName, undefined, operation)
    this.#span = this.#tracer.startSpan(name, { kind: SpanKind.INTERNAL, attributes })
  }

  /** Adds one event (the `onLog` fields) and ends the span on a terminal event. */
  event(event: EventName, fields: Readonly<Record<string, unknown>>): void {
    if (this.#ended) return
    const tags = tagsOf(fields)
    const operation = tags['operation']
    this.open(typeof operation === 'string' ? operation : undefined)
    const span = this.#span
    if (span === undefined) return
    const terminal = isTerminalEvent(event)
    const failed = event !== EventName.SUCCESS && (terminal || event === EventName.RETRY)
    const attrs = eventAttributes(tags, failed)
    const attempt = fields['attempt']
    if (typeof attempt === 'number') attrs[A.ATTEMPTS] = attempt
    if (event === EventName.RETRY && typeof fields['sleep_ms'] === 'number') attrs[A.SLEEP_MS] = fields['sleep_ms']
    if (event === EventName.HEDGE && typeof fields['after_ms'] === 'number')
      attrs[A.HEDGE_AFTER_MS] = fields['after_ms']
    if (typeof tags['state'] === 'string') attrs[A.CIRCUIT_STATE] = tags['state']
    if (typeof fields['error'] === 'string') attrs[A.EXCEPTION_MESSAGE] = fields['error']
    span.addEvent(`redress.${event}`, attrs)
    if (!terminal) return

    const final: Attributes = { ...attrs }
    delete final[A.EXCEPTION_MESSAGE]
    delete final[A.CIRCUIT_STATE]
    if (event === EventName.SUCCESS) delete final[A.CLASS]
    if (typeof fields['winning_attempt'] === 'number') final[A.WINNING_ATTEMPT] = fields['winning_attempt']
    const attempts = typeof attempt === 'number' ? attempt : 0
    // resend_count belongs to HTTP requests only (semconv http client spans); a run is one
    // when an adapter tagged its method.
    if (typeof tags['method'] === 'string' && attempts > 1) final[A.HTTP_REQUEST_RESEND_COUNT] = attempts - 1
    span.setAttributes(final)
    const stop = tags['stop_reason']
    // A deferred run is handed to a scheduler, not failed.
    if (failed && stop !== StopReason.SCHEDULED) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: typeof stop === 'string' ? stop : event })
    }
    span.end()
    this.#ended = true
    this.#span = undefined
  }
}

/** The default span name: `redress <operation>`, or `redress` without one. */
export function defaultSpanName(operation: string | undefined): string {
  return operation === undefined || operation === '' ? 'redress' : `redress ${operation}`
}

function tagsOf(fields: Readonly<Record<string, unknown>>): EventTags {
  const tags: Record<string, string | number> = {}
  for (const [k, v] of Object.entries(fields)) if (typeof v === 'string' || typeof v === 'number') tags[k] = v
  return tags
}
