import { readFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { fileURLToPath } from 'node:url'

/**
 * A `locate` for `cpuProfileTop`: maps a frame in a workspace package's built `dist/` back
 * to `<package>/src/<file>:<line>` through the build's source map (`<file>.map`, read once
 * per file). Frames outside `packages/`, or in files without a map, stay unmapped.
 */
export function distSourceLocator(): (url: string, line: number, column: number) => string | undefined {
  const maps = new Map<string, SourceMap | undefined>()
  return (url, line, column) => {
    if (!url.startsWith('file://') || !url.includes('/packages/')) return undefined
    if (!maps.has(url)) {
      try {
        maps.set(url, new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8'))))
      } catch {
        maps.set(url, undefined)
      }
    }
    const entry = maps.get(url)?.findEntry(line, column)
    if (entry === undefined || !('originalSource' in entry)) return undefined
    const source = new URL(entry.originalSource, url).pathname.replace(/^.*\/packages\//, '')
    return `${source}:${entry.originalLine + 1}`
  }
}
