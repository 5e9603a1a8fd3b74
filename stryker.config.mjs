// Mutation testing of @redress/core's decision code, strategies, classifiers, budgets, breaker,
// HTTP header parsers and the resume code's header parsers and checks: `pnpm mutation` (see
// packages/core/README.md, "Mutation score").
// Reports: reports/mutation/index.html and reports/mutation/mutation.json (git-ignored). A run over
// part of the scope (`--mutate <files>`) would overwrite them with its own files only: give it
// another directory, REDRESS_MUTATION_REPORTS=reports/mutation/<name>, and pass both reports to
// `pnpm mutation:scores` (scripts/mutation-scores.mjs), which takes each file from the last one.

const reports = process.env.REDRESS_MUTATION_REPORTS || 'reports/mutation'

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // Named explicitly: under pnpm the runner is not a sibling of @stryker-mutator/core on disk.
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  // Each mutant runs only the tests that covered it in the initial run.
  coverageAnalysis: 'perTest',
  // The machine this was tuned on has 2 shared cores; each Stryker worker runs vitest in one thread.
  concurrency: 2,
  mutate: [
    'packages/core/src/policy/decide.ts',
    'packages/core/src/strategies/**/*.ts',
    'packages/core/src/classify/**/*.ts',
    'packages/core/src/http/classifyNetworkError.ts',
    'packages/core/src/http/classifyResponse.ts',
    'packages/core/src/http/classifyStatus.ts',
    'packages/core/src/http/httpClassifier.ts',
    'packages/core/src/http/isIdempotent.ts',
    'packages/core/src/http/provesNotProcessed.ts',
    'packages/core/src/http/requestClassifiers.ts',
    'packages/core/src/http/classifyRejectedStatus.ts',
    'packages/core/src/http/headers/**/*.ts',
    // The resume code's pure header parsers and checks; not the download and its transport.
    'packages/core/src/http/resume/parseContentRange.ts',
    'packages/core/src/http/resume/ResumeValidator.ts',
    'packages/core/src/http/resume/ResumeTarget.ts',
    'packages/core/src/http/resume/checkContinuation.ts',
    'packages/core/src/http/resume/continuationHeaders.ts',
    'packages/core/src/http/resume/continuationRequestHeaders.ts',
    'packages/core/src/budget/**/*.ts',
    'packages/core/src/breaker/**/*.ts',
    '!**/*.test.ts',
    '!**/*.test-d.ts',
  ],
  // Copy only what core's tests read into the sandboxes (node_modules is linked, not copied).
  ignorePatterns: [
    '/*',
    '!/package.json',
    '!/tsconfig*.json',
    '!/vitest.mutation.config.ts',
    '!/README.md',
    '!/packages',
    '/packages/*',
    '!/packages/core',
    '/packages/core/dist',
  ],
  tempDirName: 'reports/mutation/.stryker-tmp',
  incrementalFile: `${reports}/stryker-incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `${reports}/index.html` },
  jsonReporter: { fileName: `${reports}/mutation.json` },
  clearTextReporter: { allowColor: false, reportTests: false, reportScoreTable: true },
  thresholds: { high: 90, low: 80, break: null },
  // Generous: on a busy machine a slow run must not pass for a mutant caught by timing out.
  timeoutMS: 10_000,
}
