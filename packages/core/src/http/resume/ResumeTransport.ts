import type { AttemptContext } from '../../policy/RetryOptions.ts'
import type { HeadersLike } from '../headers/getHeader.ts'

/**
 * How an adapter sends one continuation and reads it; the download does the rest (the policy,
 * the checks, the events). `R` is the adapter's response (or a small record around it).
 */
export interface ResumeTransport<R> {
  /**
   * Sends the continuation: the original request (method `GET`, its headers) with `headers` in
   * place of its `Range` and conditional headers (`RESUME_REPLACED_HEADERS`). Resolves with the
   * response, whatever its status; aborts when `ctx` is abandoned (timeout, deadline, abort).
   */
  send(headers: Readonly<Record<string, string>>, ctx: AttemptContext): Promise<R>
  /** The status and headers of a response `send` resolved with. */
  head(response: R): { readonly status: number; readonly headers: HeadersLike | null | undefined }
  /**
   * Resolves once the accepted `206`'s body delivered its first bytes (kept for the caller), or
   * ended; rejects with the body's error, or when `ctx` is abandoned. A continuation counts as a
   * success only once it made progress, so one cut again before its first byte is a failed
   * attempt of the same resume.
   */
  firstBytes(response: R, ctx: AttemptContext): Promise<void>
  /** Frees a response that will not be used (drains or cancels its body). Never throws. */
  release(response: R): void
}
