/** The colours the demo uses. */
export type Colour = 'green' | 'red' | 'yellow' | 'cyan' | 'dim' | 'bold'

const CODES: Readonly<Record<Colour, readonly [number, number]>> = {
  green: [32, 39],
  red: [31, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
}

/** Where the demo writes: lines of text, coloured or not. */
export interface Printer {
  /** Writes one line. */
  line(text?: string): void
  /** Wraps `text` in the colour's escape codes, or returns it unchanged when colour is off. */
  paint(colour: Colour, text: string): string
}

/**
 * A printer to stdout. Colour only on a terminal, and never with `NO_COLOR` set
 * (https://no-color.org) — CI logs and pipes get plain text.
 */
export function consolePrinter(
  colour: boolean = process.stdout.isTTY === true && (process.env['NO_COLOR'] ?? '') === '',
): Printer {
  return {
    line: (text = '') => process.stdout.write(`${text}\n`),
    paint: (c, text) => {
      if (!colour) return text
      const [open, close] = CODES[c]
      return `\u001b[${open}m${text}\u001b[${close}m`
    },
  }
}

/** A printer that keeps its lines (for tests), or drops them. */
export function quietPrinter(lines?: string[]): Printer {
  return {
    line: (text = '') => {
      lines?.push(text)
    },
    paint: (_c, text) => text,
  }
}
