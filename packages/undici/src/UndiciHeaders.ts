import type { UndiciResponseHead } from './UndiciResponseHead.ts'

/** A response's headers or trailers, as undici parsed them (lower-case names). */
export type UndiciHeaders = UndiciResponseHead['headers']
