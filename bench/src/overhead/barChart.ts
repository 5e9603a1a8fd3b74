import { escapeXml, PALETTE } from '../report/lineChart.ts'

/** One bar of a {@link barChart}: a value with an optional min–max whisker. */
export interface Bar {
  /** The label left of the bar. */
  readonly label: string
  /** The bar's length. */
  readonly value: number
  /** The whisker's low end; none when absent. */
  readonly min?: number | undefined
  /** The whisker's high end; none when absent. */
  readonly max?: number | undefined
  /** Index into the palette (bars of one kind share a colour). @default 0 */
  readonly colour?: number | undefined
}

/** Options of {@link barChart}. */
export interface BarChartOptions {
  readonly title: string
  readonly xLabel: string
  readonly bars: readonly Bar[]
  /** Dashed vertical reference lines, e.g. `[{ at: 1, label: 'raw' }]`. @default [] */
  readonly references?: readonly { readonly at: number; readonly label: string }[] | undefined
  /** Legend entries, by palette index. @default [] */
  readonly legend?: readonly string[] | undefined
  /** Width of the SVG, in px. @default 720 */
  readonly width?: number | undefined
}

const ROW_PX = 24

/**
 * A self-contained horizontal SVG bar chart with min–max whiskers, in the style of
 * `lineChart` (no scripts, no external fonts; the output depends only on the input).
 */
export function barChart(options: BarChartOptions): string {
  const width = options.width ?? 720
  const legend = options.legend ?? []
  const refs = options.references ?? []
  const margin = { top: 40 + (legend.length > 0 ? 22 : 0), right: 30, bottom: 50, left: 250 }
  const plotW = width - margin.left - margin.right
  const plotH = options.bars.length * ROW_PX
  const height = margin.top + plotH + margin.bottom
  const highs = options.bars.flatMap((b) => [b.value, b.max ?? b.value]).concat(refs.map((r) => r.at))
  const xMax = Math.ceil((Math.max(1, ...highs.filter(Number.isFinite)) * 1.05) / 0.1) * 0.1
  const sx = (x: number): number => margin.left + (Math.max(0, x) / xMax) * plotW
  const f = (n: number): string => n.toFixed(1)
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="600">${escapeXml(options.title)}</text>`,
  ]
  legend.forEach((name, i) => {
    const lx = margin.left + i * 150
    out.push(`<rect x="${lx}" y="36" width="14" height="12" fill="${PALETTE[i % PALETTE.length]}"/>`)
    out.push(`<text x="${lx + 20}" y="42" dominant-baseline="middle">${escapeXml(name)}</text>`)
  })
  const step = xMax <= 1.5 ? 0.1 : 0.25
  for (let t = 0; t <= xMax + 1e-9; t += step) {
    const x = f(sx(t))
    out.push(`<line x1="${x}" y1="${margin.top}" x2="${x}" y2="${margin.top + plotH}" stroke="#eeeeee"/>`)
    out.push(`<text x="${x}" y="${margin.top + plotH + 16}" text-anchor="middle">${Number(t.toFixed(2))}</text>`)
  }
  options.bars.forEach((b, i) => {
    const y = margin.top + i * ROW_PX
    const colour = PALETTE[(b.colour ?? 0) % PALETTE.length]
    out.push(
      `<text x="${margin.left - 8}" y="${f(y + ROW_PX / 2)}" text-anchor="end" dominant-baseline="middle">${escapeXml(b.label)}</text>`,
    )
    if (Number.isFinite(b.value)) {
      out.push(
        `<rect x="${margin.left}" y="${f(y + 4)}" width="${f(sx(b.value) - margin.left)}" height="${ROW_PX - 8}" fill="${colour}" fill-opacity="0.85"/>`,
      )
    }
    if (b.min !== undefined && b.max !== undefined && Number.isFinite(b.min) && Number.isFinite(b.max)) {
      const cy = f(y + ROW_PX / 2)
      out.push(
        `<line x1="${f(sx(b.min))}" y1="${cy}" x2="${f(sx(b.max))}" y2="${cy}" stroke="#333" stroke-width="1.5"/>`,
      )
      for (const end of [b.min, b.max]) {
        out.push(
          `<line x1="${f(sx(end))}" y1="${f(y + 7)}" x2="${f(sx(end))}" y2="${f(y + ROW_PX - 7)}" stroke="#333"/>`,
        )
      }
    }
  })
  refs.forEach((r, i) => {
    const x = f(sx(r.at))
    out.push(
      `<line x1="${x}" y1="${margin.top - 4}" x2="${x}" y2="${margin.top + plotH}" stroke="#000" stroke-dasharray="4 3"/>`,
    )
    // Reference lines sit close together (0.97 and 1): their labels go left and right.
    const anchor = i % 2 === 0 ? 'end' : 'start'
    out.push(`<text x="${x}" y="${margin.top + plotH + 30}" text-anchor="${anchor}">${escapeXml(r.label)}</text>`)
  })
  out.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`,
    `<text x="${margin.left + plotW / 2}" y="${height - 6}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    '</svg>',
  )
  return `${out.join('\n')}\n`
}
