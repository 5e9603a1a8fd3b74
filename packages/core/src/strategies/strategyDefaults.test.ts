import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DECORRELATED_JITTER_DEFAULTS } from './decorrelatedJitter.ts'
import { EQUAL_JITTER_DEFAULTS } from './equalJitter.ts'
import { FULL_JITTER_DEFAULTS } from './fullJitter.ts'
import { RETRY_AFTER_OR_DEFAULTS } from './retryAfterOr.ts'
import { TOKEN_BACKOFF_DEFAULTS } from './tokenBackoff.ts'

/** Every `@default N` in a TSDoc block, keyed by the property the block documents. */
function documentedDefaults(file: string): Record<string, number> {
  const source = readFileSync(new URL(file, import.meta.url), 'utf8')
  const found: Record<string, number> = {}
  for (const match of source.matchAll(/@default\s+(Infinity|[\d_.]+)[^/]*?\*\/\s*(?:readonly\s+)?(\w+)\??:/g)) {
    const [, literal = '', key = ''] = match
    found[key] = literal === 'Infinity' ? Infinity : Number(literal.replaceAll('_', ''))
  }
  return found
}

describe('strategy defaults', () => {
  it.each([
    ['./decorrelatedJitter.ts', DECORRELATED_JITTER_DEFAULTS],
    ['./equalJitter.ts', EQUAL_JITTER_DEFAULTS],
    ['./tokenBackoff.ts', TOKEN_BACKOFF_DEFAULTS],
    ['./fullJitter.ts', FULL_JITTER_DEFAULTS],
    ['./retryAfterOr.ts', RETRY_AFTER_OR_DEFAULTS],
  ] as const)('documents in %s exactly the @default values of its defaults constant', (file, defaults) => {
    expect(documentedDefaults(file)).toEqual({ ...defaults })
  })

  it('keeps the defaults constants frozen', () => {
    for (const defaults of [
      DECORRELATED_JITTER_DEFAULTS,
      EQUAL_JITTER_DEFAULTS,
      TOKEN_BACKOFF_DEFAULTS,
      FULL_JITTER_DEFAULTS,
      RETRY_AFTER_OR_DEFAULTS,
    ]) {
      expect(Object.isFrozen(defaults)).toBe(true)
    }
  })
})
