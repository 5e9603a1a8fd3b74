import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { verdictLines, withTargets, writeReadme } from '../src/report/writeReadme.ts'

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

  it('lists the resume verdicts with the overhead targets, and places the bench parts before the simulations', () => {
    const benchDir = benchDirWith({
      'sim.md': '## Simulations',
      'before-after.md': '## Before and after',
      'resume.md':
        '## Resuming\n\n```\nPASS fetch: resume sent 1.000× the body size (target ≤ 1.05×); whole restart 1.988×\nMISSED undici: resume sent 1.100× the body size (target ≤ 1.05×); whole restart 1.988×\n```',
      'hedge.md': '## Hedging',
      'bench.md':
        '## Overhead\n\n### Targets\n\n```\nPASS   core: fast\nMISSED core: small\n```\n\nEach target is judged on the median.',
    })
    const text = readFileSync(writeReadme(benchDir), 'utf8')
    expect(text).toContain(
      '```\nPASS   core: fast\nMISSED core: small\nPASS   fetch: resume sent 1.000× the body size (target ≤ 1.05×); whole restart 1.988×\nMISSED undici: resume sent 1.100× the body size (target ≤ 1.05×); whole restart 1.988×\n```\n\nEach target',
    )
    const order = ['## Overhead', '## Hedging', '## Resuming', '## Before and after', '## Simulations']
    const at = order.map((s) => text.indexOf(s))
    expect(at.every((v) => v >= 0)).toBe(true)
    expect([...at].sort((a, b) => a - b)).toEqual(at)
  })
})

describe('withTargets', () => {
  it('leaves a section without a targets block, or with no lines to add, as it was', () => {
    expect(withTargets('## Overhead\n\nno block', ['PASS x'])).toBe('## Overhead\n\nno block')
    const section = '### Targets\n\n```\nPASS   a\n```'
    expect(withTargets(section, [])).toBe(section)
    expect(withTargets(section, ['PASS b', 'MISSED c'])).toBe('### Targets\n\n```\nPASS   a\nPASS   b\nMISSED c\n```')
  })

  it('finds only whole PASS/MISSED lines', () => {
    expect(verdictLines('**PASS a**\nPASS b\n MISSED c\nMISSED d')).toEqual(['PASS b', 'MISSED d'])
  })
})
