import { readFileSync } from 'node:fs'
import { HTTP_POLICY_DEFAULTS, REQUEST_CLASSIFIER_DEFAULTS, RESUME_DEFAULTS } from '@redress/core/http'
import { numbersIn, readmeDefaults } from '@redress/test-support'
import { describe, expect, it } from 'vitest'
import type { InstallRedressOptions } from '../src/index.ts'

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const OPTIONS_SOURCE = readFileSync(new URL('../src/InstallRedressOptions.ts', import.meta.url), 'utf8')

/** What the Default cell of each option must say; keyed by the options type, so a new option needs a row. */
const DEFAULT_CELLS: { readonly [K in keyof Required<InstallRedressOptions>]: (cell: string) => void } = {
  policy: (cell) => {
    expect(cell).toContain('`httpPolicy()`')
    expect(numbersIn(cell)).toEqual([HTTP_POLICY_DEFAULTS.maxAttempts, HTTP_POLICY_DEFAULTS.deadlineMs])
  },
  maxRetryAfterMs: (cell) => expect(numbersIn(cell)).toEqual([HTTP_POLICY_DEFAULTS.maxRetryAfterMs]),
  retryNonIdempotent: (cell) => expect(cell).toBe(`\`${REQUEST_CLASSIFIER_DEFAULTS.retryNonIdempotent}\``),
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the README shows the template literal itself
  operation: (cell) => expect(cell).toContain('${method} ${host}'),
  resume: (cell) => expect(cell).toBe(`\`${RESUME_DEFAULTS.resume}\``),
}

describe('the README and TSDoc against the code', () => {
  it('starts with the two-line use', () => {
    const [use] = README.split('```').filter((_, i) => i % 2 === 1)
    expect(use).toContain('npm install @redress/axios')
    expect(use).toContain('installRedress(axios.create(), { policy })')
  })

  it('lists every option of installRedress, with the default the code uses', () => {
    const rows = readmeDefaults(README)
    expect([...rows.keys()].sort()).toEqual(Object.keys(DEFAULT_CELLS).sort())
    for (const [option, check] of Object.entries(DEFAULT_CELLS)) check(rows.get(option) ?? '')
  })

  it('documents in TSDoc the defaults the code uses', () => {
    expect(OPTIONS_SOURCE).toContain(`@default ${HTTP_POLICY_DEFAULTS.maxRetryAfterMs}\n`)
    expect(OPTIONS_SOURCE).toContain(`@default ${REQUEST_CLASSIFIER_DEFAULTS.retryNonIdempotent}\n`)
    expect(OPTIONS_SOURCE).toContain(
      `${HTTP_POLICY_DEFAULTS.maxAttempts} attempts, ${HTTP_POLICY_DEFAULTS.deadlineMs.toLocaleString('en').replace(',', ' ')} ms`,
    )
  })
})
