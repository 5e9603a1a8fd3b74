import { readFileSync } from 'node:fs'
import { numbersIn, readmeDefaults } from '@redress/test-support'
import { describe, expect, it } from 'vitest'
import { PROMETHEUS_HOOKS_DEFAULTS, type PrometheusHooksOptions } from '../src/prometheusHooks.ts'

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const OPTIONS_SOURCE = readFileSync(new URL('../src/prometheusHooks.ts', import.meta.url), 'utf8')

/** What the Default cell of each option must say; keyed by the options type, so a new option needs a row. */
const DEFAULT_CELLS: { readonly [K in keyof Required<PrometheusHooksOptions>]: (cell: string) => void } = {
  registry: (cell) => expect(cell).toBe('— (required)'),
  prefix: (cell) => expect(cell).toBe(`\`'${PROMETHEUS_HOOKS_DEFAULTS.prefix}'\``),
  buckets: (cell) => expect(numbersIn(cell)).toEqual(PROMETHEUS_HOOKS_DEFAULTS.buckets),
  attemptBuckets: (cell) => expect(numbersIn(cell)).toEqual(PROMETHEUS_HOOKS_DEFAULTS.attemptBuckets),
}

/** The text of the `@default` line in the TSDoc of `option`. */
function tsdocDefault(option: string): string {
  const match = new RegExp(`@default ([^\\n]*)\\n\\s*\\*/\\n\\s*${option}\\?:`).exec(OPTIONS_SOURCE)
  if (match === null) throw new Error(`no @default for ${option}`)
  return match[1] ?? ''
}

describe('the README and TSDoc against the code', () => {
  it('starts with the two-line use', () => {
    const [use] = README.split('```').filter((_, i) => i % 2 === 1)
    expect(use).toContain('prometheusHooks({ registry: register })')
    expect(use).toContain('new RetryPolicy({ onMetric })')
  })

  it('lists every option of prometheusHooks, with the default the code uses', () => {
    const rows = readmeDefaults(README)
    expect([...rows.keys()].sort()).toEqual(Object.keys(DEFAULT_CELLS).sort())
    for (const [option, check] of Object.entries(DEFAULT_CELLS)) check(rows.get(option) ?? '')
  })

  it('documents in TSDoc the defaults of PROMETHEUS_HOOKS_DEFAULTS', () => {
    expect(tsdocDefault('prefix')).toBe(`'${PROMETHEUS_HOOKS_DEFAULTS.prefix}'`)
    expect(numbersIn(tsdocDefault('buckets'))).toEqual(PROMETHEUS_HOOKS_DEFAULTS.buckets)
    expect(numbersIn(tsdocDefault('attemptBuckets'))).toEqual(PROMETHEUS_HOOKS_DEFAULTS.attemptBuckets)
  })
})
