import type { ResumableRequestOptions } from './ResumeOptions.ts'

/** What a download knows of its request: where continuations go and how they are named. */
export interface ResumeRequest {
  /**
   * The URL continuations are sent to (the response's final URL, after redirects, when known),
   * or a function computing it — called only when the body is cut, so a response that is not cut
   * never pays for it. One that throws or returns `undefined` means the body cannot be resumed.
   */
  readonly url: string | URL | (() => string | URL | undefined)
  /** The origin `url` is relative to (undici's dispatch `origin`), as in `HttpRequest`. */
  readonly origin?: string | URL | undefined
  /** The request's own `redress` options. */
  readonly redress: ResumableRequestOptions | undefined
}
