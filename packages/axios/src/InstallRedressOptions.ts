import type { HttpAdapterOptions, ResumeOptions } from '@redress/core/http'

/**
 * Options of `installRedress`. The same shared options as every redress HTTP adapter; they are
 * validated once, at installation, and a bad one throws a `TypeError`/`RangeError` naming it.
 *
 * - `policy`: the `RetryPolicy` requests run under. @default httpPolicy() — 3 attempts, 60 000 ms
 *   deadline, `retryAfterOr(decorrelatedJitter())`, a `TokenBudget` per origin
 * - `maxRetryAfterMs`: a server delay (`Retry-After`/RateLimit) above this many ms gives up at
 *   once and hands back the last response or error. @default 60000
 * - `retryNonIdempotent`: retry POST/PATCH (without `Idempotency-Key`) after any retryable
 *   failure, not only after one proving the server never saw them. @default false
 * - `operation`: names a request's operation (the `operation` tag), from `{ method, url }`.
 *   @default `${method} ${host}`, e.g. `GET api.example.com`
 * - `resume`: continue a `responseType: 'stream'` GET body cut mid-way with a `Range` request
 *   guarded by its validator, in the same `data` stream (see `ResumeOptions`). @default true
 */
export interface InstallRedressOptions extends HttpAdapterOptions, ResumeOptions {}
