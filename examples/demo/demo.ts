/**
 * The redress demo: a scripted flaky upstream (resets, 503s, a 429 with Retry-After, a slow
 * response, a POST, a total outage) handled by redressFetch, the axios interceptor, the undici
 * interceptor and ky + redressFetch, then by a naive retry loop — with a per-request timeline
 * and a side-by-side summary. Everything runs on 127.0.0.1; the numbers are measured.
 *
 * Run: pnpm demo
 */
import { consolePrinter } from './Printer.ts'
import { runDemo } from './runDemo.ts'

await runDemo(consolePrinter())
