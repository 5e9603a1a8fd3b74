/** What issue 19 asks of resuming a cut download: body bytes sent, at most this many times the body's size. */
export const RESUME_TARGET: { readonly maxBodyRatio: 1.05 } = Object.freeze({ maxBodyRatio: 1.05 } as const)

/** One adapter's download, resumed or restarted whole: the body bytes the server sent for it. */
export interface ResumeRun {
  /** The adapter, as shown in the table (`fetch`, `undici`, `axios (stream)`). */
  readonly client: string
  /** `resume` (the adapter's resume on) or `whole restart` (`resume: false`, the caller fetching again). */
  readonly mode: string
  /** Body bytes the server wrote for the whole download, every request included. */
  readonly bytes: number
}

/** One adapter's verdict: body bytes sent over the body's size, resumed and restarted whole. */
export interface ResumeVerdict {
  readonly client: string
  /** Body bytes sent with resume ÷ body size. */
  readonly resumeRatio: number
  /** Body bytes sent when restarting whole ÷ body size; `NaN` when that run is missing. */
  readonly restartRatio: number
  /** `resumeRatio` ≤ {@link RESUME_TARGET}`.maxBodyRatio`. */
  readonly pass: boolean
}

/**
 * Judges each adapter that has a `resume` run against {@link RESUME_TARGET}, in the order the
 * runs come; `bodyBytes` is the body's size in bytes.
 *
 * @example
 * judgeResume([{ client: 'fetch', mode: 'resume', bytes: 100 }], 100) // [{ client: 'fetch', resumeRatio: 1, restartRatio: NaN, pass: true }]
 */
export function judgeResume(runs: readonly ResumeRun[], bodyBytes: number): ResumeVerdict[] {
  return runs
    .filter((r) => r.mode === 'resume')
    .map((r) => {
      // A SHA-checked download sent at least the whole body: fewer bytes means nothing was measured.
      if (!(r.bytes >= bodyBytes))
        throw new RangeError(`${r.client}: ${r.bytes} body bytes sent for a ${bodyBytes}-byte body`)
      const restart = runs.find((w) => w.client === r.client && w.mode === 'whole restart')
      const resumeRatio = r.bytes / bodyBytes
      return {
        client: r.client,
        resumeRatio,
        restartRatio: restart === undefined ? Number.NaN : restart.bytes / bodyBytes,
        // A tolerance, so that exactly 1.05× (in floating point) passes.
        pass: resumeRatio <= RESUME_TARGET.maxBodyRatio + 1e-9,
      }
    })
}

/** The PASS/MISSED line of one verdict, in the style of the other `pnpm bench` targets. */
export function resumeVerdictLine(v: ResumeVerdict): string {
  const restart = Number.isFinite(v.restartRatio) ? `${v.restartRatio.toFixed(3)}×` : 'not measured'
  return `${v.pass ? 'PASS' : 'MISSED'} ${v.client}: resume sent ${v.resumeRatio.toFixed(3)}× the body size (target ≤ ${RESUME_TARGET.maxBodyRatio}×); whole restart ${restart}`
}
