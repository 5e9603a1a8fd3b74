import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { RESUME_DEFAULTS, RESUME_MIN_BODY_BYTES, readResumeOption } from './ResumeOptions.ts'

const SOURCE = readFileSync(new URL('./ResumeOptions.ts', import.meta.url), 'utf8')

describe('ResumeOptions', () => {
  it('documents in TSDoc the defaults the code uses', () => {
    expect(SOURCE).toMatch(new RegExp(`@default ${RESUME_DEFAULTS.resume}\\n\\s*\\*/\\n\\s*resume\\?:`))
    expect(SOURCE).toMatch(
      new RegExp(`@default ${RESUME_MIN_BODY_BYTES}\\n\\s*\\*/\\nexport const RESUME_MIN_BODY_BYTES`),
    )
    expect(Object.isFrozen(RESUME_DEFAULTS)).toBe(true)
  })

  it('reads redress.resume, and names it when it is not a boolean', () => {
    expect(readResumeOption(undefined, 'x')).toBeUndefined()
    expect(readResumeOption({}, 'x')).toBeUndefined()
    expect(readResumeOption({ resume: false } as never, 'x')).toBe(false)
    expect(() => readResumeOption({ resume: 'no' } as never, 'redressFetch')).toThrow(
      new TypeError('redressFetch: redress.resume must be a boolean, got "no"'),
    )
  })
})
