import { readFileSync } from 'node:fs'
import { HTTP_POLICY_DEFAULTS, REQUEST_CLASSIFIER_DEFAULTS } from '@redress/core/http'
import { describe, expect, it } from 'vitest'
import { REDRESS_FETCH_DEFAULTS } from '../src/RedressFetchOptions.ts'

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const OPTIONS_SOURCE = readFileSync(new URL('../src/RedressFetchOptions.ts', import.meta.url), 'utf8')

/** The rows of the options table: option name → default cell. */
function readmeDefaults(): Record<string, string> {
  const table = README.split('<!-- defaults: redressFetch -->')[1] ?? ''
  const rows: Record<string, string> = {}
  for (const line of table.trimStart().split('\n')) {
    if (!line.startsWith('|')) break
    const cells = line.split('|').map((cell) => cell.trim())
    const option = /^`(\w+)`$/.exec(cells[1] ?? '')?.[1]
    if (option !== undefined) rows[option] = cells[2] ?? ''
  }
  return rows
}

describe('the README and TSDoc against the code', () => {
  it('starts with the two-line use', () => {
    const [install, use] = README.split('```').filter((_, i) => i % 2 === 1)
    expect(install).toContain('npm install @redress/fetch')
    expect(use).toContain('globalThis.fetch = redressFetch()')
  })

  it('lists every option with the default the code uses', () => {
    const rows = readmeDefaults()
    expect(Object.keys(rows).sort()).toEqual(
      [
        'fetch',
        'maxBufferedBodyBytes',
        'maxBufferedRequestBodyBytes',
        'maxRetryAfterMs',
        'operation',
        'policy',
        'retryNonIdempotent',
      ].sort(),
    )
    expect(rows['maxBufferedBodyBytes']).toBe(String(REDRESS_FETCH_DEFAULTS.maxBufferedBodyBytes))
    expect(rows['maxBufferedRequestBodyBytes']?.replaceAll(' ', '')).toBe(
      String(REDRESS_FETCH_DEFAULTS.maxBufferedRequestBodyBytes),
    )
    expect(rows['maxRetryAfterMs']?.replaceAll(' ', '')).toBe(String(HTTP_POLICY_DEFAULTS.maxRetryAfterMs))
    expect(rows['retryNonIdempotent']).toBe(`\`${REQUEST_CLASSIFIER_DEFAULTS.retryNonIdempotent}\``)
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
