/** Checks a `Symbol.for` brand, so guards work across duplicate copies of the package. */
export function hasBrand(value: unknown, brand: symbol): boolean {
  try {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true
  } catch {
    return false
  }
}
