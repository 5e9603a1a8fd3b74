import type { Clock } from '../../Clock.ts'
import { booleanOption } from '../../guard/validate.ts'
import { policyInternals } from '../../policy/policyInternals.ts'
import type { HttpAdapter } from '../httpAdapter.ts'
import { ResumableDownload } from './ResumableDownload.ts'
import { RESUME_DEFAULTS, RESUME_MIN_BODY_BYTES, type ResumableRequestOptions } from './ResumeOptions.ts'
import type { ResumeRequest } from './ResumeRequest.ts'
import { contentLengthOf, type ResumableResponseHead, resumeTargetOf } from './ResumeTarget.ts'

/** What a {@link Resumer} reads of the adapter's options (the rest are `createHttpAdapter`'s, in `adapter`). */
export interface ResumerSettings {
  /** The adapter's `resume` option. @default true */
  readonly resume?: boolean | undefined
}

/**
 * An adapter's resumer of cut downloads: it decides which responses can be resumed (only when
 * asked, after a response arrived — a request pays nothing for it before) and makes each one a
 * {@link ResumableDownload}, which runs the continuations under the adapter's policy.
 */
export class Resumer {
  /** The adapter's `resume` option, resolved: whether responses are resumed unless a request says otherwise. */
  readonly enabled: boolean
  /** The runner the adapter drives (its policy). */
  readonly adapter: HttpAdapter
  /** The policy's clock: the download's deadline is counted on it. */
  readonly clock: Clock
  // True when the policy has a deadline: only then is a request's start time worth a clock read.
  readonly #bounded: boolean

  /**
   * @param adapter the adapter's runner, from `createHttpAdapter`: continuations run under its
   *   policy and its settings (operation namer, `maxRetryAfterMs`, per-origin budget, breaker and
   *   throttle), as its own runs do
   * @param settings the adapter's options, of which the `resume` option is read
   * @param owner the adapter's name, for error messages
   * @throws TypeError naming `resume` when it is not a boolean
   */
  constructor(adapter: HttpAdapter, settings: ResumerSettings | undefined, owner: string) {
    this.enabled = booleanOption(owner, 'resume', settings?.resume) ?? RESUME_DEFAULTS.resume
    this.adapter = adapter
    const internals = policyInternals(adapter.policy)
    // createHttpAdapter has already refused a policy without internals.
    this.clock = internals?.resolved.clock ?? { now: () => performance.now() }
    this.#bounded = Number.isFinite(adapter.limits.deadlineMs)
  }

  /**
   * When a request that may be resumed (see {@link allows}) starts, in ms on the policy's
   * {@link clock}: hand it to {@link download} when its response arrives. The download's deadline
   * is counted from it, so that `deadlineMs` bounds the whole download — the first response's
   * attempts and sleeps, and every resume after it — as it bounds a run, and not a second
   * `deadlineMs` from when the headers arrived. `undefined`, with no clock read, when the policy
   * has no deadline.
   */
  startTime(): number | undefined {
    return this.#bounded ? this.clock.now() : undefined
  }

  /**
   * Whether a request may be resumed at all, before its response is read: only a `GET` (any
   * case), and then by the adapter's setting, unless the request's own `redress.resume` says
   * otherwise.
   */
  allows(method: string, redress: ResumableRequestOptions | undefined): boolean {
    if (method !== 'GET' && method !== 'get' && method.toUpperCase() !== 'GET') return false
    const own = redress?.resume
    return own === undefined ? this.enabled : own
  }

  /**
   * A resumable download of this response's body, or `undefined` when it cannot be resumed (see
   * `resumeTargetOf`), is shorter than {@link RESUME_MIN_BODY_BYTES}, or the request opted out.
   * Costs a header lookup or three for a response that is not resumable.
   *
   * @param startedAtMs when the request started ({@link startTime}): the deadline of every
   *   continuation is counted from it; `undefined` counts it from now (a policy with no deadline
   *   needs neither)
   */
  download(
    head: ResumableResponseHead,
    request: ResumeRequest,
    startedAtMs: number | undefined,
  ): ResumableDownload | undefined {
    if (!this.allows(head.method, request.redress)) return undefined
    const length = contentLengthOf(head.headers)
    if (length !== undefined && length < RESUME_MIN_BODY_BYTES) return undefined
    const target = resumeTargetOf(head)
    return target === undefined ? undefined : new ResumableDownload(this, target, request, startedAtMs)
  }
}
