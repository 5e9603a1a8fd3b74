import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { exportLists, internalsReachable, sourceEntries } from '../src/exportList.ts'

const root = mkdtempSync(join(tmpdir(), 'export-list-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** Writes a fixture package under `<root>/packages/<name>/` and returns its directory. */
function fixture(name: string, files: Record<string, string>): string {
  const dir = join(root, 'packages', name)
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

const widget = fixture('widget', {
  'src/index.ts': [
    "export { Widget } from './Widget.ts'",
    "export type { Shown } from './types.ts'",
    "export { LIMIT } from './limit.ts'",
  ].join('\n'),
  'src/types.ts': [
    'export interface Shown { a: number }',
    'export interface Options { shown: Shown; leaked: Leaked }',
    'export interface Leaked { n: number }',
    'export interface Parent { p: number }',
    'export interface BodyOnly { x: number }',
    'export interface PrivateOnly { y: number }',
    'export interface ImplementationOnly { z: number }',
    'export interface InitializerOnly { w: number }',
  ].join('\n'),
  'src/limit.ts': [
    "import type { InitializerOnly } from './types.ts'",
    'const made: InitializerOnly = { w: 1 }',
    'export const LIMIT: number = made.w',
  ].join('\n'),
  'src/Widget.ts': [
    "import type { BodyOnly, ImplementationOnly, Options, Parent, PrivateOnly } from './types.ts'",
    'export class Widget implements Parent {',
    '  readonly p: number = 1',
    '  #secret: PrivateOnly | undefined',
    '  private hidden: PrivateOnly | undefined',
    '  private constructor(_options: PrivateOnly) {}',
    '  static make(): Widget { const b: BodyOnly = { x: 1 }; return new Widget({ y: b.x }) }',
    '  use(options: Options): void',
    '  use(_options: Options, _impl?: ImplementationOnly): void {}',
    '}',
  ].join('\n'),
})

describe('internalsReachable', () => {
  it('lists the unexported types a public signature reaches, through members, extends and implements', () => {
    expect(internalsReachable([join(widget, 'src/index.ts')])).toEqual([
      'Leaked (packages/widget/src/types.ts)',
      'Options (packages/widget/src/types.ts)',
      'Parent (packages/widget/src/types.ts)',
    ])
  })

  it('is empty when every type a signature reaches is exported', () => {
    const tidy = fixture('tidy', {
      'src/index.ts': "export type { Options, Leaked } from './types.ts'",
      'src/types.ts': 'export interface Options { leaked: Leaked }\nexport interface Leaked { n: number }',
    })
    expect(internalsReachable([join(tidy, 'src/index.ts')])).toEqual([])
  })
})

describe('exportLists', () => {
  it('splits the names into values and types, each sorted', () => {
    expect(Object.values(exportLists([join(widget, 'src/index.ts')]))).toEqual([
      { values: ['LIMIT', 'Widget'], types: ['Shown'] },
    ])
  })
})

describe('sourceEntries', () => {
  it("reads every subpath's @redress/source target but ./package.json, in order", () => {
    const dir = fixture('entries', {
      'package.json': JSON.stringify({
        exports: {
          '.': { '@redress/source': './src/index.ts', import: './dist/index.js' },
          './http': { '@redress/source': './src/http/index.ts', import: './dist/http/index.js' },
          './package.json': './package.json',
        },
      }),
    })
    expect(sourceEntries(pathToFileURL(join(dir, 'package.json'))).map(String)).toEqual([
      String(pathToFileURL(join(dir, 'src/index.ts'))),
      String(pathToFileURL(join(dir, 'src/http/index.ts'))),
    ])
  })

  it('throws for a subpath without a @redress/source target, naming it', () => {
    const dir = fixture('unsourced', {
      'package.json': JSON.stringify({ exports: { './extra': { import: './dist/extra.js' } } }),
    })
    expect(() => sourceEntries(pathToFileURL(join(dir, 'package.json')))).toThrow(/\.\/extra/)
  })
})
