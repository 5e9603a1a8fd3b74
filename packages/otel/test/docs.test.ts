import { readFileSync } from 'node:fs'
import { numbersIn, readmeDefaults } from '@redress/test-support'
import { describe, expect, it } from 'vitest'
import { OTEL_HOOKS_DEFAULTS, type OtelHooksOptions } from '../src/otelHooks.ts'
import { defaultSpanName } from '../src/RunSpan.ts'

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const OPTIONS_SOURCE = readFileSync(new URL('../src/otelHooks.ts', import.meta.url), 'utf8')
const NAME = OTEL_HOOKS_DEFAULTS.instrumentationName

/** What the Default cell of each option must say; keyed by the options type, so a new option needs a row. */
const DEFAULT_CELLS: { readonly [K in keyof Required<OtelHooksOptions>]: (cell: string) => void } = {
  tracer: (cell) => expect(cell).toBe(`\`trace.getTracer('${NAME}')\``),
  meter: (cell) => expect(cell).toBe(`\`metrics.getMeter('${NAME}')\``),
  spanName: (cell) => {
    expect(defaultSpanName('op')).toBe('redress op')
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the README shows the template literal itself
    expect(cell).toContain('`redress ${operation}`')
    expect(cell).toContain(`(\`${defaultSpanName(undefined)}\` without one)`)
  },
  sleepBucketsSeconds: (cell) => expect(numbersIn(cell)).toEqual(OTEL_HOOKS_DEFAULTS.sleepBucketsSeconds),
  attemptBuckets: (cell) => expect(numbersIn(cell)).toEqual(OTEL_HOOKS_DEFAULTS.attemptBuckets),
}

/** The numbers of the `@default` line in the TSDoc of `option`. */
function tsdocDefault(option: string): number[] {
  const match = new RegExp(`@default ([^\\n]*)\\n\\s*\\*/\\n\\s*${option}\\?:`).exec(OPTIONS_SOURCE)
  if (match === null) throw new Error(`no @default for ${option}`)
  return numbersIn(match[1] ?? '')
}

describe('the README and TSDoc against the code', () => {
  it('lists every option of otelHooks, with the default the code uses', () => {
    const rows = readmeDefaults(README)
    expect([...rows.keys()].sort()).toEqual(Object.keys(DEFAULT_CELLS).sort())
    for (const [option, check] of Object.entries(DEFAULT_CELLS)) check(rows.get(option) ?? '')
  })

  it('documents in TSDoc the buckets of OTEL_HOOKS_DEFAULTS', () => {
    expect(tsdocDefault('sleepBucketsSeconds')).toEqual(OTEL_HOOKS_DEFAULTS.sleepBucketsSeconds)
    expect(tsdocDefault('attemptBuckets')).toEqual(OTEL_HOOKS_DEFAULTS.attemptBuckets)
    expect(OPTIONS_SOURCE).toContain(`@default trace.getTracer('${NAME}')`)
    expect(OPTIONS_SOURCE).toContain(`@default metrics.getMeter('${NAME}')`)
  })
})
