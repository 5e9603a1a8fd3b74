/**
 * Draws docs/strategies.svg: the delay distribution of each backoff strategy, per attempt,
 * sampled from the real strategy functions with their default options and a seeded random
 * source (so the picture only changes when a strategy does).
 *
 * Run: pnpm docs:svg
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  type BackoffContext,
  DECORRELATED_JITTER_DEFAULTS,
  decorrelatedJitter,
  EQUAL_JITTER_DEFAULTS,
  ErrorClass,
  equalJitter,
  FULL_JITTER_DEFAULTS,
  fullJitter,
  type Strategy,
  TOKEN_BACKOFF_DEFAULTS,
  tokenBackoff,
} from '../packages/core/src/index.ts'
import { seededRandom } from '../packages/core/src/testing/index.ts'

const ATTEMPTS = 10
const RUNS = 4_000
const SEED = 2015

interface Panel {
  readonly name: string
  readonly formula: string
  readonly strategy: Strategy
  readonly maxMs: number
}

const PANELS: readonly Panel[] = [
  {
    name: 'decorrelatedJitter()',
    formula: 'min(max, U(base, 3·prev))',
    strategy: decorrelatedJitter(),
    maxMs: DECORRELATED_JITTER_DEFAULTS.maxMs,
  },
  {
    name: 'equalJitter()',
    formula: 'c = min(max, base·2ⁿ); c/2 + U(0, c/2)',
    strategy: equalJitter(),
    maxMs: EQUAL_JITTER_DEFAULTS.maxMs,
  },
  {
    name: 'tokenBackoff()',
    formula: 'c = min(max, base·1.5ⁿ); U(c/2, c)',
    strategy: tokenBackoff(),
    maxMs: TOKEN_BACKOFF_DEFAULTS.maxMs,
  },
  {
    name: 'fullJitter()',
    formula: 'U(0, min(max, base·2ⁿ))',
    strategy: fullJitter(),
    maxMs: FULL_JITTER_DEFAULTS.maxMs,
  },
]

/** Percentiles of the sleep chosen after each failed attempt, over many seeded runs. */
interface AttemptStats {
  readonly p5: number
  readonly p25: number
  readonly p50: number
  readonly p75: number
  readonly p95: number
}

function sample(strategy: Strategy): AttemptStats[] {
  const random = seededRandom(SEED)
  const draws: number[][] = Array.from({ length: ATTEMPTS }, () => [])
  for (let run = 0; run < RUNS; run++) {
    // A run is a chain: decorrelated jitter feeds on the previous sleep, as the engine passes it.
    let prevSleepMs: number | undefined
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const ctx: BackoffContext = {
        attempt,
        errorClass: ErrorClass.TRANSIENT,
        classification: { errorClass: ErrorClass.TRANSIENT },
        prevSleepMs,
        remainingMs: Number.POSITIVE_INFINITY,
        cause: 'error',
        random,
      }
      const sleepMs = strategy(ctx)
      draws[attempt - 1]?.push(sleepMs)
      prevSleepMs = sleepMs
    }
  }
  return draws.map((d) => {
    const sorted = d.sort((a, b) => a - b)
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
    return { p5: at(0.05), p25: at(0.25), p50: at(0.5), p75: at(0.75), p95: at(0.95) }
  })
}

const PANEL_W = 460
const PANEL_H = 270
const PAD = { left: 62, right: 16, top: 50, bottom: 40 }
const Y_MIN = 10
const Y_MAX = 40_000
const COLOURS = ['#2563eb', '#059669', '#d97706', '#7c3aed']

function fmt(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`
}

function panelSvg(panel: Panel, stats: readonly AttemptStats[], colour: string, ox: number, oy: number): string {
  const plotW = PANEL_W - PAD.left - PAD.right
  const plotH = PANEL_H - PAD.top - PAD.bottom
  const x = (attempt: number): number => ox + PAD.left + ((attempt - 1) / (ATTEMPTS - 1)) * plotW
  // Log scale: the first sleeps are tens of ms, the cap tens of seconds.
  const y = (ms: number): number => {
    const v = Math.min(Y_MAX, Math.max(Y_MIN, ms))
    const t = (Math.log10(v) - Math.log10(Y_MIN)) / (Math.log10(Y_MAX) - Math.log10(Y_MIN))
    return oy + PAD.top + plotH * (1 - t)
  }
  const r = (n: number): string => n.toFixed(1)
  const band = (lo: (s: AttemptStats) => number, hi: (s: AttemptStats) => number): string => {
    const top = stats.map((s, i) => `${r(x(i + 1))},${r(y(hi(s)))}`)
    const bottom = stats.map((s, i) => `${r(x(i + 1))},${r(y(lo(s)))}`).reverse()
    return [...top, ...bottom].join(' ')
  }
  const parts: string[] = []
  parts.push(`<g>`)
  parts.push(
    `<text x="${ox + PAD.left}" y="${oy + 22}" class="title">${panel.name}</text>`,
    `<text x="${ox + PAD.left}" y="${oy + 38}" class="formula">${panel.formula}</text>`,
  )
  for (const tick of [10, 100, 1_000, 10_000]) {
    parts.push(
      `<line x1="${ox + PAD.left}" x2="${ox + PAD.left + plotW}" y1="${r(y(tick))}" y2="${r(y(tick))}" class="grid"/>`,
      `<text x="${ox + PAD.left - 6}" y="${r(y(tick) + 4)}" class="tick" text-anchor="end">${fmt(tick)}</text>`,
    )
  }
  for (let a = 1; a <= ATTEMPTS; a++) {
    parts.push(`<text x="${r(x(a))}" y="${oy + PAD.top + plotH + 16}" class="tick" text-anchor="middle">${a}</text>`)
  }
  parts.push(
    `<text x="${ox + PAD.left + plotW / 2}" y="${oy + PANEL_H - 6}" class="axis" text-anchor="middle">failed attempt n (sleep before attempt n+1)</text>`,
    `<line x1="${ox + PAD.left}" x2="${ox + PAD.left + plotW}" y1="${r(y(panel.maxMs))}" y2="${r(y(panel.maxMs))}" class="cap"/>`,
    `<text x="${ox + PAD.left + plotW}" y="${r(y(panel.maxMs) - 4)}" class="tick" text-anchor="end">maxMs ${fmt(panel.maxMs)}</text>`,
    `<polygon points="${band(
      (s) => s.p5,
      (s) => s.p95,
    )}" fill="${colour}" fill-opacity="0.18"/>`,
    `<polygon points="${band(
      (s) => s.p25,
      (s) => s.p75,
    )}" fill="${colour}" fill-opacity="0.35"/>`,
    `<polyline points="${stats.map((s, i) => `${r(x(i + 1))},${r(y(s.p50))}`).join(' ')}" fill="none" stroke="${colour}" stroke-width="2"/>`,
  )
  for (const [i, s] of stats.entries()) {
    parts.push(
      `<circle cx="${r(x(i + 1))}" cy="${r(y(s.p50))}" r="2.5" fill="${colour}"><title>attempt ${i + 1}: p5 ${Math.round(s.p5)} ms, p50 ${Math.round(s.p50)} ms, p95 ${Math.round(s.p95)} ms</title></circle>`,
    )
  }
  parts.push(`</g>`)
  return parts.join('\n')
}

function render(): string {
  const width = PANEL_W * 2
  const height = PANEL_H * 2 + 40
  const panels = PANELS.map((p, i) =>
    panelSvg(p, sample(p.strategy), COLOURS[i] ?? '#000', (i % 2) * PANEL_W, Math.floor(i / 2) * PANEL_H),
  )
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">
<style>
.title { font-size: 14px; font-weight: 600; fill: #111827; }
.formula { font-size: 12px; fill: #4b5563; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.tick { font-size: 10px; fill: #6b7280; }
.axis { font-size: 11px; fill: #4b5563; }
.grid { stroke: #e5e7eb; stroke-width: 1; }
.cap { stroke: #9ca3af; stroke-width: 1; stroke-dasharray: 4 3; }
</style>
<rect width="100%" height="100%" fill="#ffffff"/>
${panels.join('\n')}
<text x="${width / 2}" y="${height - 14}" text-anchor="middle" class="axis">Sleep chosen after each failed attempt, default options, ${RUNS} seeded runs per strategy (log scale). Line: median; dark band: p25–p75; light band: p5–p95.</text>
</svg>
`
}

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'strategies.svg')
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, render())
console.log(`wrote ${out}`)
