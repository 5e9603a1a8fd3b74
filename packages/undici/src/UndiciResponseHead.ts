/**
 * What the engine sees of an attempt's response: the status line and headers, while the body
 * waits, paused, on its connection. It is the value policy hooks get as `ctx.result`
 * (`beforeSleep`) and `outcome.lastResult`; the body is never buffered into it.
 */
export interface UndiciResponseHead {
  /** The HTTP status code, as undici names it. */
  readonly statusCode: number
  /** The same number under the name the shared HTTP classifiers read. */
  readonly status: number
  /** The response headers, as undici parsed them (lower-case names). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  /** The reason phrase, when the server sent one. */
  readonly statusMessage: string | undefined
}
