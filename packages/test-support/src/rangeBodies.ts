import { createHash } from 'node:crypto'
import type { RangeStep } from './startRangeServer.ts'

/** Pseudo-random bytes from a seed (xorshift32): the same seed gives the same body. */
export function seededBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length)
  const words = new Uint32Array(bytes.buffer, 0, Math.floor(length / 4))
  let x = seed >>> 0 || 1
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    words[i] = x >>> 0
  }
  for (let i = words.length * 4; i < length; i++) {
    x = (x * 31 + 7) >>> 0
    bytes[i] = x & 0xff
  }
  return bytes
}

/** The SHA-256 of `bytes`, in hex. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Whether `part` is the start of `whole`: the bytes a cut download delivered were the right ones. */
export function isPrefix(part: Uint8Array, whole: Uint8Array): boolean {
  return Buffer.from(whole.subarray(0, part.length)).equals(Buffer.from(part))
}

/**
 * `count` distinct cut positions in (0, `length`), ascending, drawn from `random` (e.g.
 * `seededRandom(seed)` from `@redress/core/testing`), at least `minGap` bytes apart.
 */
export function cutOffsets(length: number, count: number, random: () => number, minGap = 1): number[] {
  const offsets = new Set<number>()
  while (offsets.size < count) {
    const at = 1 + Math.floor(random() * (length - 1))
    if ([...offsets].every((o) => Math.abs(o - at) >= minGap)) offsets.add(at)
  }
  return [...offsets].sort((a, b) => a - b)
}

/**
 * A script that cuts the first response after `offsets[0]` body bytes and each continuation
 * after the next offset (counted from the start of the representation), then answers in full.
 */
export function cutAt(offsets: readonly number[]): (index: number) => RangeStep | undefined {
  return (index) => {
    const at = offsets[index]
    if (at === undefined) return undefined
    return { cutAfter: at - (offsets[index - 1] ?? 0) }
  }
}
