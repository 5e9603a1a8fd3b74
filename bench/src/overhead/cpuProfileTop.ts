/** One function's share of a CPU profile. */
export interface SelfTime {
  /** `name (file:line)`. */
  readonly frame: string
  /** Self time, in milliseconds. */
  readonly selfMs: number
  /** Self time as a fraction of all samples. */
  readonly share: number
}

interface ProfileNode {
  readonly id: number
  readonly callFrame: {
    readonly functionName: string
    readonly url: string
    readonly lineNumber: number
    readonly columnNumber: number
  }
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[]
  readonly samples: readonly number[]
  readonly timeDeltas: readonly number[]
}

/** Options of {@link cpuProfileTop}. */
export interface CpuProfileTopOptions {
  /** Keep only frames whose script URL passes; shares stay fractions of all samples. @default all */
  readonly include?: ((url: string) => boolean) | undefined
  /**
   * Maps a generated location (URL, 0-based line and column) to `file:line` in the source,
   * e.g. through the build's source map; `undefined` keeps the generated location.
   */
  readonly locate?: ((url: string, line: number, column: number) => string | undefined) | undefined
}

/**
 * The `limit` functions with the most self time in a V8 `.cpuprofile` (as written by
 * `node --cpu-prof`), merged by function name and location. Each sample's time is the
 * delta to the next sample, as in Chrome DevTools.
 */
export function cpuProfileTop(json: string, limit: number, options: CpuProfileTopOptions = {}): SelfTime[] {
  const profile = JSON.parse(json) as CpuProfile
  const frameOf = new Map<number, string | undefined>()
  for (const n of profile.nodes) {
    const { url, lineNumber, columnNumber, functionName } = n.callFrame
    if (options.include !== undefined && !options.include(url)) {
      frameOf.set(n.id, undefined)
      continue
    }
    const located =
      options.locate?.(url, lineNumber, columnNumber) ??
      `${url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules|packages)\//, '')}:${lineNumber + 1}`
    const name = functionName === '' ? '(anonymous)' : functionName
    frameOf.set(n.id, url === '' ? name : `${name} (${located})`)
  }
  const selfUs = new Map<string, number>()
  let totalUs = 0
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i + 1] ?? 0
    const frame = frameOf.get(id)
    totalUs += dt
    if (frame !== undefined) selfUs.set(frame, (selfUs.get(frame) ?? 0) + dt)
  })
  return [...selfUs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([frame, us]) => ({ frame, selfMs: us / 1000, share: totalUs > 0 ? us / totalUs : 0 }))
}
