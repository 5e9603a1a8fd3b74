// Prints the minified + gzipped size of the retry path (RetryPolicy + defaultClassifier +
// decorrelatedJitter), bundled and tree-shaken from @redress/core's source, the way an
// application bundler would include it. Usage: pnpm size
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const entries = {
  'retry path (RetryPolicy + defaultClassifier + decorrelatedJitter)':
    "export { RetryPolicy, defaultClassifier, decorrelatedJitter } from '@redress/core'",
  'httpPolicy (@redress/core/http)': "export { httpPolicy } from '@redress/core/http'",
  'whole @redress/core': "export * from '@redress/core'",
}
for (const [name, contents] of Object.entries(entries)) {
  const out = await build({
    stdin: { contents, resolveDir: new URL('../examples', import.meta.url).pathname, loader: 'ts' },
    bundle: true,
    minify: true,
    treeShaking: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['@redress/source'],
    mainFields: ['module', 'main'],
    write: false,
    logLevel: 'error',
  })
  const code = out.outputFiles[0].contents
  console.log(
    `${name}: ${(code.length / 1024).toFixed(1)} KB min, ${(gzipSync(code).length / 1024).toFixed(2)} KB min+gz`,
  )
}
