import { describe, expect, it } from 'vitest'
import { judgeResume, RESUME_TARGET, resumeVerdictLine } from '../src/resume/resumeVerdict.ts'

describe('judgeResume', () => {
  const size = 1_000_000

  it('passes an adapter whose resumed download sent at most 1.05x the body, and shows its whole restart beside it', () => {
    const [v] = judgeResume(
      [
        { client: 'fetch', mode: 'resume', bytes: 1_050_000 },
        { client: 'fetch', mode: 'whole restart', bytes: 1_988_000 },
      ],
      size,
    )
    expect(v).toMatchObject({ client: 'fetch', pass: true })
    expect(resumeVerdictLine(v as never)).toBe(
      'PASS fetch: resume sent 1.050× the body size (target ≤ 1.05×); whole restart 1.988×',
    )
    expect(RESUME_TARGET).toEqual({ maxBodyRatio: 1.05 })
  })

  it('misses above 1.05x, one verdict per adapter in the order of the runs', () => {
    const verdicts = judgeResume(
      [
        { client: 'undici', mode: 'whole restart', bytes: 2_000_000 },
        { client: 'undici', mode: 'resume', bytes: 1_050_001 },
        { client: 'axios (stream)', mode: 'resume', bytes: 1_000_000 },
      ],
      size,
    )
    expect(verdicts.map((v) => [v.client, v.pass])).toEqual([
      ['undici', false],
      ['axios (stream)', true],
    ])
    expect(resumeVerdictLine(verdicts[0] as never)).toMatch(
      /^MISSED undici: resume sent 1\.050× .* whole restart 2\.000×$/,
    )
    expect(resumeVerdictLine(verdicts[1] as never)).toMatch(/whole restart not measured$/)
  })
})
