import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { writeReadme } from '../src/report/writeReadme.ts'

describe('writeReadme', () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
    dir = undefined
  })

  const benchDirWith = (sections: Record<string, string>): string => {
    dir = mkdtempSync(join(tmpdir(), 'bench-readme-'))
    mkdirSync(join(dir, 'results'))
    for (const [file, text] of Object.entries(sections)) writeFileSync(join(dir, 'results', file), text)
    return dir
  }

  it('puts the overhead section first, its other Node versions next, then the simulations, then the rest', () => {
    const benchDir = benchDirWith({
      'zzz.md': '## Z',
      'sim.md': '## Simulations',
      'bench-node22.md': '## Overhead on Node v22\n\n![chart](bench-node22-throughput.svg)',
      'bench.md': '## Overhead on Node v20',
    })
    const text = readFileSync(writeReadme(benchDir), 'utf8')
    const at = (s: string): number => text.indexOf(s)
    expect(at('## Overhead on Node v20')).toBeLessThan(at('## Overhead on Node v22'))
    expect(at('## Overhead on Node v22')).toBeLessThan(at('## Simulations'))
    expect(at('## Simulations')).toBeLessThan(at('## Z'))
    expect(text).toContain('](results/bench-node22-throughput.svg)')
    expect(text).not.toContain('Not generated yet')
  })

  it('names the sections still missing and the script that writes each, but not the optional Node 22 one', () => {
    const text = readFileSync(writeReadme(benchDirWith({ 'sim.md': '## Simulations' })), 'utf8')
    expect(text).toContain('_Not generated yet: `results/bench.md` (run `pnpm bench`)._')
  })
})
