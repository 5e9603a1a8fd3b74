/**
 * A GitHub-flavoured Markdown table. `align` gives each column's alignment
 * (`'l'` or `'r'`; default left). Pipes in cells are escaped.
 *
 * @example
 * markdownTable(['policy', 'amplification'], [['none', '1.00']], ['l', 'r'])
 */
export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly ('l' | 'r')[] = [],
): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|')
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`
  const rule = `|${headers.map((_, i) => (align[i] === 'r' ? '---:' : ':---')).join('|')}|`
  return [line(headers), rule, ...rows.map(line)].join('\n')
}
