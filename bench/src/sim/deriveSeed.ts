/**
 * Mixes a base seed with labels and numbers into a 32-bit seed (FNV-1a over the parts),
 * so every experiment, policy, point and run gets its own reproducible random stream,
 * and two policies at the same point see the same network ("common random numbers").
 */
export function deriveSeed(base: number, ...parts: readonly (string | number)[]): number {
  let h = (0x811c9dc5 ^ (base >>> 0)) >>> 0
  for (const part of parts) {
    const s = `${String(part)}|`
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i)
      h = Math.imul(h, 0x01000193) >>> 0
    }
  }
  return h
}
