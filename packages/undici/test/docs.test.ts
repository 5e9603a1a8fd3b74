import { readFileSync } from 'node:fs'
import { HTTP_POLICY_DEFAULTS, REQUEST_CLASSIFIER_DEFAULTS, RESUME_DEFAULTS } from '@redress/core/http'
import { numbersIn, readmeDefaults } from '@redress/test-support'
import { describe, expect, it } from 'vitest'
import { DISCARD_DUMP_MAX_BYTES, DISCARD_DUMP_MAX_MS } from '../src/discardLimits.ts'
import { ERROR_NOT_DELIVERED } from '../src/endWithError.ts'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const source = readFileSync(new URL('../src/discardLimits.ts', import.meta.url), 'utf8')

describe('README and TSDoc defaults', () => {
  it('documents the defaults the code uses', () => {
    const rows = readmeDefaults(readme, { after: /<!-- defaults: redressInterceptor -->/g })
    expect([...rows.keys()]).toEqual(['policy', 'maxRetryAfterMs', 'retryNonIdempotent', 'operation', 'resume'])
    expect(rows.get('resume')).toBe(`\`${RESUME_DEFAULTS.resume}\``)
    expect(numbersIn(rows.get('maxRetryAfterMs') ?? '')).toEqual([HTTP_POLICY_DEFAULTS.maxRetryAfterMs])
    expect(rows.get('retryNonIdempotent')).toBe(`\`${REQUEST_CLASSIFIER_DEFAULTS.retryNonIdempotent}\``)
  })

  it('documents the discard limits the code uses', () => {
    expect(readme).toContain(`(${DISCARD_DUMP_MAX_BYTES.toLocaleString('en').replace(',', ' ')} bytes)`)
    expect(source).toContain(`@default ${DISCARD_DUMP_MAX_BYTES}\n`)
    expect(readme).toContain(`\`DISCARD_DUMP_MAX_MS\` (${DISCARD_DUMP_MAX_MS} ms`)
    expect(source).toContain(`@default ${DISCARD_DUMP_MAX_MS}\n`)
  })

  it('names the code of the warning for an error no handler can be told', () => {
    expect(readme).toContain(`\`${ERROR_NOT_DELIVERED}\``)
  })
})
