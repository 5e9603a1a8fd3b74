/** A body row of a Markdown table: each cell keyed by its column's header, lower-cased (`option`, `default` …). */
export type MarkdownRow = Readonly<Record<string, string>>

/** One Markdown table of a document. */
export interface MarkdownTable {
  /** The match of the marker the table follows (`<!-- defaults: Owner -->`), when `after` was given. */
  readonly marker: RegExpMatchArray | undefined
  /** The header cells, as written. */
  readonly header: readonly string[]
  /** The body rows, in order (the `|---|` line is not one). */
  readonly rows: readonly MarkdownRow[]
}

/** Which tables {@link readMarkdownTables} reads. */
export interface MarkdownTableQuery {
  /**
   * Header names every table read must have, any case. With `after`, a table that lacks one
   * throws; without it, tables that lack one are skipped.
   * @default [] (any table)
   */
  readonly columns?: readonly string[]
  /**
   * Read only the table right after each match of this global pattern (blank lines between are
   * allowed), e.g. `/<!-- defaults: (\w+) -->/g`; a match with no table after it throws.
   * @default every table of the document
   */
  readonly after?: RegExp
}

/** The cells of one table line; `\|` inside a cell (escaped in Markdown) is not a separator. */
function cellsOf(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim())
}

/** The table lines starting at `lines[from]` (after blank lines), or none when no table starts there. */
function tableLinesFrom(lines: readonly string[], from: number): string[] {
  let i = from
  while (i < lines.length && lines[i]?.trim() === '') i++
  const table: string[] = []
  while (i < lines.length && lines[i]?.trim().startsWith('|')) table.push(lines[i++] ?? '')
  return table
}

function tableOf(lines: readonly string[], marker: RegExpMatchArray | undefined): MarkdownTable {
  const [head = '', , ...body] = lines
  const header = cellsOf(head)
  const keys = header.map((cell) => cell.toLowerCase())
  const rows = body.map((line) => {
    const cells = cellsOf(line)
    return Object.freeze(Object.fromEntries(keys.map((key, i) => [key, cells[i] ?? ''])))
  })
  return { marker, header, rows }
}

/** Every table of `markdown`, as a list of its lines. */
function allTables(markdown: string): string[][] {
  const lines = markdown.split('\n')
  const tables: string[][] = []
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]?.trim().startsWith('|')) continue
    const table = tableLinesFrom(lines, i)
    tables.push(table)
    i += table.length - 1
  }
  return tables
}

/**
 * Reads the Markdown tables of `markdown` (a README) that `query` selects: by the marker each
 * follows, by the header names it has, or both. Cells are trimmed and keep their Markdown
 * (backticks included); rows are keyed by their header, lower-cased.
 *
 * @throws {Error} when a marker has no table after it, or a table after a marker lacks a column
 *
 * @example
 * const [table] = readMarkdownTables(readme, { after: /<!-- defaults: redressFetch -->/g, columns: ['Option', 'Default'] })
 */
export function readMarkdownTables(markdown: string, query: MarkdownTableQuery = {}): MarkdownTable[] {
  const columns = (query.columns ?? []).map((name) => name.toLowerCase())
  const hasColumns = (table: MarkdownTable): string | undefined =>
    columns.find((name) => !table.header.some((cell) => cell.toLowerCase() === name))
  if (query.after === undefined) {
    return allTables(markdown)
      .map((lines) => tableOf(lines, undefined))
      .filter((table) => hasColumns(table) === undefined)
  }
  if (!query.after.global) throw new Error(`readMarkdownTables: after must be a global pattern, got ${query.after}`)
  const tables: MarkdownTable[] = []
  for (const match of markdown.matchAll(query.after)) {
    const rest = markdown.slice((match.index ?? 0) + match[0].length).split('\n')
    const lines = tableLinesFrom(rest, 0)
    if (lines.length === 0) throw new Error(`readMarkdownTables: no table after ${match[0]}`)
    const table = tableOf(lines, match)
    const missing = hasColumns(table)
    if (missing !== undefined)
      throw new Error(`readMarkdownTables: the table after ${match[0]} has no "${missing}" column`)
    tables.push(table)
  }
  return tables
}

/** Which table {@link readmeDefaults} reads, and which of its columns. */
export interface ReadmeDefaultsQuery {
  /** The marker the table follows, a global pattern. @default the one table with both columns */
  readonly after?: RegExp
  /** The header of the column naming the option (its first code span is the name). @default 'Option' */
  readonly optionColumn?: string
  /** The header of the column giving the default. @default 'Default' */
  readonly defaultColumn?: string
}

/**
 * The defaults table of a README as a map from option name (the first code span of the option
 * cell, e.g. `maxRetryAfterMs`) to its default cell as written, in table order. The table is the
 * one after `query.after`, or else the one table of the document with both columns.
 *
 * @throws {Error} when there is not exactly one such table, a row names no option, or names one twice
 *
 * @example
 * expect(numbersIn(readmeDefaults(readme).get('maxRetryAfterMs') ?? '')).toEqual([60_000])
 */
export function readmeDefaults(markdown: string, query: ReadmeDefaultsQuery = {}): Map<string, string> {
  const optionColumn = query.optionColumn ?? 'Option'
  const defaultColumn = query.defaultColumn ?? 'Default'
  const tables = readMarkdownTables(markdown, {
    columns: [optionColumn, defaultColumn],
    ...(query.after === undefined ? {} : { after: query.after }),
  })
  const [table] = tables
  if (tables.length !== 1 || table === undefined)
    throw new Error(
      `readmeDefaults: expected one table with "${optionColumn}" and "${defaultColumn}", found ${tables.length}`,
    )
  const defaults = new Map<string, string>()
  for (const row of table.rows) {
    const cell = row[optionColumn.toLowerCase()] ?? ''
    const [option] = codeSpans(cell)
    if (option === undefined) throw new Error(`readmeDefaults: no option named in "${cell}"`)
    if (defaults.has(option)) throw new Error(`readmeDefaults: ${option} is listed twice`)
    defaults.set(option, row[defaultColumn.toLowerCase()] ?? '')
  }
  return defaults
}

/** The contents of the code spans of a cell, in order: `` `a` `b` `` → `['a', 'b']`. */
export function codeSpans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '')
}

/**
 * Every number written in a cell, in order, as documentation writes them: `60 000`, `30_000`,
 * `64,000`, `0.1`, `Infinity` or `∞` (a space, an underscore, a comma or a thin space may group
 * thousands).
 */
export function numbersIn(cell: string): number[] {
  return [...cell.matchAll(/Infinity|∞|\d+(?:[ _,\u202f\u00a0]\d{3})*(?:\.\d+)?/g)].map((match) =>
    match[0] === 'Infinity' || match[0] === '∞' ? Infinity : Number(match[0].replace(/[ _,\u202f\u00a0]/g, '')),
  )
}
