/** One line of a {@link lineChart}. */
export interface LineSeries {
  /** The legend label. */
  readonly name: string
  /** `[x, y]` points, drawn in order. Points with a non-finite coordinate (or y ≤ 0 on a log axis) are skipped. */
  readonly points: readonly (readonly [number, number])[]
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  readonly title: string
  readonly xLabel: string
  readonly yLabel: string
  readonly series: readonly LineSeries[]
  /** Width of the SVG, in px. @default 720 */
  readonly width?: number | undefined
  /** Height of the SVG, in px. @default 400 */
  readonly height?: number | undefined
  /** A base-10 logarithmic y axis. @default false */
  readonly logY?: boolean | undefined
  /** Start the (linear) y axis at 0. @default true */
  readonly yFromZero?: boolean | undefined
}

/** Colour-blind-safe palette (Okabe–Ito), cycled; `barChart` uses it too, so both kinds of chart match. */
export const PALETTE: readonly string[] = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
  '#F0E442',
]

/**
 * A self-contained SVG line chart (no dependencies, no scripts, no external fonts),
 * with axes, "nice" ticks, a legend and an optional log y axis. The output depends only
 * on the input, so charts regenerate byte for byte.
 *
 * @example
 * writeFileSync('chart.svg', lineChart({ title: 'Calls', xLabel: 'clients', yLabel: 'calls',
 *   series: [{ name: 'fullJitter', points: [[10, 30], [30, 120]] }] }))
 */
export function lineChart(options: LineChartOptions): string {
  const width = options.width ?? 720
  const height = options.height ?? 400
  const logY = options.logY ?? false
  const margin = { top: 40, right: 190, bottom: 50, left: 70 }
  const plotW = width - margin.left - margin.right
  const plotH = height - margin.top - margin.bottom
  const usable = (p: readonly [number, number]): boolean =>
    Number.isFinite(p[0]) && Number.isFinite(p[1]) && (!logY || p[1] > 0)
  const all = options.series.flatMap((s) => s.points.filter(usable))
  const xs = all.map((p) => p[0])
  const ys = all.map((p) => (logY ? Math.log10(p[1]) : p[1]))
  let xMin = xs.length === 0 ? 0 : Math.min(...xs)
  let xMax = xs.length === 0 ? 1 : Math.max(...xs)
  if (xMin === xMax) xMax = xMin + 1
  let yMin = ys.length === 0 ? 0 : Math.min(...ys)
  let yMax = ys.length === 0 ? 1 : Math.max(...ys)
  if (logY) {
    yMin = Math.floor(yMin)
    yMax = Math.ceil(yMax)
  } else if (options.yFromZero ?? true) {
    yMin = Math.min(0, yMin)
  }
  if (yMin === yMax) yMax = yMin + 1
  const xTicks = niceTicks(xMin, xMax, 8)
  xMin = Math.min(xMin, xTicks[0] ?? xMin)
  xMax = Math.max(xMax, xTicks[xTicks.length - 1] ?? xMax)
  const yTicks = logY ? range(yMin, yMax) : niceTicks(yMin, yMax, 6)
  if (!logY) {
    yMin = Math.min(yMin, yTicks[0] ?? yMin)
    yMax = Math.max(yMax, yTicks[yTicks.length - 1] ?? yMax)
  }
  const sx = (x: number): number => margin.left + ((x - xMin) / (xMax - xMin)) * plotW
  const sy = (y: number): number => margin.top + plotH - ((y - yMin) / (yMax - yMin)) * plotH

  const out: string[] = []
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="12">`,
  )
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`)
  out.push(
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="600">${escapeXml(options.title)}</text>`,
  )
  for (const t of yTicks) {
    const y = fmt(sy(t))
    out.push(
      `<line x1="${margin.left}" y1="${y}" x2="${margin.left + plotW}" y2="${y}" stroke="#e5e5e5" stroke-width="1"/>`,
    )
    out.push(
      `<text x="${margin.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(tickLabel(logY ? 10 ** t : t))}</text>`,
    )
  }
  for (const t of xTicks) {
    const x = fmt(sx(t))
    out.push(`<line x1="${x}" y1="${margin.top + plotH}" x2="${x}" y2="${margin.top + plotH + 5}" stroke="#333"/>`)
    out.push(`<text x="${x}" y="${margin.top + plotH + 18}" text-anchor="middle">${escapeXml(tickLabel(t))}</text>`)
  }
  out.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333" stroke-width="1"/>`,
  )
  out.push(
    `<text x="${margin.left + plotW / 2}" y="${height - 10}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
  )
  out.push(
    `<text transform="translate(16 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel + (logY ? ' (log scale)' : ''))}</text>`,
  )
  options.series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length] ?? '#000000'
    const pts = s.points.filter(usable).map((p) => `${fmt(sx(p[0]))},${fmt(sy(logY ? Math.log10(p[1]) : p[1]))}`)
    if (pts.length > 1) {
      out.push(
        `<polyline fill="none" stroke="${colour}" stroke-width="2" stroke-linejoin="round" points="${pts.join(' ')}"/>`,
      )
    }
    if (pts.length <= 30) {
      for (const p of pts) {
        const [x, y] = p.split(',')
        out.push(`<circle cx="${x}" cy="${y}" r="2.5" fill="${colour}"/>`)
      }
    }
    const ly = margin.top + 10 + i * 20
    const lx = margin.left + plotW + 16
    out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}" stroke="${colour}" stroke-width="3"/>`)
    out.push(`<text x="${lx + 28}" y="${ly}" dominant-baseline="middle">${escapeXml(s.name)}</text>`)
  })
  out.push('</svg>')
  return `${out.join('\n')}\n`
}

/** Round, evenly spaced ticks covering [min, max] (steps of 1, 2 or 5 × 10^k). */
function niceTicks(min: number, max: number, target: number): number[] {
  const span = max - min
  if (!(span > 0) || !Number.isFinite(span)) return [min]
  const raw = span / Math.max(1, target)
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag
  const first = Math.floor(min / step) * step
  const ticks: number[] = []
  for (let t = first; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)))
  if ((ticks[ticks.length - 1] ?? max) < max) ticks.push(Number((first + ticks.length * step).toPrecision(12)))
  return ticks
}

function range(from: number, to: number): number[] {
  const r: number[] = []
  for (let i = from; i <= to; i++) r.push(i)
  return r
}

function tickLabel(v: number): string {
  const a = Math.abs(v)
  if (a >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`
  if (a >= 1e4) return `${Number((v / 1e3).toPrecision(3))}k`
  return String(Number(v.toPrecision(4)))
}

function fmt(n: number): string {
  return n.toFixed(1)
}

/** Escapes text for an SVG attribute or text node. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
