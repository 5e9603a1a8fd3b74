import { readFileSync } from 'node:fs'
import { HTTP_POLICY_DEFAULTS, REQUEST_CLASSIFIER_DEFAULTS, RESUME_DEFAULTS } from '@redress/core/http'
import { numbersIn, readmeDefaults } from '@redress/test-support'
import { describe, expect, it } from 'vitest'
import { REDRESS_FETCH_DEFAULTS } from '../src/RedressFetchOptions.ts'

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const OPTIONS_SOURCE = readFileSync(new URL('../src/RedressFetchOptions.ts', import.meta.url), 'utf8')

describe('the README and TSDoc against the code', () => {
  it('starts with the two-line use', () => {
    const [install, use] = README.split('```').filter((_, i) => i % 2 === 1)
    expect(install).toContain('npm install @redress/fetch')
    expect(use).toContain('globalThis.fetch = redressFetch()')
  })

  it('lists every option with the default the code uses', () => {
    const rows = readmeDefaults(README, { after: /<!-- defaults: redressFetch -->/g })
    expect([...rows.keys()].sort()).toEqual(
      [
        'fetch',
        'maxBufferedBodyBytes',
        'maxBufferedRequestBodyBytes',
        'maxRetryAfterMs',
        'operation',
        'policy',
        'resume',
        'retryNonIdempotent',
      ].sort(),
    )
    expect(rows.get('resume')).toBe(`\`${RESUME_DEFAULTS.resume}\``)
    expect(numbersIn(rows.get('maxBufferedBodyBytes') ?? '')).toEqual([REDRESS_FETCH_DEFAULTS.maxBufferedBodyBytes])
    expect(numbersIn(rows.get('maxBufferedRequestBodyBytes') ?? '')).toEqual([
      REDRESS_FETCH_DEFAULTS.maxBufferedRequestBodyBytes,
    ])
    expect(numbersIn(rows.get('maxRetryAfterMs') ?? '')).toEqual([HTTP_POLICY_DEFAULTS.maxRetryAfterMs])
    expect(rows.get('retryNonIdempotent')).toBe(`\`${REQUEST_CLASSIFIER_DEFAULTS.retryNonIdempotent}\``)
  })

  it('documents in TSDoc exactly the defaults of REDRESS_FETCH_DEFAULTS', () => {
    const documented = [...OPTIONS_SOURCE.matchAll(/@default\s+(\d+)\s*\*\/\s*(\w+)\??:/g)].map(([, value, key]) => [
      key,
      Number(value),
    ])
    expect(Object.fromEntries(documented)).toEqual({ ...REDRESS_FETCH_DEFAULTS })
    expect(Object.isFrozen(REDRESS_FETCH_DEFAULTS)).toBe(true)
  })
})
